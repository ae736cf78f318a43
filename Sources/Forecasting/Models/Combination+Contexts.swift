import Foundation
import PlanningCore

/// The kinds of day on which `auto` chooses its models apart: a model good on ordinary days (a seasonal average)
/// may be poor on a holiday or a month-start day and the other way round.
public enum CalendarContext: String, Codable, CaseIterable, Sendable {
    /// No calendar tag.
    case normal
    /// A rule day (month start, payday) with no dated event on it.
    case monthStart = "month_start"
    /// A dated event (holiday, sales, billing, custom, a make-up working day) or a day of its lead or lag window.
    case event
    /// A day only near a holiday (`near:` tags: the days around a holiday whose calendar gives it no window).
    case nearEvent = "near_event"

    /// The context of a day with `tags`: event before rule day before near a holiday before normal.
    public static func of(_ tags: [String]) -> CalendarContext {
        guard !tags.isEmpty else { return .normal }
        func isRule(_ t: String) -> Bool { (t.hasPrefix("month_start") || t.hasPrefix("payday")) && !t.hasSuffix("@holiday") }
        if tags.contains(where: { !$0.hasPrefix("near:") && !isRule($0) }) { return .event }
        if tags.contains(where: isRule) { return .monthStart }
        return .nearEvent
    }
}

extension Combination {
    /// What the backtest chose for one calendar context (`Plan.contexts`).
    public struct ContextChoice: Sendable, Codable, Equatable {
        public var context: CalendarContext
        /// Days of the context scored in the backtests (the inner weeks and the context origins).
        public var days: Int
        /// Per candidate, the mean absolute error of its day totals on those days (nil: not usable); that of the
        /// candidates' combination weighted by 1/MAE^2 on them, and that of the earlier rule (calendar-aware only).
        public var mae: [Double?]
        public var combinationMAE: Double
        public var earlierRuleMAE: Double
        /// What won (`contextChoices`): `earlierRule`, a candidate's id, or "combination".
        public var winner: String
        /// Weights of the candidates (means and medians) on days of this context: one-hot when a candidate won; nil
        /// when the earlier rule stands.
        public var weights: [Double]?
        /// The winner when no option beat the earlier rule: on normal days the weights of the inner weeks, on calendar
        /// days the calendar-aware candidates (a day only near a holiday: when its effect is material).
        public static let earlierRule = "earlier rule"
    }

    /// One backtest week of the context scoring: the first day's index, actual values (NaN where missing or
    /// excluded) and each candidate's forecast (nil when it failed).
    struct ScoredWeek {
        var day: Int
        var actual: [Double]
        var forecasts: [Forecast?]
    }

    /// Origins (day indices) of the backtests that score the calendar contexts beyond the inner weeks: for each of
    /// month start, event and near-event days, the `contextDays` most recent such days of the last year not in an
    /// inner week, each forecast `contextLeadDays` days ahead; origins closer than a week share one forecast week.
    /// The most recent `maximumContextOrigins` are kept.
    func contextOrigins(_ input: SeriesInput, innerDays: [Int], usable: [Bool]) -> [Int] {
        let nd = input.days, cal = input.calendar
        let minimum = candidates.indices.filter { usable[$0] }.map { candidates[$0].minimumDays }.max() ?? 7
        let covered = Set(innerDays.flatMap { $0..<($0 + 7) })
        var wanted: [Int] = []
        for c in CalendarContext.allCases where c != .normal {
            var found = 0
            for d in stride(from: nd - 1, through: max(minimum + contextLeadDays, nd - 365), by: -1) where found < contextDays {
                guard !cal.excluded[d], CalendarContext.of(cal.tags[d]) == c else { continue }
                found += 1
                if !covered.contains(d) { wanted.append(d) }
            }
        }
        var origins: [Int] = []
        for d in Set(wanted).sorted() where origins.last.map({ d >= $0 + 7 }) ?? true { origins.append(d - contextLeadDays) }
        return Array(origins.suffix(maximumContextOrigins))
    }

