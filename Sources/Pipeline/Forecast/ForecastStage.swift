import Forecasting
import Foundation
import PlanningCore
import Reports
import Store

/// What to forecast.
public struct ForecastRequest: Sendable {
    public var workspace: Workspace
    /// Channels (empty: every channel in the store).
    public var channels: [String] = []
    /// Days (14d), hours (36h) or intervals (336).
    public var horizon: String = "14d"
    public var model: String = "auto"
    /// Sum every series to this interval first (minutes).
    public var aggregateMinutes: Int?
    /// Sum each channel finer than this interval (and dividing it) up to it: the plan's planning interval.
    public var planningInterval: Int?
    /// Compute predicted peak and dip days.
    public var peaks = false
    /// Compute the estimated calendar effects.
    public var explain = false
    /// Peak threshold: relative excess over the weekday's normal day total (0 lists every day).
    public var peakMargin = 0.10
    /// Intraday re-forecast from this local time.
    public var asOf: Int64?
    /// Forecast from this local day (a plan's horizon start): a channel whose history ends earlier is forecast
    /// across the gap and the days before are dropped; a channel whose history runs past it is an error.
    public var startDay: Int64?
    /// Also write each fitted model as versioned JSON into this folder.
    public var saveModelDir: String?
    /// Stated event sizes (a scenario's): each replaces the learnt effect on its day (`ForecastOverrides`).
    public var eventSizes: [Scenario.EventSize] = []
    /// Apply the planner's stored adjustments (`peakplan forecast adjust`).
    public var applyAdjustments = true

    public init(workspace: Workspace) { self.workspace = workspace }

    /// Intervals in a horizon text for a grid of `slotsPerDay`; nil when the text is not a horizon.
    public static func horizonSlots(_ text: String, slotsPerDay m1: Int) -> Int? {
        if text.hasSuffix("d"), let d = Int(text.dropLast()), d > 0, d <= 366 { return d * m1 }
        if text.hasSuffix("h"), let h = Int(text.dropLast()), h > 0, h <= 24 * 366 { return max(1, h * m1 / 24) }
        if let n = Int(text), n > 0, n <= 366 * 288 { return n }
        return nil
    }
}

/// One channel's forecast, with what was computed beside it.
public struct ChannelForecast: Sendable {
    public struct Row: Sendable, Equatable {
        public var local: Int64
        public var utc: Int64
        public var mean, lo80, hi80, lo95, hi95: Double
        /// Forecast handle time in seconds (NaN when the history has none).
        public var aht: Double
        /// The statistical forecast of this interval when a planner adjustment changed it (nil: not adjusted).
        public var statistical: Statistical? = nil
        /// The planner adjustment applied last to this interval.
        public var adjustment: Int64? = nil
    }
    /// The model's values of an adjusted interval.
    public struct Statistical: Sendable, Equatable {
        public var mean, lo80, hi80, lo95, hi95: Double
        init(_ r: Row) { (mean, lo80, hi80, lo95, hi95) = (r.mean, r.lo80, r.hi80, r.lo95, r.hi95) }
    }
    /// A predicted peak (or dip) day.
    public struct PeakDay: Sendable, Equatable {
        public var day: Int64
        public var weekday: Int
        public var total: Double
        /// The 80% interval of the day's total (`FittedState.dayTotal80`; nil for a model without one).
        public var lo80: Double?
        public var hi80: Double?
        public var normal: Double
        public var change: Double
        /// Local start of the busiest interval and its mean.
        public var busiestLocal: Int64
        public var busiestMean: Double
        public var cause: String
        public var isPeak: Bool { change > 0 }
    }
    public struct Effect: Sendable, Equatable {
        public var name: String
        public var changePct, lo95Pct, hi95Pct: Double
        public var occurrences: Int
        /// What the change is relative to (`DayProfile.Effects.base(of:)`).
        public var relativeTo = ""
    }

    public var channel: String
    public var model: String
    public var intervalMinutes: Int
    public var record: Store.ChannelRecord
    public var rows: [Row]
    public var hasAHT: Bool
    public var peaks: [PeakDay] = []
    public var effects: [Effect] = []
    public var saved: SavedModel
    /// The planner adjustments that changed this forecast, with the intervals each changed.
    public var adjustments: [(adjustment: Store.ForecastAdjustment, intervals: Int)] = []
    /// Days a scenario event size set, with what it did.
    public var eventSizeNotes: [String] = []
}

