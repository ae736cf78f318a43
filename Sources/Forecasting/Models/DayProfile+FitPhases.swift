import Foundation
import LinearAlgebra
import PlanningCore

// MARK: - fitState phases

extension DayProfile {
    /// Day totals and whether each day is complete (no missing slot) and not excluded.
    static func dayTotals(_ input: SeriesInput) -> (total: [Double], valid: [Bool]) {
        let m1 = input.slotsPerDay, nd = input.days, y = input.y
        var total = [Double](repeating: .nan, count: nd)
        var valid = [Bool](repeating: false, count: nd)
        for d in 0..<nd {
            var s = 0.0, ok = true
            for k in 0..<m1 { let v = y[d * m1 + k]; if v.isNaN { ok = false; break }; s += v }
            if ok && !input.calendar.excluded[d] { total[d] = s; valid[d] = true }
        }
        return (total, valid)
    }

    /// Columns of the day-total regression: weekdays, level ramps, calendar tags seen in training.
    struct Design {
        var names: [String]
        var penalty: [Double]
        var knots: [Int]
        var tagIndex: [String: Int]
        let calendar: DayCalendar
        /// A `working_day` (a custom day on a weekend: a make-up working day) takes the average business day's
        /// weekday effect instead of its own weekday's (chosen by fit, see `regressChoosingWorkingDays`).
        var workingDayReplacesWeekday = false
        var p: Int { names.count }

        func row(_ d: Int, into x: inout [Double]) {
            let cal = calendar
            for j in 0..<p { x[j] = 0 }
            // A holiday replaces its weekday: its coefficient is a level of its own, not a shift of a
            // Monday or a Saturday (a holiday on a weekend day changes little; on a weekday, a lot).
            if cal.tags[d].contains("holiday") && tagIndex["holiday"] != nil {
            } else if workingDayReplacesWeekday && cal.tags[d].contains("working_day") {
                let business = DayProfile.businessWeekdays(cal.weekend)
                for w in business { x[w] = 1 / Double(business.count) }
            } else {
                x[cal.weekday(d)] = 1
            }
            for (i, kn) in knots.enumerated() { x[7 + i] = min(1, max(0, Double(d - kn) / 28)) }
            for t in cal.tags[d] {
                if let cols = DayProfile.rampColumns(t) {
                    for (c, w) in cols { if let j = tagIndex[c] { x[j] += w } }
                } else if let j = tagIndex[t] {
                    x[j] = 1
                }
            }
        }
    }

    func designColumns(train: [Int], first: Int, days nd: Int, calendar cal: DayCalendar) -> Design {
        var names = Civil.weekdayNames.map { "weekday=\($0)" }
        var penalty = [Double](repeating: 1e-4, count: 7)
        var knots: [Int] = []
        var k = nd - 28
        while k > first + 14 { knots.append(k); k -= 28 }
        for kn in knots { names.append("level@\(kn - nd)d"); penalty.append(3.0) }
        var tagIndex: [String: Int] = [:]
        var tagCount: [String: Int] = [:]
        for d in train {
            for t in cal.tags[d] {
                if let cols = DayProfile.rampColumns(t) { for (c, _) in cols { tagCount[c, default: 0] += 1 } } else { tagCount[t, default: 0] += 1 }
            }
        }
        for t in tagCount.keys.sorted() {
            tagIndex[t] = names.count
            names.append(t)
            penalty.append(t.contains("=") ? namePenalty : kindPenalty)
        }
        return Design(names: names, penalty: penalty, knots: knots, tagIndex: tagIndex, calendar: cal)
    }

    /// The day-total regression: design matrix, log totals, coefficients, residuals (NaN off the training
    /// days) and residual variance.
    struct Regression {
        var xm: Matrix
        var z: [Double]
        var beta: [Double]
        var resid: [Double]
        var sigma2: Double
        /// Sum of the weighted squared residuals, and of the weights.
        var weightedSSE = 0.0
        var weightSum = 1.0
    }

