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
        Example:
          peakplan backtest --workspace demo --channel voice --aggregate 30
          peakplan backtest --workspace demo --channel ps --format json
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

    func run() throws {
        do {
            var req = BacktestRequest(workspace: ws.ws)
            req.channels = channels; req.aggregateMinutes = aggregate; req.origins = origins; req.maxTrainDays = maxTrainDays; req.noTimings = noTimings
            req.models = models.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
            let outcome = try BacktestStage.run(req)
            // Write the output first: a bad --out (exit 73) stores nothing.
            try output.emit(outcome.table.render(output.format.format))
            try outcome.save(into: try ws.openStore())
        } catch { throw failure(error) }
    }
}
