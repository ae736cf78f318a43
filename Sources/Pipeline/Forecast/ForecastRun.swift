import Forecasting
import Foundation
import PlanningCore
import Reports
import Store

/// The forecast stage: history -> fitted model -> interval forecast with intervals, peaks and effects.
public enum ForecastStage {
    public static func run(_ req: ForecastRequest) throws -> ForecastOutcome {
        let config = try req.workspace.loadConfig()
        let zone = try config.zone()
        let store = try req.workspace.openStore()
        guard let chosen = ModelRegistry.model(req.model) else {
            throw PlanError("model \(req.model) is not registered; use one of \(ModelRegistry.all.map(\.id).joined(separator: ", "))", .usage)
        }
        let records = try store.channels()
        let names = req.channels.isEmpty ? records.map(\.name) : req.channels
        var out: [ChannelForecast] = []
        for name in names {
            var aggregate = req.aggregateMinutes
            if aggregate == nil, let p = req.planningInterval, let ch = records.first(where: { $0.name == name }),
                ch.intervalMinutes < p && p % ch.intervalMinutes == 0
            {
                aggregate = p
            }
            var r = req
            // A day in progress (history to 11:30 today): the rest of it is forecast from the morning's actuals, as --as-of.
            if r.asOf == nil && r.startDay == nil, let p = try SeriesLoader.dayInProgress(store: store, zone: zone, channel: name) {
                r.asOf = p.end
                let end = Civil.formatLocal(p.end).prefix(16)
                Diagnostics.note(
                    "\(name): the history ends at \(end) (its last interval starts \(Civil.formatLocal(p.lastStart).dropFirst(11).prefix(5))), inside that day: forecasting from then with the day's actuals so far (as --as-of \(end); give --as-of for another time)"
                )
            }
            out.append(try channel(name, r, chosen: chosen, aggregate: aggregate, store: store, config: config, zone: zone))
        }
        return ForecastOutcome(channels: out)
    }

    /// Fits (falling back to snaive-week when the model cannot fit) and forecasts one channel.
    static func fit(_ input: SeriesInput, name: String, chosen: ForecastModel) throws -> (FittedState, String) {
        do { return (try chosen.fit(input), chosen.id) } catch {
            Diagnostics.note("\(name): \(error.description); falling back to snaive-week")
            do { return (try SeasonalNaive(.week).fit(input), "snaive-week") } catch {
                throw PlanError(tooLittleHistory(channel: name, days: input.days, model: chosen), .dataError)
            }
        }
    }

