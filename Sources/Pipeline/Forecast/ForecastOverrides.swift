import Forecasting
import Foundation
import PlanningCore
import Reports
import Store

/// What a planner or a scenario states about the forecast, on top of the statistical model, in one order of
/// precedence: a scenario's event size > a planner override (`peakplan forecast adjust`) > the learnt effect.
///
/// - A scenario event size (`change` in `[[scenarios.NAME.events]]`) is the event day's total change against
///   a normal day: the day's forecast is the model's forecast of that day without the event, times 1 + change
///   (whatever effect the model learnt for the event or its kind; other calendar effects of the day are kept).
/// - A planner override sets or scales the forecast of a day or interval range; adjustments apply in the order
///   they were made, each to the result of the earlier ones, except on days a scenario event sizes.
/// - A scenario's volume and handle-time changes (`[[scenarios.NAME.volume]]`) then multiply the result.
public enum ForecastOverrides {
    /// Replaces each sized event's day with the no-event forecast times 1 + change (sizes on the same day
    /// multiply). Returns the local days changed, with a note per day.
    static func applyEventSizes(
        _ sizes: [Scenario.EventSize], to f: inout Forecast, fitted: FittedState, series: LoadedSeries, events: [CalendarEvent],
        config: WorkspaceConfig, channel: String, horizon h: Int
    ) throws -> [Int64: String] {
        let mine = sizes.filter { $0.event.channel == nil || $0.event.channel == channel }
        let m1 = series.input.slotsPerDay
        let inHorizon = mine.filter { $0.event.day >= series.endDay && Int($0.event.day - series.endDay) * m1 < h }
        guard !inHorizon.isEmpty else { return [:] }
        let sized = Set(inHorizon.map(\.event))
        let calendar = DayCalendar.build(
            firstDay: series.firstDay, days: series.input.calendar.days, events: events.filter { !sized.contains($0) }, channel: channel,
            rules: config.rules, weekend: Set(config.weekend))
        let normal = try fitted.predict(calendar: calendar, horizon: h)
        var factor: [Int64: Double] = [:]
        var names: [Int64: [String]] = [:]
        for s in inHorizon {
            factor[s.event.day, default: 1] *= 1 + s.change
            names[s.event.day, default: []].append("\(s.event.name) \(String(format: "%+.0f%%", s.change * 100))")
        }
        var notes: [Int64: String] = [:]
        for (day, k) in factor.sorted(by: { $0.key < $1.key }) {
            let t0 = Int(day - series.endDay) * m1
            let slots = t0..<min(t0 + m1, h)
            let learnt = slots.reduce(0.0) { $0 + f.mean[$1] }, base = slots.reduce(0.0) { $0 + normal.mean[$1] }
            for t in slots {
                f.mean[t] = normal.mean[t] * k
                f.median[t] = normal.median[t] * k
                f.lo80[t] = normal.lo80[t] * k
                f.hi80[t] = normal.hi80[t] * k
                f.lo95[t] = normal.lo95[t] * k
                f.hi95[t] = normal.hi95[t] * k
            }
            let was = base > 0 ? String(format: "%+.0f%%", (learnt / base - 1) * 100) : "n/a"
            notes[day] =
                "\(names[day]!.joined(separator: ", ")): day total \(grouped(Int((base * k).rounded()))) against \(grouped(Int(base.rounded()))) on a normal day (the learnt effect gave \(was))"
        }
        return notes
    }

