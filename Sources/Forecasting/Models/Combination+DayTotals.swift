import Foundation
import PlanningCore

extension Combination {
    /// An 80% interval for a forecast day's total, from the day-total errors of `auto`'s own backtests (the inner weeks
    /// and the calendar-context backtests, each day combined as `auto` combines a day of its context): split-conformal
    /// bounds on log((actual + 1) / (forecast + 1)) per calendar context (normal, month start, event, near an event)
    /// where it has at least `minimumDays` days, else from all days together.
    ///
    /// The slots' intervals do not add up to a day's: summed, their bounds move every slot's Poisson noise together
    /// and covered 95-100% of calendar-day totals on synthetic-cn-bank (`peakplan-bench events`, day_sum_cov80),
    /// where an 80% interval should cover 80%. The backtests forecast 1 to 7 days ahead; further ahead the level's
    /// error grows, which these bounds do not widen for (the benchmark prints the coverage it gets over 42 days).
    public struct DayTotalInterval: Sendable, Codable, Equatable {
        /// Per calendar context (`CalendarContext` raw value): the lower and upper bound of the log ratio actual /
        /// forecast of day totals, and the days behind them (the pooled count where the context had too few days of
        /// its own: a holiday's errors are not a month start's).
        public var bands: [String: [Double]]
        public var days: [String: Int]
        public static let minimumDays = 8
    }

    /// The interval from the scored weeks (`weeks`), each day combined with the weights `plan` gives its context.
    func dayTotalInterval(_ weeks: [ScoredWeek], plan p: Plan, calendar cal: DayCalendar, m1: Int) -> DayTotalInterval? {
        let aware = candidates.indices.map { candidates[$0].calendarAware ? p.later[$0] : 0 }
        let sum = aware.reduce(0, +)
        let awareWeights = sum > 0 ? aware.map { $0 / sum } : candidates.map { $0.calendarAware ? 1 : 0 }
        var errors: [CalendarContext: [Double]] = [:]
        for wk in weeks {
            for j in 0..<(wk.actual.count / m1) where wk.day + j < cal.days {
                let r = (j * m1)..<((j + 1) * m1)
                guard !wk.actual[r].contains(where: \.isNaN) else { continue }
                let context = CalendarContext.of(cal.tags[wk.day + j])
                let ws = p.choice(context)?.weights ?? (context == .normal ? (j == 0 ? p.day1 : p.later) : awareWeights)
                var total = 0.0
                for (i, x) in ws.enumerated() where x > 0 { if let f = wk.forecasts[i] { total += x * f.mean[r].reduce(0, +) } }
                errors[context, default: []].append(log((wk.actual[r].reduce(0, +) + 1) / (total + 1)))
            }
        }
        let all = errors.values.flatMap { $0 }
        guard all.count >= DayTotalInterval.minimumDays else { return nil }
        // Split-conformal order statistics: the floor((n + 1) 0.1)-th and ceil((n + 1) 0.9)-th of n errors (1-based, within
        // 1...n), which cover a new day at least 80% of the time when it is exchangeable with the scored ones; the plain
        // 10th-90th percentiles of 10-20 errors cover less.
        func band(_ xs: [Double]) -> [Double] {
            let s = xs.sorted(), n = Double(s.count)
            let lo = min(max(Int(((n + 1) * 0.1).rounded(.down)), 1), s.count), hi = min(max(Int(((n + 1) * 0.9).rounded(.up)), 1), s.count)
            return [s[lo - 1], s[hi - 1]]
        }
        var out = DayTotalInterval(bands: [:], days: [:])
        for c in CalendarContext.allCases {
            let own = errors[c] ?? []
            let xs = own.count >= DayTotalInterval.minimumDays ? own : all
            out.bands[c.rawValue] = band(xs)
            out.days[c.rawValue] = xs.count
        }
        return out
    }
}

extension Combination.Fitted {
    /// The 80% interval of a forecast day's total `total` on a day with calendar tags `tags`; nil for a model saved
    /// before it existed or fitted on too few days.
    public func dayTotal80(_ total: Double, tags: [String]) -> (lo: Double, hi: Double)? {
        guard let q = plan.dayTotals?.bands[CalendarContext.of(tags).rawValue], q.count == 2 else { return nil }
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