/// The result of the forecast stage (nothing stored yet: `save(into:)` stores it once the caller's output is
/// written, so a failed output stores nothing).
public struct ForecastOutcome: Sendable {
    public var channels: [ChannelForecast]

    /// Stores every channel's fitted model and forecast; returns the forecast run ids by channel.
    @discardableResult
    public func save(into store: Store) throws -> [String: Int64] {
        var ids: [String: Int64] = [:]
        for c in channels {
            let json = String(decoding: try c.saved.encoded(), as: UTF8.self)
            try store.saveFittedModel(channel: c.channel, model: c.saved.model, intervalMinutes: c.intervalMinutes, historyEnd: c.saved.historyEnd, json: json)
            let run = try store.saveForecast(channel: c.record, model: c.model, intervalMinutes: c.intervalMinutes, rows: c.storeRows)
            // The statistical values beside the adjusted ones, so both can be compared later.
            try store.saveStatisticalValues(
                run: run,
                c.rows.compactMap { r in
                    guard let s = r.statistical, let a = r.adjustment else { return nil }
                    return Store.StatisticalValue(ts: r.utc, adjustmentID: a, mean: s.mean, lo80: s.lo80, hi80: s.hi80, lo95: s.lo95, hi95: s.hi95)
                })
            ids[c.channel] = run
        }
        return ids
    }

    /// statistical_mean: the model's mean (differs from mean where a planner adjustment, named in adjustment_id, changed it).
    public static let intervalColumns = [
        "timestamp", "channel", "mean", "lo80", "hi80", "lo95", "hi95", "aht_seconds", "statistical_mean", "adjustment_id"
    ]
    public static let peakColumns = [
        "date", "weekday", "channel", "kind", "forecast_total", "total_lo80", "total_hi80", "normal_total", "change_pct", "busiest_interval", "busiest_mean", "cause"
    ]
    public static let effectColumns = ["channel", "effect", "change_pct", "lo95_pct", "hi95_pct", "occurrences", "relative_to"]

    public static func intervalTable(_ list: [ChannelForecast]) -> Table {
        var t = Table(columns: intervalColumns)
        for c in list {
            for r in c.rows {
                t.rows.append([
                    .text(Civil.formatLocal(r.local)), .text(c.channel), .number(r.mean, decimals: 2), .number(r.lo80, decimals: 1),
                    .number(r.hi80, decimals: 1), .number(r.lo95, decimals: 1), .number(r.hi95, decimals: 1),
                    c.hasAHT ? .number(r.aht, decimals: 1) : .null, .number(r.statistical?.mean ?? r.mean, decimals: 2),
                    r.adjustment.map { .int(Int($0)) } ?? .null
                ])
            }
        }
        return t
    }

    public static func peakTable(_ list: [ChannelForecast], title: String?) -> Table {
        var t = Table(title: title, columns: peakColumns)
        for c in list {
            for p in c.peaks {
                t.rows.append([
                    .text(Civil.formatDate(day: p.day)), .text(Civil.weekdayNames[p.weekday]), .text(c.channel),
                    .text(p.isPeak ? "peak" : "dip"), .number(p.total, decimals: 0), p.lo80.map { .number($0, decimals: 0) } ?? .null,
                    p.hi80.map { .number($0, decimals: 0) } ?? .null, .number(p.normal, decimals: 0),
                    .number(p.change * 100, decimals: 1), .text(String(Civil.formatLocal(p.busiestLocal).suffix(8).prefix(5))),
                    .number(p.busiestMean, decimals: 1), .text(p.cause)
                ])
            }
        }
        return t
    }

    public static func effectTable(_ list: [ChannelForecast], title: String?) -> Table {
        var t = Table(title: title, columns: effectColumns)
        for c in list {
            for e in c.effects {
                t.rows.append([
                    .text(c.channel), .text(e.name), .number(e.changePct, decimals: 1), .number(e.lo95Pct, decimals: 1),
                    .number(e.hi95Pct, decimals: 1), .int(e.occurrences), .text(e.relativeTo)
                ])
            }
        }
        return t
    }
}

extension ChannelForecast {
    var storeRows: [Store.ForecastRow] {
        rows.map { Store.ForecastRow(ts: $0.utc, mean: $0.mean, lo80: $0.lo80, hi80: $0.hi80, lo95: $0.lo95, hi95: $0.hi95, aht: $0.aht) }
    }
}
