import Foundation
import PlanningCore

extension Combination {
    /// An 80% interval for a forecast day's total, from the day-total errors of `auto`'s own backtests (the inner weeks
    /// and the calendar-context backtests, each day combined as `auto` combines a day of its context): the 10th and
    /// 90th percentiles of log((actual + 1) / (forecast + 1)), apart for normal days and calendar days (any calendar
    /// tag) where each group has at least `minimumDays` days, else from all days together.
    ///
    /// The slots' intervals do not add up to a day's: summed, their bounds move every slot's Poisson noise together
    /// and covered 95-100% of calendar-day totals on synthetic-cn-bank (`peakplan-bench events`, day_sum_cov80),
    /// where an 80% interval should cover 80%. The backtests forecast 1 to 7 days ahead; further ahead the level's
    /// error grows, which these quantiles do not widen for (the benchmark prints the coverage it gets over 42 days).
    public struct DayTotalInterval: Sendable, Codable, Equatable {
        /// 10th and 90th percentiles of the log ratio actual / forecast of day totals: on normal days and on calendar
        /// days.
        public var normal: [Double]
        public var calendar: [Double]
        /// Days behind each pair (the pooled count where a group had too few of its own).
        public var normalDays: Int
        public var calendarDays: Int
        public static let minimumDays = 8
    }

    /// The interval from the scored weeks (`weeks`), each day combined with the weights `plan` gives its context.
    func dayTotalInterval(_ weeks: [ScoredWeek], plan p: Plan, calendar cal: DayCalendar, m1: Int) -> DayTotalInterval? {
        let aware = candidates.indices.map { candidates[$0].calendarAware ? p.later[$0] : 0 }
        let sum = aware.reduce(0, +)
        let awareWeights = sum > 0 ? aware.map { $0 / sum } : candidates.map { $0.calendarAware ? 1 : 0 }
        var normal: [Double] = [], calendar: [Double] = []
        for wk in weeks {
            for j in 0..<(wk.actual.count / m1) where wk.day + j < cal.days {
                let r = (j * m1)..<((j + 1) * m1)
                guard !wk.actual[r].contains(where: \.isNaN) else { continue }
                let context = CalendarContext.of(cal.tags[wk.day + j])
                let ws = p.choice(context)?.weights ?? (context == .normal ? (j == 0 ? p.day1 : p.later) : awareWeights)
                var total = 0.0
                for (i, x) in ws.enumerated() where x > 0 { if let f = wk.forecasts[i] { total += x * f.mean[r].reduce(0, +) } }
                let e = log((wk.actual[r].reduce(0, +) + 1) / (total + 1))
                if context == .normal { normal.append(e) } else { calendar.append(e) }
            }
        }
        let all = normal + calendar
        guard all.count >= DayTotalInterval.minimumDays else { return nil }
        func band(_ xs: [Double]) -> [Double] {
            let s = xs.sorted()
            return [0.1, 0.9].map { q in
                let x = q * Double(s.count - 1)
                let i = Int(x), f = x - Double(i)
                return i + 1 < s.count ? s[i] * (1 - f) + s[i + 1] * f : s[i]
            }
        }
        let n = normal.count >= DayTotalInterval.minimumDays ? normal : all
        let c = calendar.count >= DayTotalInterval.minimumDays ? calendar : all
        return DayTotalInterval(normal: band(n), calendar: band(c), normalDays: n.count, calendarDays: c.count)
    }
}

extension Combination.Fitted {
    /// The 80% interval of a forecast day's total `total` on a day with calendar tags `tags`; nil for a model saved
    /// before it existed or fitted on too few days.
    public func dayTotal80(_ total: Double, tags: [String]) -> (lo: Double, hi: Double)? {
        guard let d = plan.dayTotals, d.normal.count == 2, d.calendar.count == 2 else { return nil }
        let q = CalendarContext.of(tags) == .normal ? d.normal : d.calendar
        return (max(0, (total + 1) * exp(q[0]) - 1), max(0, (total + 1) * exp(q[1]) - 1))
    }
}

extension FittedState {
    /// The 80% interval of a forecast day's total (`Combination.Fitted.dayTotal80`); nil for other models.
    public func dayTotal80(_ total: Double, tags: [String]) -> (lo: Double, hi: Double)? {
        if case .combination(let c) = self { return c.dayTotal80(total, tags: tags) }
        return nil
    }
}