    static func channel(
        _ name: String, _ req: ForecastRequest, chosen: ForecastModel, aggregate: Int?, store: Store,
        config: WorkspaceConfig, zone: ZoneRules
    ) throws -> ChannelForecast {
        let series = try SeriesLoader.load(
            store: store, config: config, zone: zone, channel: name, aggregateMinutes: aggregate,
            horizonDays: 400, untilLocal: req.asOf)
        let m1 = series.input.slotsPerDay
        guard var h = ForecastRequest.horizonSlots(req.horizon, slotsPerDay: m1) else {
            throw PlanError("horizon \(req.horizon): write days (14d), hours (36h) or a number of intervals", .usage)
        }
        var gap = 0
        if let sd = req.startDay {
            guard sd >= series.endDay else {
                throw PlanError(
                    "\(name): its history runs to \(Civil.formatDate(day: series.endDay - 1)), past the forecast start \(Civil.formatDate(day: sd))", .usage)
            }
            gap = Int(sd - series.endDay) * m1
            h += gap
            if gap > 0 {
                Diagnostics.note(
                    "\(name): history ends \(Civil.formatDate(day: series.endDay - 1)); forecast across \(sd - series.endDay) day\(sd - series.endDay == 1 ? "" : "s") to \(Civil.formatDate(day: sd))"
                )
            }
        }
        // An as-of day after the history's end (a stale store, or no data yet today): forecast across the days between.
        if let a = req.asOf { h += Int(Civil.split(a).day - series.endDay) * m1 }
        if let maxDays = chosen.maximumHorizonDays, h > maxDays * m1 {
            throw PlanError(
                "--horizon \(req.horizon): model \(chosen.id) forecasts at most \(maxDays) days ahead; give --horizon \(maxDays)d or less, or use --model auto or seasonal-avg-4w for longer horizons",
                .usage)
        }
        let input = series.input
        let (fitted, usedModel) = try fit(input, name: name, chosen: chosen)
        if case .combination(let c) = fitted, let choices = c.plan.contexts, !choices.isEmpty {
            let list = choices.map { "\($0.context.rawValue) \($0.winner) (\($0.days) days)" }
            Diagnostics.info("peakplan: \(name): auto's models per calendar context, from backtests on such days: \(list.joined(separator: "; "))")
        }
        var f = try fitted.predict(calendar: input.calendar, horizon: h)
        let sized = try ForecastOverrides.applyEventSizes(
            req.eventSizes, to: &f, fitted: fitted, series: series, events: try store.events(), config: config, channel: name, horizon: h)
        warnUnseenKinds(input, name: name, horizon: h)
        warnUnseenEvents(input, name: name, horizon: h)
        let saved = SavedModel(
            model: usedModel, channel: name, intervalMinutes: series.intervalMinutes,
            historyEnd: Civil.formatDate(day: series.endDay), state: fitted)
        if let dir = req.saveModelDir { try saveModelFile(saved, dir: dir, name: name, intervalMinutes: series.intervalMinutes, model: usedModel) }
        var startSlot = gap
        if let a = req.asOf {
            startSlot = try intradayUpdate(&f, series: series, asOf: a, name: name, store: store, config: config, zone: zone, aggregate: aggregate)
            h = f.count
        }
        let ahtF = HandleTimeForecast.forecast(volume: series.input.y, aht: series.aht, slotsPerDay: m1, horizon: h)
        var rows: [ChannelForecast.Row] = []
        let step = Int64(series.intervalMinutes * TimeGrid.secondsPerMinute)
        for t in startSlot..<h {
            let local = series.endDay * Civil.secondsPerDay + Int64(t) * step
            let utc: Int64
            switch zone.resolve(local: local) {
            case .unique(let u), .ambiguous(let u, _): utc = u
            case .gap: continue  // a wall-clock slot that does not exist (DST)
            }
            rows.append(.init(local: local, utc: utc, mean: f.mean[t], lo80: f.lo80[t], hi80: f.hi80[t], lo95: f.lo95[t], hi95: f.hi95[t], aht: ahtF[t]))
        }
        var result = ChannelForecast(
            channel: name, model: usedModel, intervalMinutes: series.intervalMinutes, record: series.store, rows: rows,
            hasAHT: ahtF.contains { !$0.isNaN }, saved: saved)
        if req.peaks || req.explain {
            let dp = try? DayProfile().run(input, horizon: h)
            if req.peaks {
                result.peaks = PeakFinder.peaks(series: series, forecast: f, effects: dp?.effects, fitted: fitted, horizon: h, margin: req.peakMargin)
                    .filter { $0.day >= series.endDay + Int64(gap / m1) }
            }
            if req.explain, let e = dp?.effects { result.effects = effects(e, name: name) }
        }
        try override(&result, sized: sized, req: req, store: store)
        Diagnostics.info(
            "peakplan: \(name): \(usedModel) forecast of \(h - startSlot) \(series.intervalMinutes)-minute intervals from \(Civil.formatLocal(series.endDay * Civil.secondsPerDay + Int64(startSlot) * step).prefix(16))"
        )
        return result
    }

    /// Notes the scenario's event sizes and applies the planner's adjustments (not on sized days: the scenario wins).
    static func override(_ result: inout ChannelForecast, sized: [Int64: String], req: ForecastRequest, store: Store) throws {
        let name = result.channel
        for (day, note) in sized.sorted(by: { $0.key < $1.key }) {
            result.eventSizeNotes.append("\(Civil.formatDate(day: day)) \(note)")
            Diagnostics.info("peakplan: \(name): \(Civil.formatDate(day: day)): stated event size \(note)")
        }
        guard req.applyAdjustments else { return }
        let (applied, skipped) = ForecastOverrides.applyAdjustments(try store.adjustments(channel: name), to: &result, protectedDays: Set(sized.keys))
        result.adjustments = applied
        guard !applied.isEmpty || skipped > 0 else { return }
        ForecastOverrides.remeasurePeaks(&result)
        let list = applied.map { a, n in "#\(a.id) \(ForecastOverrides.describe(a).change) on \(n) interval\(n == 1 ? "" : "s") (\(a.reason))" }
        Diagnostics.info(
            "peakplan: \(name): planner adjustments applied: \(list.joined(separator: "; "))\(skipped > 0 ? "; \(skipped) adjusted interval\(skipped == 1 ? "" : "s") left to the scenario's event size (scenario > planner override)" : "")"
        )
    }

