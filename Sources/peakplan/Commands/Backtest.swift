import ArgumentParser
import CommandLineSupport
import Forecasting
import Foundation
import PlanningCore
import Reports
import Store
import Pipeline

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin accuracy of every forecasting model, per horizon bucket.",
        discussion: """
        Protocol (the same as the peer harness, Datasets/benchmarks/forecast-peers so figures compare): 4 origins on day boundaries, the last
        one week before the end of the history, earlier ones 8 days apart; each model forecasts one week from
        each origin; 1d scores the first day, 7d the week. Two more buckets: rest-of-day re-forecasts the first
        day's afternoon from its morning (as `forecast --as-of` at noon) and scores the afternoon; 14-28d forecasts
        28 days from origins three weeks earlier and scores days 15-28 (models limited to shorter horizons, such as
        dshw, have no 14-28d row). MASE and sPinball are scaled by the
        in-sample MAE of the weekly seasonal naive over the 84 days before each origin. mase scores the forecast
        mean, mase_median the predictive median (the point forecast for absolute error; they differ on low-count
        series). coverage80_busy is the 80% coverage on the busy slots (forecast at or above the median of the
        window's positive forecasts), the hours staffing depends on. Models see up to 364 days of history.
        Days of kind anomaly are neither fitted nor scored. Results are stored in the workspace (backtest_results).
        --origin DATE (repeatable) backtests chosen days instead (each the first forecast day; it needs 3 weeks of
        history before it and a week after), e.g. the week before last year's 618; 14-28d then forecasts 28 days
        from the same origins.
        Columns carry their units: _pct percent, _contacts contacts per interval; mase, mase_median and
        pinball_scaled are ratios to the seasonal naive's in-sample error. event_day_wape_pct: day-total WAPE on the
        days with a calendar effect; peak_day_error_pct: the forecast total on the window's busiest actual day
        against that day's actual total (signed %, averaged over origins); origins: origins scored.
        Summary (after the table in --format table; alone with --summary): per channel and horizon bucket the
        model with the lowest MASE, auto's MASE, whether auto is the best, and auto against the best other model
        in % (negative: auto is better). --by-event-kind: day-total WAPE on event days per calendar kind
        (holiday, before:sales, after1:holiday, month_start, ...). CSV and JSON hold one table per run.
        Example:
          peakplan backtest --workspace demo --channel voice --aggregate 30
          peakplan backtest --workspace demo --channel ps --format json
          peakplan backtest --workspace shop --channel voice --origin 2025-06-11 --origin 2025-11-04 --by-event-kind
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions
    @Option(name: .customLong("channel"), help: "Channels to evaluate (repeatable; default: all).") var channels: [String] = []
    @Option(help: ArgumentHelp("Sum the series to this interval first (minutes), e.g. 30 for 6-minute data.", valueName: "minutes"))
    var aggregate: Int?
    @Option(help: ArgumentHelp("Models to run, comma-separated (default: all registered).", valueName: "ids")) var models: String?
    @Option(help: "Number of origins.") var origins: Int = 4
    @Option(help: "Days of history each model may use.") var maxTrainDays: Int = 364
    @Flag(help: "Leave out fit_seconds (the only column that varies run to run).") var noTimings = false
    @Option(name: .customLong("origin"), help: ArgumentHelp("Backtest from this day (YYYY-MM-DD, repeatable) instead of the rolling origins.", valueName: "date"))
    var originDates: [String] = []
    @Flag(help: "Print only the summary: best model per channel and horizon, and where auto stands.") var summary = false
    @Flag(help: "Print only the day-total WAPE on event days per calendar kind.") var byEventKind = false

    func validate() throws {
        for d in originDates where Civil.parseDate(d) == nil { throw ValidationError("--origin \(d): write YYYY-MM-DD") }
        if summary && byEventKind { throw ValidationError("--summary and --by-event-kind are two tables: run them separately") }
        if !originDates.isEmpty && origins != 4 { throw ValidationError("--origins counts rolling origins; with --origin the origins are the days given") }
    }

    func run() throws {
        do {
            var req = BacktestRequest(workspace: ws.ws)
            req.channels = channels; req.aggregateMinutes = aggregate; req.origins = origins; req.maxTrainDays = maxTrainDays; req.noTimings = noTimings
            req.models = models.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            req.originDays = originDates.compactMap { Civil.parseDate($0) }
            let outcome = try BacktestStage.run(req)
            let fmt = output.format.format
            var text: String
            if summary {
                text = outcome.summary.render(fmt)
            } else if byEventKind {
                text = outcome.eventKinds.render(fmt)
            } else {
                text = outcome.table.render(fmt)
                if fmt == .table {
                    var s = outcome.summary
                    s.title = "Best model per horizon (lowest MASE); auto_vs_best_other_pct < 0: auto is better"
                    text += "\n" + s.render(fmt)
                } else {
                    for n in BacktestSummary.notes(outcome.records) { Diagnostics.info("peakplan: backtest: " + n) }
                }
            }
            // Write the output first: a bad --out (exit 73) stores nothing.
            try output.emit(text)
            try outcome.save(into: try ws.openStore())
        } catch { throw failure(error) }
    }
}