    /// The candidates' forecasts of a week from each origin (day index); an origin where a usable candidate fails
    /// is left out (the options are compared on the same days).
    func scoredWeeks(_ input: SeriesInput, origins: [Int], usable: [Bool]) -> [ScoredWeek] {
        let m1 = input.slotsPerDay, w = input.week
        var out: [ScoredWeek] = []
        for day in origins {
            let o = day * m1
            guard o > 0, o < input.y.count else { continue }
            let inp = SeriesInput(y: Array(input.y[0..<o]), slotsPerDay: m1, calendar: input.calendar)
            var actual = [Double](repeating: .nan, count: w)
            for t in 0..<w where o + t < input.y.count && !input.calendar.excluded[(o + t) / m1] { actual[t] = input.y[o + t] }
            var fs: [Forecast?] = []
            var complete = true
            for (i, m) in candidates.enumerated() {
                guard usable[i] else { fs.append(nil); continue }
                if inp.days >= m.minimumDays, let f = try? m.forecast(inp, horizon: w) { fs.append(f) } else { complete = false; break }
            }
            if complete { out.append(ScoredWeek(day: day, actual: actual, forecasts: fs)) }
        }
        return out
    }

    /// How the context backtests score an option on a day: the absolute error of its day total, or the sum of its
    /// intervals' absolute errors.
    public enum ContextScore: String, Sendable { case dayTotal, intervals }

    /// The choice for each calendar context with at least `minimumContextDays` scored days. The options: the earlier
    /// rule (`earlier`: on normal days the plan's weights of the first and later days, on calendar days the
    /// calendar-aware candidates weighted as on later days), each usable candidate alone, and their combination
    /// weighted by 1/error^2 on the context's days, each scored day by day (`contextScore`). The earlier rule stands
    /// unless an option beats it clearly: a mean error lower by more than twice the standard error of the day-by-day
    /// differences (a paired test); of those that do, the least error wins. The test: with 10-20 days, options that
    /// differ by a 10% share of another model are within noise of each other; chosen by the lowest error alone, the
    /// combination won most contexts by noise and lost up to 1.2 points of day-total WAPE per origin on
    /// synthetic-cn-bank.
    func contextChoices(
        _ weeks: [ScoredWeek], calendar cal: DayCalendar, usable: [Bool],
        earlier: (CalendarContext) -> (first: [Double], later: [Double]), m1: Int
    ) -> [ContextChoice] {
        var out: [ContextChoice] = []
        for c in CalendarContext.allCases {
            // The context's whole days with actual values: (week, day offset).
            var days: [(Int, Int)] = []
            for (k, wk) in weeks.enumerated() {
                for j in 0..<(wk.actual.count / m1) where wk.day + j < cal.days && CalendarContext.of(cal.tags[wk.day + j]) == c {
                    if !wk.actual[(j * m1)..<((j + 1) * m1)].contains(where: \.isNaN) { days.append((k, j)) }
                }
            }
            guard Set(days.map { weeks[$0.0].day + $0.1 }).count >= minimumContextDays else { continue }
            let score = ContextScorer(weeks: weeks, days: days, m1: m1, dayTotals: contextScore == .dayTotal)
            func oneHot(_ i: Int) -> [Double] { candidates.indices.map { $0 == i ? 1 : 0 } }
            let own: [[Double]?] = candidates.indices.map { usable[$0] ? score.errors(oneHot($0)) : nil }
            let inverse = own.map { e -> Double in e.map { ContextScorer.mean($0) > 0 ? 1 / pow(ContextScorer.mean($0), 2) : 0 } ?? 0 }
            let total = inverse.reduce(0, +)
            let combined = total > 0 ? inverse.map { $0 / total } : usable.map { $0 ? 1 : 0 }
            let rule = earlier(c)
            let earlierErrors = score.errors(rule.later, first: rule.first), combinedErrors = score.errors(combined)
            var options: [(String, [Double], [Double])] = [("combination", combined, combinedErrors)]
            for i in candidates.indices { if let e = own[i] { options.append((candidates[i].id, oneHot(i), e)) } }
            var choice = ContextChoice(
                context: c, days: days.count, mae: own.map { $0.map(ContextScorer.mean) }, combinationMAE: ContextScorer.mean(combinedErrors),
                earlierRuleMAE: ContextScorer.mean(earlierErrors), winner: ContextChoice.earlierRule, weights: nil)
            var best = ContextScorer.mean(earlierErrors)
            for (name, ws, e) in options where ContextScorer.clearlyBetter(e, than: earlierErrors) && ContextScorer.mean(e) < best {
                best = ContextScorer.mean(e)
                choice.winner = name
                choice.weights = ws
            }
            out.append(choice)
        }
        return out
    }
}