    static func warnUnseenKinds(_ input: SeriesInput, name: String, horizon h: Int) {
        let m1 = input.slotsPerDay
        let unseen = input.calendar.unseenKinds(historyDays: input.days, horizonDays: (h + m1 - 1) / m1)
        guard !unseen.isEmpty else { return }
        let list = unseen.prefix(5).map { u in
            Civil.formatDate(day: input.calendar.firstDay + Int64(u.day)) + " " + (input.calendar.causes[u.day].first ?? u.kinds.joined(separator: ", "))
        }
        Diagnostics.warning(
            "\(name): \(unseen.count) forecast day\(unseen.count == 1 ? "" : "s") carr\(unseen.count == 1 ? "ies" : "y") a calendar kind the history never had, so no model can estimate its effect and the day is forecast as an ordinary one: \(list.joined(separator: "; "))\(unseen.count > 5 ? "; ..." : ""). Fix: give its expected change in a scenario event (change = ...), or ingest history that holds past occurrences"
        )
    }

    /// One warning listing every forecast day whose event (by name) has no history, with the effect used instead.
    static func warnUnseenEvents(_ input: SeriesInput, name: String, horizon h: Int) {
        let m1 = input.slotsPerDay
        let unseen = input.calendar.unseenEvents(historyDays: input.days, horizonDays: (h + m1 - 1) / m1)
        guard !unseen.isEmpty, let st = try? DayProfile().fitState(input) else { return }
        var list: [String] = []
        for u in unseen {
            for t in u.tags {
                let event = t.split(separator: "=", maxSplits: 1).map(String.init)
                let x = input.calendar.expectedChange[u.day]?[t]
                let date = Civil.formatDate(day: input.calendar.firstDay + Int64(u.day))
                let used = st.fallback(forNameTag: t, expectedChange: x)
                list.append("\(date) \(event.last ?? t) (\(event.first ?? "")): \(used)")
            }
        }
        Diagnostics.warning(
            "\(name): \(list.count) forecast day\(list.count == 1 ? "" : "s") carr\(list.count == 1 ? "ies an event" : "y events") with no history, so \(list.count == 1 ? "its" : "their") effect cannot be learnt and is taken from elsewhere: \(list.prefix(12).joined(separator: "; "))\(list.count > 12 ? "; and \(list.count - 12) more" : ""). Fix: give the event's expected change (column expected_change of the events CSV, the total change against a normal day, e.g. 1.5 for +150%, then peakplan events import; or a scenario event with change = ...)"
        )
    }

    static func saveModelFile(_ saved: SavedModel, dir: String, name: String, intervalMinutes: Int, model: String) throws {
        // Names are checked at ingest; a store written by an older PeakPlan may still hold one that is no file name.
        if let why = InputRules.problem(withName: name, use: .identifier) {
            throw PlanError(
                "channel \(InputRules.printable(name)) \(why), so it cannot name a model file in \(dir). Fix: ingest its history under another channel name", .dataError)
        }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = (dir as NSString).appendingPathComponent("\(name)-\(intervalMinutes)min-\(model).json")
        try writeTextFile(path, String(decoding: try saved.encoded(), as: UTF8.self) + "\n")
        Diagnostics.info("peakplan: \(name): saved the fitted model to \(path)")
    }

