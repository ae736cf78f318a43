import Foundation

/// Mean of the same weekly slot over the last `weeks` weeks (Taylor's "historical average"), skipping
/// missing values and anomaly days. Intervals: normal, with the spread of the slot across those weeks,
/// times sqrt(1 + 1/k) (as the peer harness). Median: that of a negative binomial count with the slot's
/// mean and one overdispersion for the week (method of moments on the slots' spreads), so on a low-count
/// slot it is a count (0 when zeros are likely) rather than the mean.
public struct SeasonalAverage: ForecastModel {
    public let weeks: Int
    /// Whether the median uses the pooled overdispersion (true) or a Poisson count (false).
    public var overdispersedMedian = true
    /// Which past days the average takes (`DaySelection`).
    public var days: DaySelection
    /// `all`: every same-weekday day (the peer harness's average). `normal`: normal days only: a same-weekday day
    /// with a calendar tag (holiday, eve, event window, month start, payday, near a holiday) is passed over for the
    /// one a week before it, so a holiday or a month-start peak three weeks ago does not move the forecast of an
    /// ordinary day. `chosen` (in `auto`): `normal` where it forecasts the recent normal days clearly better
    /// (`normalDaysForecastBetter`), else `all`. Skipping tagged days buys an average free of calendar effects at the
    /// price of older weeks, which pays where effects are large and frequent and costs where they are small.
    /// Measured (2026-12-07): on synthetic-cn-bank (month-start repayments +8 to +40% on days 1-5) `all` leaves the
    /// normal days that `auto` averages 3-5% high after a month start and 1-2% low after Spring Festival (voice
    /// month-start day 1 forecast 8.2 points under its truth against the normal days; `chosen` 3.4); on the Israeli
    /// bank `normal` everywhere costs (`peakplan-bench forecast` geometric mean MASE ratio 0.900/1.036 -> 0.918/1.071;
    /// held-out score 0.7507 -> 0.7588) and `chosen` little or nothing (0.902/1.039; held-out 0.7492, the best of
    /// the three; scored over 182 days instead of 56, 0.906/1.046 and 0.7539).
    public enum DaySelection: String, Sendable { case all, normal, chosen }
    public init(weeks: Int = 4, days: DaySelection = .all) { self.weeks = weeks; self.days = days }

    public var id: String { "seasonal-avg-\(weeks)w" + (days == .normal ? "-normal" : days == .chosen ? "-chosen" : "") }
    public var summary: String {
        "mean of the same weekly slot over the last \(weeks) weeks"
            + (days == .normal ? " of normal days" : days == .chosen ? " (normal days only where that forecasts better)" : "")
    }
    public var minimumDays: Int { 7 * max(weeks, 1) }

    public struct Fitted: Codable, Sendable, Equatable {
        public var means: [Double]
        public var sds: [Double]
        /// nil in models saved before it existed (then true).
        public var overdispersedMedian: Bool?
        /// Whether the average skipped tagged days (nil in models saved before it existed, and when it did not).
        public var normalDaysOnly: Bool?
    }

    public func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState {
        let w = input.week
        guard input.y.count >= w else { throw ForecastError(id, "needs at least 7 days of history, has \(input.days)") }
        let normal = days == .normal || (days == .chosen && Self.normalDaysForecastBetter(input, weeks: weeks))
        var means = [Double](repeating: 0, count: w), sds = [Double](repeating: 0, count: w)
        let n = input.y.count
        for s in 0..<w {
            let vals = Self.sameSlotValues(input, before: n + s, weeks: weeks, normalOnly: normal)
            guard !vals.isEmpty else { continue }
            let mu = vals.reduce(0, +) / Double(vals.count)
            let v = vals.count > 1 ? vals.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(vals.count - 1) : mu
            means[s] = mu
            sds[s] = (v * (1 + 1 / Double(vals.count))).squareRoot()
        }
        return .seasonalAverage(state: Fitted(means: means, sds: sds, overdispersedMedian: overdispersedMedian, normalDaysOnly: normal ? true : nil))
    }

    /// The values of slot `t - week`, `t - 2 week`, ... (the same weekly slot before position `t`), up to `weeks` of
    /// them, skipping missing values, excluded days and, with `normalOnly`, days with a calendar tag.
    static func sameSlotValues(_ input: SeriesInput, before t: Int, weeks: Int, normalOnly: Bool) -> [Double] {
        let w = input.week, m1 = input.slotsPerDay, y = input.y, cal = input.calendar
        var vals: [Double] = []
        var u = t - w
        while u >= 0 && vals.count < weeks {
            if !y[u].isNaN && !cal.excluded[u / m1] && !(normalOnly && !cal.tags[u / m1].isEmpty) { vals.append(y[u]) }
            u -= w
        }
        return vals
    }

    /// Days scored by `normalDaysForecastBetter`: the normal days among the last `scoredDays` days of the history.
    static let scoredDays = 56

    /// Whether the average of normal days forecasts the recent normal days clearly better than the average of all
    /// days: each normal day (no tag, complete) of the last `scoredDays` days is forecast a week ahead (each slot
    /// from the same slot of the weeks before it) both ways, scored by the sum of its slots' absolute errors, and the
    /// normal-day average is taken when its day-by-day errors are lower by more than twice the standard error of
    /// the paired differences (as `auto` compares options; with no calendar effect in the window the two agree and
    /// the average of all days, the more recent, stands).
    static func normalDaysForecastBetter(_ input: SeriesInput, weeks: Int) -> Bool {
        let m1 = input.slotsPerDay, cal = input.calendar, nd = input.days
        var plain: [Double] = [], normal: [Double] = []
        for d in max(0, nd - scoredDays)..<nd where cal.tags[d].isEmpty && !cal.excluded[d] {
            var ea = 0.0, en = 0.0, complete = true
            for t in (d * m1)..<((d + 1) * m1) {
                guard !input.y[t].isNaN else { complete = false; break }
                let a = sameSlotValues(input, before: t, weeks: weeks, normalOnly: false)
                let b = sameSlotValues(input, before: t, weeks: weeks, normalOnly: true)
                guard !a.isEmpty, !b.isEmpty else { complete = false; break }
                ea += abs(input.y[t] - a.reduce(0, +) / Double(a.count))
                en += abs(input.y[t] - b.reduce(0, +) / Double(b.count))
            }
            if complete { plain.append(ea); normal.append(en) }
        }
        return plain.count >= 8 && ContextScorer.clearlyBetter(normal, than: plain)
    }
}

extension SeasonalAverage.Fitted {
    func predict(horizon: Int) -> Forecast {
        let w = means.count
        var f = Forecast(mean: [], lo80: [], hi80: [], lo95: [], hi95: [])
        // One overdispersion for the whole week (method of moments over all slots: a slot's own spread over
        // k weeks is too noisy to set its skew).
        var excess = 0.0, squares = 0.0
        for s in 0..<w { excess += sds[s] * sds[s] - means[s]; squares += means[s] * means[s] }
        let phi = squares > 0 && overdispersedMedian != false ? max(0, excess / squares) : 0
        for h in 0..<horizon {
            let m = means[h % w], sd = sds[h % w]
            f.mean.append(m)
            f.median.append(Quantiles.negativeBinomial(mean: m, overdispersion: phi, [0.5])[0])
            f.lo80.append(m - Quantiles.z80 * sd); f.hi80.append(m + Quantiles.z80 * sd)
            f.lo95.append(m - Quantiles.z95 * sd); f.hi95.append(m + Quantiles.z95 * sd)
        }
        return f
    }
}