/// Day-by-day errors of weighted candidates on the days of a context.
struct ContextScorer {
    let weeks: [Combination.ScoredWeek]
    let days: [(Int, Int)]
    let m1: Int
    let dayTotals: Bool

    /// Per day: the absolute error of the day total (`dayTotals`) or the sum of the intervals' absolute errors, of
    /// the candidates weighted by `ws` (by `first` on a week's first day, when given).
    func errors(_ ws: [Double], first: [Double]? = nil) -> [Double] {
        days.map { k, j in
            let w = j == 0 ? first ?? ws : ws
            var total = 0.0, sum = 0.0
            for t in (j * m1)..<((j + 1) * m1) {
                var e = weeks[k].actual[t]
                for (i, x) in w.enumerated() where x > 0 { if let fc = weeks[k].forecasts[i] { e -= x * fc.mean[t] } }
                total += e; sum += abs(e)
            }
            return dayTotals ? abs(total) : sum
        }
    }

    static func mean(_ xs: [Double]) -> Double { xs.reduce(0, +) / Double(max(xs.count, 1)) }

    /// Whether errors `e` are lower than `base` (the same days) by more than twice the standard error of the mean
    /// day-by-day difference.
    static func clearlyBetter(_ e: [Double], than base: [Double]) -> Bool {
        let diff = zip(e, base).map { $0 - $1 }
        guard diff.count >= 2 else { return false }
        let m = mean(diff)
        let sd = (diff.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(diff.count - 1)).squareRoot()
        return m < -2 * sd / Double(diff.count).squareRoot()
    }
}

extension Combination.Plan {
    /// The choice for a context, if the backtest made one.
    func choice(_ c: CalendarContext) -> Combination.ContextChoice? { contexts?.first { $0.context == c } }
}

extension Combination {
    /// Combines `results` day by day by the day's calendar context: normal days with the weights of `plan` (first day
    /// and later days); a context the backtest chose for with its choice; a calendar day of a context without a
    /// choice with the calendar-aware candidates only (a calendar-blind model would pull it toward an ordinary day),
    /// and a day only near a holiday so only when the day-profile model found the effect material.
    static func combineByContext(
        _ results: [Forecast?], plan: Plan, calendarAware: [Bool], tags: (Int) -> [String], dayProfile: DayProfile.Fitted?, m1: Int,
        horizon: Int
    ) -> Forecast? {
        let mw = plan.medianDay1.flatMap { d1 in plan.medianLater.map { (d1, $0) } }
        guard var f = combine(results, plan.day1, plan.later, median: mw, m1: m1, horizon: horizon) else { return nil }
        let aware = results.enumerated().map { $0.element != nil && calendarAware[$0.offset] }
        var cache: [String: Forecast] = [:]
        for day in 0..<((horizon + m1 - 1) / m1) {
            let dayTags = tags(day)
            let context = CalendarContext.of(dayTags)
            let key: String
            let special: Forecast?
            if let ws = plan.choice(context)?.weights {
                key = context.rawValue
                special = cache[key] ?? combine(results, ws, ws, median: (ws, ws), m1: m1, horizon: horizon)
            } else if context == .normal {
                continue
            } else if aware.contains(true), DayProfile.Fitted.isCalendarDay(dayTags, fitted: dayProfile) {
                key = "aware"
                special = cache[key] ?? combine(results.enumerated().map { aware[$0.offset] ? $0.element : nil }, plan.day1, plan.later, median: mw, m1: m1, horizon: horizon)
            } else {
                continue
            }
            guard let s = special else { continue }
            cache[key] = s
            for t in (day * m1)..<min(horizon, (day + 1) * m1) {
                f.mean[t] = s.mean[t]; f.lo80[t] = s.lo80[t]; f.hi80[t] = s.hi80[t]
                f.lo95[t] = s.lo95[t]; f.hi95[t] = s.hi95[t]; f.median[t] = s.median[t]
            }
        }
        return f
    }
}
