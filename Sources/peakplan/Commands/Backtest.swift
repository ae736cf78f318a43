import ArgumentParser
import Forecasting
import Foundation
import PlanningCore
import Reports
import Store

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
            let config = try ws.loadConfig()
            let zone = try config.zone()
            let store = try ws.openStore()
            var list = ModelRegistry.all
            if let m = models {
                let ids = m.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                list = []
                for id in ids {
                    guard let model = ModelRegistry.model(id) else {
                        throw fail("unknown model \(id); registered: \(ModelRegistry.all.map(\.id).joined(separator: ", "))", code: Exit.usage)
                    }
                    list.append(model)
                }
            }
            let names = channels.isEmpty ? try store.channels().map(\.name) : channels
            var table = Table(columns: ["channel", "model", "horizon", "mase", "mase_median", "smape", "wape", "rmse", "pinball",
                                        "coverage80", "coverage95", "coverage80_busy", "event_day_error", "peak_error_pct", "fit_seconds"])
            var bt = Backtest()
            bt.origins = origins
            bt.maxTrainDays = maxTrainDays
            var records: [Store.BacktestRecord] = []
            for name in names {
                let series = try SeriesLoader.load(store: store, config: config, zone: zone, channel: name, aggregateMinutes: aggregate, horizonDays: 8)
                let bar = Progress("backtest \(name)")
                let rows = bt.run(series.input, models: list)
                bar.finish()
                if bt.originSlots(series.input).isEmpty {
                    Console.note("peakplan: note: channel \(name) is too short for a backtest (needs 3 weeks before the first origin)")
                }
                for r in rows {
                    if let f = r.failure, r.horizon == "1d" { Console.note("peakplan: note: \(name): model \(r.model) skipped at some origins: \(f)") }
                    guard r.originsScored > 0 else { continue }
                    let m = r.metrics
                    records.append(Store.BacktestRecord(channel: name, model: r.model, horizon: r.horizon, intervalMinutes: series.intervalMinutes,
                                                        mase: m.mase, smape: m.smape, wape: m.wape, rmse: m.rmse, pinball: m.spinball,
                                                        coverage80: m.coverage80, coverage95: m.coverage95, eventDayError: m.eventDayError,
                                                        peakErrorPct: m.peakErrorPct, fitSeconds: r.fitSeconds, origins: r.originsScored))
                    table.rows.append([.text(name), .text(r.model), .text(r.horizon), .number(m.mase, decimals: 3),
                                       .number(m.maseMedian, decimals: 3), .number(m.smape, decimals: 1),
                                       .number(m.wape, decimals: 1), .number(m.rmse, decimals: 2), .number(m.spinball, decimals: 3),
                                       .number(m.coverage80, decimals: 1), .number(m.coverage95, decimals: 1), .number(m.coverage80Busy, decimals: 1),
                                       m.eventDayError.map { .number($0, decimals: 1) } ?? .null, .number(m.peakErrorPct, decimals: 1),
                                       noTimings ? .null : .number(r.fitSeconds, decimals: 4)])
                }
            }
            if records.contains(where: { $0.wape.isNaN }) {
                Console.note("peakplan: note: wape is empty (null in JSON) where the window's actuals total less than \(Int(AccuracyMetrics.wapeMinimumActual)) contact: it is undefined there")
            }
            // Write the output first: a bad --out (exit 73) stores nothing.
            try output.emit(table.render(output.format.format))
            try store.saveBacktest(records)
        } catch { throw failure(error) }
    }
}
