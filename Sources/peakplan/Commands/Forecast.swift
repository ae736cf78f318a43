import ArgumentParser
import Forecasting
import Foundation
import PlanningCore
import Reports
import Store

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Interval forecast with 80%/95% intervals, predicted peaks and their causes, stored for staffing.",
        discussion: """
        Prints, for every interval of the horizon on each channel's grid, timestamp,channel,mean,lo80,hi80,lo95,hi95
        (and aht_seconds when the history has handle times); closed intervals come out as 0. The run is stored
        in the workspace; `peakplan staff` reads the newest one.
          --peaks     days whose forecast total is at least --peak-margin above (or below) the normal level of
                      that weekday, with the busiest interval and the cause (calendar effect sizes, or level)
          --explain   the estimated calendar effects (multiplicative, with 95% intervals and occurrences)
          --as-of T   intraday re-forecast: uses the day's actuals before T to update the rest of that day
        Example:
          peakplan forecast --workspace demo --channel voice --aggregate 30 --horizon 14d --format csv
          peakplan forecast --workspace demo --channel ps --peaks --explain
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("channel"), help: "Channels (repeatable; default: all).") var channels: [String] = []
    @Option(help: ArgumentHelp("Horizon: days (14d), hours (36h) or intervals (336).", valueName: "length")) var horizon: String = "14d"
    @Option(help: "Model id (see `peakplan backtest`); default auto.") var model: String = "auto"
    @Option(help: ArgumentHelp("Sum the series to this interval first (minutes).", valueName: "minutes")) var aggregate: Int?
    @Flag(help: "List predicted peak (and dip) days with their causes.") var peaks = false
    @Flag(help: "Show the estimated calendar effects.") var explain = false
    @Option(help: ArgumentHelp("Peak threshold: relative excess over the weekday's normal day total.", valueName: "fraction")) var peakMargin: Double = 0.10
    @Option(help: ArgumentHelp("Intraday re-forecast from this local time (ISO 8601).", valueName: "timestamp")) var asOf: String?
    @Flag(help: "Do not store the forecast in the workspace.") var noStore = false
    @Option(help: ArgumentHelp("Also write each fitted model as versioned JSON into DIR (<channel>-<minutes>min-<model>.json).", valueName: "dir"))
    var saveModel: String?
    @Option(help: ArgumentHelp("Forecast from a saved model file instead of fitting (needs only the calendar). `stored:CHANNEL` takes the newest model stored in the workspace for that channel.", valueName: "file"))
    var fromModel: String?

    func validate() throws {
        guard parseHorizon(horizon, slotsPerDay: 48) != nil else { throw ValidationError("--horizon \(horizon): write days (14d), hours (36h) or a number of intervals") }
        guard ModelRegistry.model(model) != nil else {
            throw ValidationError("--model \(model) is not registered; use one of \(ModelRegistry.all.map(\.id).joined(separator: ", "))")
        }
        if let a = asOf, (try? Civil.parseTimestamp(a).get()) == nil { throw ValidationError("--as-of \(a): write an ISO 8601 local time such as 2026-03-01T11:30") }
        if fromModel != nil && (asOf != nil || peaks || explain || !channels.isEmpty || aggregate != nil) {
            throw ValidationError("--from-model forecasts the saved model's channel as saved: it cannot be combined with --channel, --aggregate, --as-of, --peaks or --explain")
        }
        if peaks && explain && output.format == .csv {
            throw ValidationError("--peaks and --explain together make two tables of different columns, which one CSV cannot hold: use --format json (one document with sections peaks and effects) or table, or run --peaks and --explain separately")
        }
        guard peakMargin >= 0 && peakMargin < 5 else { throw ValidationError("--peak-margin must be in [0, 5) (0 lists every day)") }
    }

    func parseHorizon(_ text: String, slotsPerDay m1: Int) -> Int? {
        if text.hasSuffix("d"), let d = Int(text.dropLast()), d > 0, d <= 366 { return d * m1 }
        if text.hasSuffix("h"), let h = Int(text.dropLast()), h > 0, h <= 24 * 366 { return max(1, h * m1 / 24) }
        if let n = Int(text), n > 0, n <= 366 * 288 { return n }
        return nil
    }

    func run() throws {
        do {
            let config = try ws.loadConfig()
            let zone = try config.zone()
            let store = try ws.openStore()
            let names = channels.isEmpty ? try store.channels().map(\.name) : channels
            let chosen = ModelRegistry.model(model)!
            let asOfLocal = try asOf.map { try Civil.parseTimestamp($0).get().localSeconds }
            if let file = fromModel {
                try forecastFromSaved(file: file, store: store, config: config, zone: zone)
                return
            }
            // Open the output first: a bad --out fails (73) before anything is stored.
            let sink = try OutputSink(path: output.out)
            // Stored only once the output is written (nothing half-done on a failure).
            var pendingStores: [() throws -> Void] = []
            var intervalTable = Table(columns: ["timestamp", "channel", "mean", "lo80", "hi80", "lo95", "hi95", "aht_seconds"])
            var peakTable = Table(title: output.format.format == .table ? "Predicted peaks and dips" : nil,
                                  columns: ["date", "weekday", "channel", "kind", "forecast_total", "normal_total", "change_pct", "busiest_interval", "busiest_mean", "cause"])
            var effectTable = Table(title: output.format.format == .table ? "Calendar effects on day totals (multiplicative)" : nil,
                                    columns: ["channel", "effect", "change_pct", "lo95_pct", "hi95_pct", "occurrences"])
            for name in names {
                let series = try SeriesLoader.load(store: store, config: config, zone: zone, channel: name, aggregateMinutes: aggregate,
                                                   horizonDays: 400, untilLocal: asOfLocal)
                let m1 = series.input.slotsPerDay
                var h = parseHorizon(horizon, slotsPerDay: m1)!
                if let maxDays = chosen.maximumHorizonDays, h > maxDays * m1 {
                    throw fail("--horizon \(horizon): model \(chosen.id) forecasts at most \(maxDays) days ahead; give --horizon \(maxDays)d or less, or use --model auto or seasonal-avg-4w for longer horizons", code: Exit.usage)
                }
                var input = series.input
                var usedModel = chosen.id
                var f: Forecast
                var fitted: FittedState
                do { fitted = try chosen.fit(input) } catch {
                    Console.note("peakplan: note: \(name): \(error.description); falling back to snaive-week")
                    usedModel = "snaive-week"
                    do { fitted = try SeasonalNaive(.week).fit(input) } catch {
                        throw fail(ForecastCommand.tooLittleHistory(channel: name, days: input.days, model: chosen), code: Exit.dataError)
                    }
                }
                f = try fitted.predict(calendar: input.calendar, horizon: h)
                let unseen = input.calendar.unseenKinds(historyDays: input.days, horizonDays: (h + m1 - 1) / m1)
                if !unseen.isEmpty {
                    let list = unseen.prefix(5).map { u in
                        Civil.formatDate(day: input.calendar.firstDay + Int64(u.day)) + " " + (input.calendar.causes[u.day].first ?? u.kinds.joined(separator: ", "))
                    }
                    Console.note("peakplan: warning: \(name): \(unseen.count) forecast day\(unseen.count == 1 ? "" : "s") carr\(unseen.count == 1 ? "ies" : "y") a calendar kind the history never had, so no model can estimate its effect and the day is forecast as an ordinary one: \(list.joined(separator: "; "))\(unseen.count > 5 ? "; ..." : ""). Fix: give its expected change in a scenario event (change = ...), or ingest history that holds past occurrences")
                }
                let saved = SavedModel(model: usedModel, channel: name, intervalMinutes: series.intervalMinutes,
                                       historyEnd: Civil.formatDate(day: series.endDay), state: fitted)
                if !noStore {
                    let json = String(decoding: try saved.encoded(), as: UTF8.self), model = usedModel
                    pendingStores.append {
                        try store.saveFittedModel(channel: name, model: model, intervalMinutes: series.intervalMinutes,
                                                  historyEnd: saved.historyEnd, json: json)
                    }
                }
                if let dir = saveModel {
                    // Names are checked at ingest; a store written by an older PeakPlan may still hold one that is no file name.
                    if let why = InputRules.problem(withName: name, use: .identifier) {
                        throw fail("channel \(InputRules.printable(name)) \(why), so it cannot name a model file in \(dir). Fix: ingest its history under another channel name", code: Exit.dataError)
                    }
                    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                    let path = (dir as NSString).appendingPathComponent("\(name)-\(series.intervalMinutes)min-\(usedModel).json")
                    let sink = try OutputSink(path: path)
                    try sink.write(String(decoding: try saved.encoded(), as: UTF8.self) + "\n")
                    try sink.finish()
                    Console.note("peakplan: \(name): saved the fitted model to \(path)")
                }
                var startSlot = 0
                if let a = asOfLocal {
                    // Intraday update: actuals of the as-of day before `a` rescale the rest of that day.
                    let sod = Int(Civil.split(a).secondOfDay) / (series.intervalMinutes * 60)
                    // The day in progress counts too: the store may hold it only up to the last interval ingested.
                    let full = try SeriesLoader.load(store: store, config: config, zone: zone, channel: name, aggregateMinutes: aggregate,
                                                     horizonDays: 2, keepPartialDay: true)
                    let dayStart = Int(Civil.split(a).day - full.firstDay) * m1
                    // How much of the so-far surprise carries into the rest of the day, learnt from this history.
                    let update = IntradayUpdate.estimate(series.input, from: sod)
                    let dayActuals = (0..<sod).map { dayStart + $0 < full.input.y.count ? full.input.y[dayStart + $0] : Double.nan }
                    // Intervals without data are left out of both sides of the ratio (not read as zero contacts).
                    let missing = dayActuals.indices.filter { dayActuals[$0].isNaN }
                    let (actual, expected, ratio) = update.apply(&f, actuals: dayActuals[...], from: sod, end: m1)
                    let seen = "\(sod - missing.count) of \(sod) interval\(sod == 1 ? "" : "s") before \(Civil.formatLocal(a).dropFirst(11).prefix(5)) seen"
                    Console.note("peakplan: \(name): intraday update at \(Civil.formatLocal(a).prefix(16)): \(seen), \(grouped(Int(actual))) contacts so far vs \(grouped(Int(expected.rounded()))) forecast for them; rest of day x\(String(format: "%.3f", ratio)) (carry-over slope \(String(format: "%.2f", update.slope(expected: expected))), learnt on \(update.days) days)")
                    if !missing.isEmpty {
                        let slot = { (k: Int) in String(Civil.formatLocal(Civil.split(a).day * 86_400 + Int64(k * series.intervalMinutes * 60)).dropFirst(11).prefix(5)) }
                        let list = missing.count <= 6 ? missing.map(slot).joined(separator: ", ") : "\(slot(missing[0]))..\(slot(missing[missing.count - 1])) (\(missing.count) intervals)"
                        Console.note("peakplan: warning: \(name): no data for \(list) on \(Civil.formatDate(day: Civil.split(a).day)) before the as-of time; those intervals are left out of the update (not counted as zero). Fix: ingest them, or move --as-of back to the last interval ingested")
                    }
                    startSlot = sod
                    h = f.count
                    input = series.input
                }
                let ahtF = HandleTimeForecast.forecast(volume: series.input.y, aht: series.aht, slotsPerDay: m1, horizon: h)
                let hasAHT = ahtF.contains { !$0.isNaN }
                var rows: [Store.ForecastRow] = []
                for t in startSlot..<h {
                    let local = series.endDay * 86_400 + Int64(t * series.intervalMinutes * 60)
                    let utc: Int64
                    switch zone.resolve(local: local) {
                    case .unique(let u), .ambiguous(let u, _): utc = u
                    case .gap: continue // a wall-clock slot that does not exist (DST)
                    }
                    rows.append(Store.ForecastRow(ts: utc, mean: f.mean[t], lo80: f.lo80[t], hi80: f.hi80[t], lo95: f.lo95[t], hi95: f.hi95[t], aht: ahtF[t]))
                    intervalTable.rows.append([.text(Civil.formatLocal(local)), .text(name), .number(f.mean[t], decimals: 2), .number(f.lo80[t], decimals: 1),
                                               .number(f.hi80[t], decimals: 1), .number(f.lo95[t], decimals: 1), .number(f.hi95[t], decimals: 1),
                                               hasAHT ? .number(ahtF[t], decimals: 1) : .null])
                }
                if !noStore {
                    let model = usedModel, storedRows = rows
                    pendingStores.append {
                        try store.saveForecast(channel: series.store, model: model, intervalMinutes: series.intervalMinutes, rows: storedRows)
                    }
                }
                if peaks || explain {
                    let dp = try? DayProfile().run(input, horizon: h)
                    if peaks { addPeaks(&peakTable, name: name, series: series, forecast: f, effects: dp?.effects, horizon: h) }
                    if explain, let e = dp?.effects {
                        for (j, n) in e.names.enumerated() where !n.hasPrefix("weekday=") && !n.hasPrefix("level@") {
                            let b = e.relativeLog(j), se = e.standardErrors[j]
                            effectTable.rows.append([.text(name), .text(n == "holiday" ? "holiday (vs an average business day)" : n), .number((exp(b) - 1) * 100, decimals: 1),
                                                     .number((exp(b - 1.96 * se) - 1) * 100, decimals: 1), .number((exp(b + 1.96 * se) - 1) * 100, decimals: 1),
                                                     .int(e.occurrences[j])])
                        }
                        Console.note("peakplan: \(name): day-total model: residual sd \(String(format: "%.3f", e.residualSD)) (log), level smoothing \(String(format: "%.2f", e.smoothing)), lag-1 autocorrelation \(String(format: "%.2f", e.ar1))\(e.profileWeekdayWeight.map { String(format: ", intraday profiles %.0f%% own weekday, %.0f%% pooled with similar weekdays", $0 * 100, (1 - $0) * 100) } ?? "")")
                    }
                }
                do {
                    Console.note("peakplan: \(name): \(usedModel) forecast of \(h - startSlot) \(series.intervalMinutes)-minute intervals from \(Civil.formatLocal(series.endDay * 86_400 + Int64(startSlot * series.intervalMinutes * 60)).prefix(16))\(noStore ? "" : " (stored)")")
                }
            }
            var text = ""
            let fmt = output.format.format
            if fmt == .json && peaks && explain {
                // One JSON document: both tables as named sections.
                text = JSONDocument.sections([("peaks", peakTable), ("effects", effectTable)])
            } else {
                if peaks { text += peakTable.render(fmt) }
                if explain { text += (text.isEmpty || fmt != .table ? "" : "\n") + effectTable.render(fmt) }
                if !peaks && !explain { text = intervalTable.render(fmt) }
            }
            try sink.write(text)
            try sink.finish()
            for save in pendingStores { try save() }
        } catch { throw failure(error) }
    }

    /// Forecast from a saved model: no history is read; the calendar (events + rules) comes from the workspace.
    func forecastFromSaved(file: String, store: Store, config: WorkspaceConfig, zone: ZoneRules) throws {
        let data: Data
        if file.hasPrefix("stored:") {
            let ch = String(file.dropFirst(7))
            guard let json = try store.latestFittedModel(channel: ch) else {
                throw fail("no fitted model stored for channel \(ch): run `peakplan forecast --channel \(ch)` first", code: Exit.noInput)
            }
            data = Data(json.utf8)
        } else {
            guard let d = FileManager.default.contents(atPath: file) else {
                throw fail("\(file): cannot read the saved model", code: Exit.noInput)
            }
            data = d
        }
        let saved: SavedModel
        do { saved = try SavedModel.decode(data) } catch {
            throw fail("\(file): not a PeakPlan saved model: \(error)", code: Exit.dataError)
        }
        let m1 = 24 * 60 / saved.intervalMinutes
        let h = parseHorizon(horizon, slotsPerDay: m1)!
        guard let endDay = Civil.parseDate(saved.historyEnd) else { throw fail("\(file): bad historyEnd \(saved.historyEnd)", code: Exit.dataError) }
        let cal = DayCalendar.build(firstDay: endDay, days: h / m1 + 2, events: try store.events(), channel: saved.channel,
                                    rules: config.rules, weekend: Set(config.weekend))
        let f = try saved.state.predict(calendar: cal, horizon: h)
        var table = Table(columns: ["timestamp", "channel", "mean", "lo80", "hi80", "lo95", "hi95"])
        for t in 0..<h {
            let local = endDay * 86_400 + Int64(t * saved.intervalMinutes * 60)
            table.rows.append([.text(Civil.formatLocal(local)), .text(saved.channel), .number(f.mean[t], decimals: 2), .number(f.lo80[t], decimals: 1),
                               .number(f.hi80[t], decimals: 1), .number(f.lo95[t], decimals: 1), .number(f.hi95[t], decimals: 1)])
        }
        Console.note("peakplan: \(saved.channel): \(saved.model) forecast from the saved model \(file) (fitted on history up to \(saved.historyEnd)), \(h) intervals")
        try output.emit(table.render(output.format.format))
    }

    /// The exit-65 message for a channel with too little history to forecast.
    static func tooLittleHistory(channel: String, days: Int, model: ForecastModel) -> String {
        "channel \(channel) has \(days) whole day\(days == 1 ? "" : "s") of history; forecasting needs at least 14 (two weeks, for the snaive-week fallback)"
            + (model.minimumDays > 14 ? ", and \(model.minimumDays) for model \(model.id)" : "")
            + ". Fix: ingest more history for \(channel), or leave it out with --channel"
    }

    func addPeaks(_ table: inout Table, name: String, series: LoadedSeries, forecast f: Forecast, effects: DayProfile.Effects?, horizon h: Int) {
        let m1 = series.input.slotsPerDay
        let cal = series.input.calendar
        let nd = series.input.days
        let y = series.input.y
        // Normal level per weekday: mean total of the last 4 same-weekday days without events.
        var normal = [Double?](repeating: nil, count: 7)
        for w in 0..<7 {
            var totals: [Double] = []
            for d in stride(from: nd - 1, through: 0, by: -1) where cal.weekday(d) == w && cal.tags[d].isEmpty && !cal.excluded[d] {
                let v = (0..<m1).map { y[d * m1 + $0] }
                if v.contains(where: \.isNaN) { continue }
                totals.append(v.reduce(0, +))
                if totals.count == 4 { break }
            }
            if !totals.isEmpty { normal[w] = totals.reduce(0, +) / Double(totals.count) }
        }
        for j in 0..<(h / m1) {
            let d = nd + j
            let w = cal.weekday(d)
            guard let base = normal[w], base > 0 else { continue }
            let total = f.mean[(j * m1)..<((j + 1) * m1)].reduce(0, +)
            let change = total / base - 1
            guard abs(change) >= peakMargin else { continue }
            let busiest = (0..<m1).max { f.mean[j * m1 + $0] < f.mean[j * m1 + $1] }!
            var causes: [String] = []
            if let e = effects {
                for t in cal.tags[d] {
                    if let k = e.names.firstIndex(of: t) { causes.append("\(t) \(String(format: "%+.0f%%", (exp(e.relativeLog(k)) - 1) * 100))") }
                }
            }
            let named = cal.causes[d]
            var cause = named.isEmpty ? "" : named.joined(separator: "; ")
            if !causes.isEmpty { cause += (cause.isEmpty ? "" : " — ") + causes.joined(separator: ", ") }
            if cause.isEmpty { cause = "level: recent \(Civil.weekdayNames[w]) totals trend \(change > 0 ? "up" : "down")" }
            // Event names are free text people open in a spreadsheet.
            cause = InputRules.spreadsheetSafe(cause)
            let local = (series.endDay + Int64(j)) * 86_400 + Int64(busiest * series.intervalMinutes * 60)
            table.rows.append([.text(Civil.formatDate(day: series.endDay + Int64(j))), .text(Civil.weekdayNames[w]), .text(name),
                               .text(change > 0 ? "peak" : "dip"), .number(total, decimals: 0), .number(base, decimals: 0),
                               .number(change * 100, decimals: 1), .text(String(Civil.formatLocal(local).suffix(8).prefix(5))),
                               .number(f.mean[j * m1 + busiest], decimals: 1), .text(cause)])
        }
    }
}
