import Forecasting
import Foundation
import PlanningCore
import Reports
import Store

public struct BacktestRequest: Sendable {
    public var workspace: Workspace
    /// Channels (empty: all).
    public var channels: [String] = []
    public var aggregateMinutes: Int?
    /// Sum each channel finer than this interval (and dividing it) up to it.
    public var planningInterval: Int?
    /// Model ids (nil: every registered model).
    public var models: [String]?
    public var origins = 4
    /// Chosen origins (local days, each the first forecast day) instead of the rolling ones.
    public var originDays: [Int64] = []
    public var maxTrainDays = 364
    /// Leave out fit_seconds (the only column that varies run to run).
    public var noTimings = false

    public init(workspace: Workspace) { self.workspace = workspace }
}

/// Backtest results as a table and as store records (not stored yet: `save(into:)`).
public struct BacktestOutcome: Sendable {
    public var table: Table
    public var records: [Store.BacktestRecord]
    /// The best model per channel and horizon bucket, and where `auto` stands (`BacktestSummary`).
    public var summary: Table
    /// Day-total WAPE on event days per calendar kind.
    public var eventKinds: Table

    public func save(into store: Store) throws { try store.saveBacktest(records) }
}

/// The backtest stage: rolling-origin accuracy of every model.
public enum BacktestStage {
    /// Units in the names: _pct percent, _contacts contacts per interval, _seconds seconds; mase, mase_median and
    /// pinball_scaled are ratios to the in-sample MAE of the weekly seasonal naive (1 = as good as it).
    public static let columns = [
        "channel", "model", "horizon", "mase", "mase_median", "smape_pct", "wape_pct", "rmse_contacts", "pinball_scaled",
        "coverage80_pct", "coverage95_pct", "coverage80_busy_pct", "event_day_wape_pct", "peak_day_error_pct", "origins", "fit_seconds"
    ]
    public static let eventKindColumns = ["channel", "model", "horizon", "event_kind", "days", "day_total_wape_pct"]

    public static func run(_ req: BacktestRequest) throws -> BacktestOutcome {
        let config = try req.workspace.loadConfig()
        let zone = try config.zone()
        let store = try req.workspace.openStore()
        var list = ModelRegistry.all
        if let ids = req.models {
            list = []
            for id in ids {
                guard let model = ModelRegistry.model(id) else {
                    throw PlanError("unknown model \(id); registered: \(ModelRegistry.all.map(\.id).joined(separator: ", "))", .usage)
                }
                list.append(model)
            }
        }
        let records0 = try store.channels()
        let names = req.channels.isEmpty ? records0.map(\.name) : req.channels
        var table = Table(columns: columns)
        var kindTable = Table(columns: eventKindColumns)
        var bt = Backtest()
        bt.origins = req.origins
        bt.maxTrainDays = req.maxTrainDays
        var records: [Store.BacktestRecord] = []
        for name in names {
            var aggregate = req.aggregateMinutes
            if aggregate == nil, let p = req.planningInterval, let ch = records0.first(where: { $0.name == name }),
                ch.intervalMinutes < p && p % ch.intervalMinutes == 0
            {
                aggregate = p
            }
            let series = try SeriesLoader.load(store: store, config: config, zone: zone, channel: name, aggregateMinutes: aggregate, horizonDays: 8)
            bt.originDays = try originIndices(req.originDays, series: series, backtest: bt)
            let bar = Diagnostics.progress("backtest \(name)")
            let rows = bt.run(series.input, models: list)
            bar.finish()
            if bt.originSlots(series.input).isEmpty {
                Diagnostics.note("channel \(name) is too short for a backtest (needs 3 weeks before the first origin)")
            }
            for r in rows {
                if let f = r.failure, r.horizon == "1d" { Diagnostics.note("\(name): model \(r.model) skipped at some origins: \(f)") }
                guard r.originsScored > 0 else { continue }
                let m = r.metrics
                records.append(
                    Store.BacktestRecord(
                        channel: name, model: r.model, horizon: r.horizon, intervalMinutes: series.intervalMinutes,
                        mase: m.mase, smape: m.smape, wape: m.wape, rmse: m.rmse, pinball: m.spinball,
                        coverage80: m.coverage80, coverage95: m.coverage95, eventDayError: m.eventDayError,
                        peakErrorPct: m.peakDayErrorPct, fitSeconds: r.fitSeconds, origins: r.originsScored))
                table.rows.append([
                    .text(name), .text(r.model), .text(r.horizon), .number(m.mase, decimals: 3),
                    .number(m.maseMedian, decimals: 3), .number(m.smape, decimals: 1),
                    .number(m.wape, decimals: 1), .number(m.rmse, decimals: 2), .number(m.spinball, decimals: 3),
                    .number(m.coverage80, decimals: 1), .number(m.coverage95, decimals: 1), .number(m.coverage80Busy, decimals: 1),
                    m.eventDayError.map { .number($0, decimals: 1) } ?? .null, .number(m.peakDayErrorPct, decimals: 1), .int(r.originsScored),
                    req.noTimings ? .null : .number(r.fitSeconds, decimals: 4)
                ])
                for (k, e) in m.eventKinds.sorted(by: { $0.key < $1.key }) {
                    kindTable.rows.append([.text(name), .text(r.model), .text(r.horizon), .text(k), .int(e.days), .number(e.wape, decimals: 1)])
                }
            }
        }
        if records.contains(where: { $0.wape.isNaN }) {
            Diagnostics.note("wape is empty (null in JSON) where the window's actuals total less than \(Int(AccuracyMetrics.wapeMinimumActual)) contact: it is undefined there")
        }
        return BacktestOutcome(table: table, records: records, summary: BacktestSummary.table(records), eventKinds: kindTable)
    }

    /// Chosen origin days as indices of the series, or a usage error naming the day and the days allowed.
    static func originIndices(_ days: [Int64], series: LoadedSeries, backtest bt: Backtest) throws -> [Int] {
        try days.map { day in
            let d = Int(day - series.firstDay)
            guard bt.validOrigin(d, series.input) else {
                let first = Civil.formatDate(day: series.firstDay + 21), last = Civil.formatDate(day: series.endDay - 7)
                throw PlanError(
                    "--origin \(Civil.formatDate(day: day)): \(series.channel) needs 3 weeks of history before an origin and a week after it; choose a day from \(first) to \(last)",
                    .usage)
            }
            return d
        }
    }
}