    /// The regression with make-up working days (`working_day`) coded both ways, their weekday kept or replaced
    /// by the average business day; the coding with the smaller weighted squared error wins (both have the same
    /// columns). Without such days in training, one fit.
    func regressChoosingWorkingDays(_ design: inout Design, train: [Int], total: [Double], days nd: Int,
                                    calendar cal: DayCalendar) throws(ForecastError) -> Regression {
        let kept = try regress(design, train: train, total: total, days: nd, calendar: cal)
        guard train.contains(where: { cal.tags[$0].contains("working_day") }) else { return kept }
        var other = design
        other.workingDayReplacesWeekday = true
        let replaced = try regress(other, train: train, total: total, days: nd, calendar: cal)
        if replaced.weightedSSE < kept.weightedSSE { design = other; return replaced }
        return kept
    }

    func regress(_ design: Design, train: [Int], total: [Double], days nd: Int,
                 calendar cal: DayCalendar) throws(ForecastError) -> Regression {
        let p = design.p
        var xm = Matrix(rows: train.count, cols: p)
        var z = [Double](repeating: 0, count: train.count)
        // Recent days weigh more (half-life `halfLifeDays`): weekday patterns drift through the year.
        // Days of a dated event keep full weight: an annual event has one occurrence a year, and weighting it by
        // age would erase last year's, the only one there is (the level ramps absorb the drift that the decay
        // is for).
        let weights = train.map { d -> Double in
            let dated = eventDaysKeepFullWeight && cal.tags[d].contains { !($0.hasPrefix("month_start") || $0.hasPrefix("payday")) }
            return dated ? 1 : pow(0.5, Double(nd - 1 - d) / halfLifeDays)
        }
        var xr = [Double](repeating: 0, count: p)
        for (i, d) in train.enumerated() {
            design.row(d, into: &xr)
            for j in 0..<p { xm[i, j] = xr[j] }
            z[i] = log(total[d] + 1)
        }
        let beta: [Double]
        do { beta = try LinearAlgebra.ridge(xm, z, penalty: design.penalty, weights: weights) } catch {
            throw ForecastError(id, "day-total regression failed: \(error)")
        }
        var resid = [Double](repeating: .nan, count: nd)
        var ss = 0.0, wss = 0.0
        for (i, d) in train.enumerated() {
            var f = 0.0
            for j in 0..<p { f += xm[i, j] * beta[j] }
            resid[d] = z[i] - f
            ss += resid[d] * resid[d]
            wss += weights[i] * resid[d] * resid[d]
        }
        let sigma2 = ss / Double(max(train.count - 7, 1))
        return Regression(xm: xm, z: z, beta: beta, resid: resid, sigma2: sigma2, weightedSSE: wss, weightSum: weights.reduce(0, +))
    }

    /// Level days with their calendar-adjusted log totals `(day, value)`, outliers clipped.
    func levelDays(_ design: Design, _ reg: Regression, train: [Int],
                   calendar cal: DayCalendar) throws(ForecastError) -> [(Int, Double)] {
        let p = design.p, knots = design.knots, beta = reg.beta
        // Local level: exponential smoothing of the calendar-adjusted log totals (the regression's level
        // ramps only help estimate the effects). The smoothing constant minimises the one-step squared
        // error over the last 16 weeks.
        func seasonal(_ d: Int, _ x: [Double]) -> Double {
            var f = 0.0
            for j in 0..<p where !(j >= 7 && j < 7 + knots.count) { f += x[j] * beta[j] }
            return f
        }
        // Level days: no dated event on or around them (their effects rest on few occurrences and would
        // pollute the level); rule days (month start, payday) recur often enough to be adjusted reliably.
        func isEventDay(_ d: Int) -> Bool { cal.tags[d].contains { !($0.hasPrefix("month_start") || $0.hasPrefix("payday") || $0.hasPrefix("near:")) } }
        var adjusted: [(Int, Double)] = []
        for (i, d) in train.enumerated() where !isEventDay(d) {
            var x = [Double](repeating: 0, count: p)
            for j in 0..<p { x[j] = reg.xm[i, j] }
            adjusted.append((d, reg.z[i] - seasonal(d, x)))
        }
        // Clip outliers at 3 robust standard deviations (median absolute deviation).
        if adjusted.count > 10 {
            let vals = adjusted.map(\.1).sorted()
            let med = vals[vals.count / 2]
            let mad = adjusted.map { abs($0.1 - med) }.sorted()[vals.count / 2] * 1.4826
            if mad > 0 { adjusted = adjusted.map { ($0.0, min(max($0.1, med - 3 * mad), med + 3 * mad)) } }
        }
        guard adjusted.count >= 14 else { throw ForecastError(id, "needs at least 14 days without events, has \(adjusted.count)") }
        return adjusted
    }