    /// Intraday update: actuals of the as-of day before `a` rescale the rest of that day. Returns the first slot
    /// forecast (the as-of slot of that day).
    static func intradayUpdate(
        _ f: inout Forecast, series: LoadedSeries, asOf a: Int64, name: String, store: Store, config: WorkspaceConfig,
        zone: ZoneRules, aggregate: Int?
    ) throws -> Int {
        let m1 = series.input.slotsPerDay
        let step = Int64(series.intervalMinutes * TimeGrid.secondsPerMinute)
        let sod = Int(Civil.split(a).secondOfDay / step)
        // The day in progress counts too: the store may hold it only up to the last interval ingested.
        let full = try SeriesLoader.load(
            store: store, config: config, zone: zone, channel: name, aggregateMinutes: aggregate,
            horizonDays: 2, keepPartialDay: true)
        let dayStart = Int(Civil.split(a).day - full.firstDay) * m1
        // The as-of day's first slot in the forecast (0 unless the history ends days before it).
        let offset = Int(Civil.split(a).day - series.endDay) * m1
        // How much of the so-far surprise carries into the rest of the day, learnt from this history.
        let update = IntradayUpdate.estimate(series.input, from: sod)
        let dayActuals = (0..<sod).map { dayStart + $0 < full.input.y.count ? full.input.y[dayStart + $0] : Double.nan }
        // Intervals without data are left out of both sides of the ratio (not read as zero contacts).
        let missing = dayActuals.indices.filter { dayActuals[$0].isNaN }
        if offset > 0 {
            Diagnostics.note(
                "\(name): the whole days of history end \(Civil.formatDate(day: series.endDay - 1)), before the as-of day: forecast across \(offset / m1) day\(offset == m1 ? "" : "s") to \(Civil.formatDate(day: Civil.split(a).day))"
            )
        }
        let range = offset..<min(offset + m1, f.count)
        var day = f.slice(range)
        let (actual, expected, ratio) = update.apply(&day, actuals: dayActuals[...], from: sod, end: m1)
        for (k, t) in range.enumerated() {
            (f.mean[t], f.median[t], f.lo80[t], f.hi80[t], f.lo95[t], f.hi95[t]) = (day.mean[k], day.median[k], day.lo80[k], day.hi80[k], day.lo95[k], day.hi95[k])
        }
        let seen = "\(sod - missing.count) of \(sod) interval\(sod == 1 ? "" : "s") before \(Civil.formatLocal(a).dropFirst(11).prefix(5)) seen"
        Diagnostics.info(
            "peakplan: \(name): intraday update at \(Civil.formatLocal(a).prefix(16)): \(seen), \(grouped(Int(actual))) contacts so far vs \(grouped(Int(expected.rounded()))) forecast for them; rest of day x\(String(format: "%.3f", ratio)) (carry-over slope \(String(format: "%.2f", update.slope(expected: expected))), learnt on \(update.days) days)"
        )
        if !missing.isEmpty {
            let dayStartLocal = Civil.split(a).day * Civil.secondsPerDay
            let slot = { (k: Int) in String(Civil.formatLocal(dayStartLocal + Int64(k) * step).dropFirst(11).prefix(5)) }
            let list = missing.count <= 6 ? missing.map(slot).joined(separator: ", ") : "\(slot(missing[0]))..\(slot(missing[missing.count - 1])) (\(missing.count) intervals)"
            Diagnostics.warning(
                "\(name): no data for \(list) on \(Civil.formatDate(day: Civil.split(a).day)) before the as-of time; those intervals are left out of the update (not counted as zero). Fix: ingest them, or move --as-of back to the last interval ingested"
            )
        }
        return offset + sod
    }

    static func effects(_ e: DayProfile.Effects, name: String) -> [ChannelForecast.Effect] {
        var out: [ChannelForecast.Effect] = []
        for (j, n) in e.names.enumerated() where !n.hasPrefix("weekday=") && !n.hasPrefix("level@") {
            let b = e.relativeLog(j), se = e.standardErrors[j]
            out.append(
                .init(
                    name: n == "holiday" ? "holiday (vs an average business day)" : n, changePct: (exp(b) - 1) * 100,
                    lo95Pct: (exp(b - 1.96 * se) - 1) * 100, hi95Pct: (exp(b + 1.96 * se) - 1) * 100, occurrences: e.occurrences[j],
                    relativeTo: DayProfile.Effects.base(of: n)))
        }
        Diagnostics.info(
            "peakplan: \(name): day-total model: residual sd \(String(format: "%.3f", e.residualSD)) (log), level smoothing \(String(format: "%.2f", e.smoothing)), lag-1 autocorrelation \(String(format: "%.2f", e.ar1))\(e.profileWeekdayWeight.map { String(format: ", intraday profiles %.0f%% own weekday, %.0f%% pooled with similar weekdays", $0 * 100, (1 - $0) * 100) } ?? "")"
        )
        return out
    }

    /// The exit-65 message for a channel with too little history to forecast.
    public static func tooLittleHistory(channel: String, days: Int, model: ForecastModel) -> String {
        "channel \(channel) has \(days) whole day\(days == 1 ? "" : "s") of history; forecasting needs at least 14 (two weeks, for the snaive-week fallback)"
            + (model.minimumDays > 14 ? ", and \(model.minimumDays) for model \(model.id)" : "")
            + ". Fix: ingest more history for \(channel), or leave it out with --channel"
    }
}
