import ArgumentParser
import CommandLineSupport
import Forecasting
import Foundation
import PlanningCore
import Reports
import Store
import Pipeline

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
        Planner overrides: `peakplan forecast adjust` (set or scale a day or interval range, with a reason); the
        output's statistical_mean column keeps the model's value and adjustment_id names the override applied.
        """,
        subcommands: [ForecastAdjust.self]
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

    func parseHorizon(_ text: String, slotsPerDay m1: Int) -> Int? { ForecastRequest.horizonSlots(text, slotsPerDay: m1) }

    /// The application-layer request these options describe.
    var request: ForecastRequest {
        var r = ForecastRequest(workspace: ws.ws)
        r.channels = channels; r.horizon = horizon; r.model = model; r.aggregateMinutes = aggregate
        r.peaks = peaks; r.explain = explain; r.peakMargin = peakMargin; r.saveModelDir = saveModel
        r.asOf = asOf.flatMap { try? Civil.parseTimestamp($0).get().localSeconds }
        return r
    }

    func run() throws {
        do {
            if let file = fromModel {
                let config = try ws.loadConfig()
                try forecastFromSaved(file: file, store: try ws.openStore(), config: config, zone: try config.zone())
                return
            }
            // Open the output first: a bad --out fails (73) before anything is stored.
            let sink = try OutputSink(path: output.out)
            let outcome = try ForecastStage.run(request)
            let fmt = output.format.format
            let peakTable = ForecastOutcome.peakTable(outcome.channels, title: fmt == .table ? "Predicted peaks and dips" : nil)
            let effectTable = ForecastOutcome.effectTable(outcome.channels, title: fmt == .table ? "Calendar effects on day totals (multiplicative)" : nil)
            var text = ""
            if fmt == .json && peaks && explain {
                // One JSON document: both tables as named sections.
                text = JSONDocument.sections([("peaks", peakTable), ("effects", effectTable)])
            } else {
                if peaks { text += peakTable.render(fmt) }
                if explain { text += (text.isEmpty || fmt != .table ? "" : "\n") + effectTable.render(fmt) }
                if !peaks && !explain { text = ForecastOutcome.intervalTable(outcome.channels).render(fmt) }
            }
            try sink.write(text)
            try sink.finish()
            // Stored only once the output is written (nothing half-done on a failure).
            if !noStore {
                try outcome.save(into: try ws.openStore())
                Diagnostics.info("peakplan: forecast stored for \(outcome.channels.map(\.channel).joined(separator: ", "))")
            }
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
        let m1 = TimeGrid.slotsPerDay(minutes: saved.intervalMinutes)
        let h = parseHorizon(horizon, slotsPerDay: m1)!
        guard let endDay = Civil.parseDate(saved.historyEnd) else { throw fail("\(file): bad historyEnd \(saved.historyEnd)", code: Exit.dataError) }
        let cal = DayCalendar.build(firstDay: endDay, days: h / m1 + 2, events: try store.events(), channel: saved.channel,
                                    rules: config.rules, weekend: Set(config.weekend))
        let f = try saved.state.predict(calendar: cal, horizon: h)
        var table = Table(columns: ["timestamp", "channel", "mean", "lo80", "hi80", "lo95", "hi95"])
        for t in 0..<h {
            let local = LocalDateTime.startOfDay(endDay) + Int64(t * saved.intervalMinutes * TimeGrid.secondsPerMinute)
            table.rows.append([.text(Civil.formatLocal(local)), .text(saved.channel), .number(f.mean[t], decimals: 2), .number(f.lo80[t], decimals: 1),
                               .number(f.hi80[t], decimals: 1), .number(f.lo95[t], decimals: 1), .number(f.hi95[t], decimals: 1)])
        }
        Diagnostics.info("peakplan: \(saved.channel): \(saved.model) forecast from the saved model \(file) (fitted on history up to \(saved.historyEnd)), \(h) intervals")
        try output.emit(table.render(output.format.format))
    }
}