    /// The local level's smoothing constant (0.02 to 0.6) with the least squared error of forecasts 1 to
    /// `levelHorizonDays` level days ahead, the level after the last day, the one-step error variance, and the
    /// level's centre: the day its weights are centred on (the weighted mean day of the days it averages; a
    /// smoothed level lags a trend by the days between that centre and the last day).
    func fitLevel(_ adjusted: [(Int, Double)]) -> (alpha: Double, level: Double, oneStepVar: Double, warm: Int, centre: Double) {
        var bestAlpha = 0.1, bestSSE = Double.infinity, level = 0.0, oneStepVar = 0.0, bestCentre = 0.0
        let warm = max(0, adjusted.count - 112 - 28)
        let steps = max(1, levelHorizonDays)
        let start = adjusted[warm..<min(warm + 28, adjusted.count)]
        for alpha in stride(from: 0.02, through: 0.6, by: 0.02) {
            var lv = start.map(\.1).reduce(0, +) / Double(start.count)
            var centre = start.map { Double($0.0) }.reduce(0, +) / Double(start.count)
            // levels[i]: the level before adjusted day warm + 1 + i was seen (the forecast made on the eve of it).
            var levels: [Double] = []
            levels.reserveCapacity(adjusted.count - warm)
            var sse = 0.0, sse1 = 0.0, n1 = 0.0
            for k in (warm + 1)..<adjusted.count {
                levels.append(lv)
                if k >= warm + 28 {
                    // Forecasts of day k made 1 ... `steps` level days before it.
                    for j in 1...steps where k - warm - j >= 0 {
                        let e = adjusted[k].1 - levels[k - warm - j]
                        sse += e * e
                    }
                    let e1 = adjusted[k].1 - lv
                    sse1 += e1 * e1; n1 += 1
                }
                lv += alpha * (adjusted[k].1 - lv)
                centre += alpha * (Double(adjusted[k].0) - centre)
            }
            if sse < bestSSE { bestSSE = sse; bestAlpha = alpha; level = lv; oneStepVar = sse1 / max(n1, 1); bestCentre = centre }
        }
        return (bestAlpha, level, oneStepVar, warm, bestCentre)
    }

    /// Lag-1 autocorrelation of the regression residuals on consecutive days (reported only).
    static func residualAR1(_ resid: [Double], valid: [Bool], from: Int, to nd: Int) -> Double {
        var num = 0.0, den = 0.0
        for d in from..<nd where valid[d] && valid[d - 1] {
            num += resid[d] * resid[d - 1]; den += resid[d - 1] * resid[d - 1]
        }
        return den > 0 ? num / den : 0
    }

    /// Occurrences per column and standard errors of the effects (ridge): sigma^2 (X'X + L)^-1 X'X (X'X + L)^-1,
    /// diagonal only, approximated by sigma^2 / (n_j + lambda_j) for dummy columns.
    static func standardErrors(_ reg: Regression, penalty: [Double], rows: Int) -> (occurrences: [Int], se: [Double]) {
        let p = penalty.count, xm = reg.xm, sigma2 = reg.sigma2
        var occ = [Int](repeating: 0, count: p)
        var colSS = [Double](repeating: 0, count: p)
        for i in 0..<rows { for j in 0..<p where xm[i, j] != 0 { occ[j] += 1; colSS[j] += xm[i, j] * xm[i, j] } }
        let se = (0..<p).map { (sigma2 * colSS[$0]).squareRoot() / (colSS[$0] + penalty[$0]) }
        return (occ, se)
    }

    /// Intraday profiles over the normal days (valid, no calendar tag).
    struct ProfileBuilder {
        let y: [Double]
        let m1: Int
        let total: [Double]
        let calendar: DayCalendar
        let normal: [Int]
        /// Weekdays of a kind: those whose day-total coefficient is within `profileClassRatio` of each other
        /// (Sun-Thu at a bank open six days; Friday and Saturday each on their own). Their pooled profile has
        /// several times the data of one weekday's, so it is the shrinkage target of the weekday profiles.
        let classOf: [[Int]]
        let profileWeeks: Int
        let profileContacts: Double
        let profileHalfLifeWeeks: Double?