    /// Applies the planner's adjustments of this channel to the forecast rows in the order they were made;
    /// rows on `protectedDays` (sized by a scenario event) are left alone. Each changed row keeps its
    /// statistical values and the id of the last adjustment applied. Returns the adjustments that changed
    /// something, with the rows each changed, and the rows left alone for the scenario.
    static func applyAdjustments(_ list: [Store.ForecastAdjustment], to c: inout ChannelForecast, protectedDays: Set<Int64>)
        -> (applied: [(Store.ForecastAdjustment, Int)], skipped: Int)
    {
        var applied: [(Store.ForecastAdjustment, Int)] = []
        var skipped = 0
        for a in list.sorted(by: { $0.id < $1.id }) where a.channel == c.channel {
            var hit: [Int] = []
            for i in c.rows.indices where c.rows[i].local >= a.fromLocal && c.rows[i].local < a.toLocal {
                if protectedDays.contains(Civil.split(c.rows[i].local).day) { skipped += 1 } else { hit.append(i) }
            }
            guard !hit.isEmpty else { continue }
            for i in hit where c.rows[i].statistical == nil { c.rows[i].statistical = .init(c.rows[i]) }
            switch (a.operation, a.unit) {
            case (.scale, _):
                for i in hit { c.rows[i].scale(by: a.value) }
            case (.set, .interval):
                for i in hit { c.rows[i].set(to: a.value) }
            case (.set, .day):
                let days = Dictionary(grouping: hit) { Civil.split(c.rows[$0].local).day }
                for (_, rows) in days {
                    let total = rows.reduce(0.0) { $0 + c.rows[$1].mean }
                    if total > 0 {
                        for i in rows { c.rows[i].scale(by: a.value / total) }
                    } else {
                        for i in rows { c.rows[i].set(to: a.value / Double(rows.count)) }
                    }
                }
            }
            for i in hit { c.rows[i].adjustment = a.id }
            applied.append((a, hit.count))
        }
        return (applied, skipped)
    }

    /// Peak days re-measured on the adjusted rows (total, busiest interval, change against normal), naming the
    /// adjustment in the cause.
    static func remeasurePeaks(_ c: inout ChannelForecast) {
        c.peaks = c.peaks.map { p in
            let rows = c.rows.filter { Civil.split($0.local).day == p.day }
            let ids = Set(rows.compactMap(\.adjustment)).sorted()
            guard !ids.isEmpty, let top = rows.max(by: { $0.mean < $1.mean }) else { return p }
            var q = p
            q.total = rows.reduce(0) { $0 + $1.mean }
            // The interval keeps its width relative to the total.
            if p.total > 0 { q.lo80 = p.lo80.map { $0 * q.total / p.total }; q.hi80 = p.hi80.map { $0 * q.total / p.total } }
            q.busiestLocal = top.local
            q.busiestMean = top.mean
            q.change = q.normal > 0 ? q.total / q.normal - 1 : 0
            let note = "planner adjustment " + ids.map { "#\($0)" }.joined(separator: ", ")
            q.cause = q.cause.isEmpty ? note : note + "; " + q.cause
            return q
        }
    }

    /// The adjustments as a table (`forecast adjust --list`, and the plan report's list).
    public static func table(_ list: [Store.ForecastAdjustment], title: String? = nil) -> Table {
        var t = Table(title: title, columns: ["id", "channel", "range", "unit", "change", "reason", "created_at"])
        for a in list {
            let d = describe(a)
            t.rows.append([.int(Int(a.id)), .text(a.channel), .text(d.range), .text(a.unit.rawValue), .text(d.change), .text(a.reason), .text(a.createdAt)])
        }
        return t
    }

    /// A human description of an adjustment's range and operation.
    public static func describe(_ a: Store.ForecastAdjustment) -> (range: String, change: String) {
        let range: String
        switch a.unit {
        case .day:
            let first = Civil.split(a.fromLocal).day, last = Civil.split(a.toLocal).day - 1
            range = first == last ? Civil.formatDate(day: first) : "\(Civil.formatDate(day: first))..\(Civil.formatDate(day: last))"
        case .interval:
            range = "\(Civil.formatLocal(a.fromLocal).prefix(16))..\(Civil.formatLocal(a.toLocal).prefix(16))"
        }
        let change: String
        switch (a.operation, a.unit) {
        case (.scale, _): change = "x" + String(format: "%.3f", a.value)
        case (.set, .day): change = "set to \(String(format: "%g", a.value)) contacts a day"
        case (.set, .interval): change = "set to \(String(format: "%g", a.value)) contacts an interval"
        }
        return (range, change)
    }
}

extension ChannelForecast.Row {
    mutating func scale(by k: Double) {
        mean *= k
        lo80 *= k
        hi80 *= k
        lo95 *= k
        hi95 *= k
    }

    /// Sets the mean, moving the bounds with it (all of them to the value when the mean was 0).
    mutating func set(to v: Double) {
        if mean > 0 { scale(by: v / mean) } else { (mean, lo80, hi80, lo95, hi95) = (v, v, v, v, v) }
    }
}