        /// Count-weighted share of each slot over `days`; with `end`, days weigh less with age (half-life
        /// `profileHalfLifeWeeks` weeks before `end`).
        func profile(days: [Int], end: Int? = nil) -> [Double]? {
            var acc = [Double](repeating: 0, count: m1)
            var sum = 0.0
            for d in days {
                let w = end.map { e in profileHalfLifeWeeks.map { pow(0.5, Double(e - 1 - d) / (7 * $0)) } ?? 1 } ?? 1
                for s in 0..<m1 { acc[s] += w * y[d * m1 + s] }
                sum += w * total[d]
            }
            guard sum > 0 else { return nil }
            return acc.map { $0 / sum }
        }

        /// Weekday profiles from the normal days before `end`: the most recent same-weekday days (at least
        /// `profileWeeks` of them and `profileContacts` contacts), and the pooled profile of the same kind of
        /// day over the same span.
        func profiles(before end: Int) -> (weekday: [[Double]?], pooled: [[Double]?]) {
            let cal = calendar
            var own = [[Double]?](repeating: nil, count: 7), pool = [[Double]?](repeating: nil, count: 7)
            let days = normal.filter { $0 < end }
            for w in 0..<7 {
                var chosen: [Int] = []
                var contacts = 0.0
                for d in days.reversed() where cal.weekday(d) == w {
                    chosen.append(d); contacts += total[d]
                    if chosen.count >= profileWeeks && contacts >= profileContacts { break }
                    if chosen.count >= 52 { break }
                }
                own[w] = profile(days: chosen, end: end)
                let since = chosen.last ?? end
                pool[w] = profile(days: days.filter { $0 >= since && classOf[w].contains(cal.weekday($0)) }, end: end)
            }
            return (own, pool)
        }

        func mix(_ own: [Double]?, _ pool: [Double]?, _ lambda: Double) -> [Double]? {
            guard let own else { return pool }
            guard let pool else { return own }
            // A slot without a single contact on any of the weekday's own days is closed that weekday: it stays 0
            // (the kind's other days may open then; a Friday-night slot must not borrow Thursday's volume).
            let mixed = (0..<m1).map { own[$0] > 0 ? lambda * own[$0] + (1 - lambda) * pool[$0] : 0 }
            let sum = mixed.reduce(0, +)
            return sum > 0 ? mixed.map { $0 / sum } : own
        }

        /// Weight of the weekday's own profile against its kind's: the grid value with the least absolute slot
        /// error on the normal days of the last 4 weeks, given their actual totals, from profiles built before them.
        func chooseWeekdayWeight(days nd: Int) -> Double {
            let cal = calendar
            var lambda = 1.0
            let cut = nd - 28
            let check = normal.filter { $0 >= cut }
            let (own, pool) = profiles(before: cut)
            var bestErr = Double.infinity
            for g in stride(from: 1.0, through: -1e-9, by: -0.25) {
                var err = 0.0
                for d in check {
                    guard let pr = mix(own[cal.weekday(d)], pool[cal.weekday(d)], g) else { continue }
                    for s in 0..<m1 { err += abs(y[d * m1 + s] - total[d] * pr[s]) }
                }
                if err < bestErr - 1e-9 { bestErr = err; lambda = g }
            }
            return lambda
        }

        /// Slot-level overdispersion over the last 8 weeks of normal days (given the actual day total).
        func slotOverdispersion(weekdayProfile: [[Double]], holidayProfile: [Double]?) -> Double {
            let cal = calendar
            func profileFor(_ d: Int) -> [Double] {
                if cal.tags[d].contains("holiday"), let hp = holidayProfile { return hp }
                return weekdayProfile[cal.weekday(d)]
            }
            var numer = 0.0, denom = 0.0
            for d in normal.suffix(56) {
                let pr = profileFor(d)
                for s in 0..<m1 {
                    let mu = total[d] * pr[s]
                    let e = y[d * m1 + s] - mu
                    numer += e * e - mu
                    denom += mu * mu
                }
            }
            return denom > 0 ? max(0, numer / denom) : 0
        }
    }
}
