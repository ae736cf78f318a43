/// Mean of the same weekly slot over the last `weeks` weeks (Taylor's "historical average"), skipping
/// missing values and anomaly days. Intervals: normal, with the spread of the slot across those weeks,
/// times sqrt(1 + 1/k) (as the peer harness). Median: that of a negative binomial count with the slot's
/// mean and one overdispersion for the week (method of moments on the slots' spreads), so on a low-count
/// slot it is a count (0 when zeros are likely) rather than the mean.
public struct SeasonalAverage: ForecastModel {
    public let weeks: Int
    /// Whether the median uses the pooled overdispersion (true) or a Poisson count (false).
    public var overdispersedMedian = true
    /// Average over normal days only: a same-weekday day with a calendar tag (holiday, eve, event window,
    /// month start, payday) is passed over for the one a week before it, so a holiday three weeks ago does not
    /// pull the forecast of an ordinary day down. Off reproduces the peer harness's average.
    public var normalDaysOnly = false
    public init(weeks: Int = 4, normalDaysOnly: Bool = false) { self.weeks = weeks; self.normalDaysOnly = normalDaysOnly }

    public var id: String { "seasonal-avg-\(weeks)w" + (normalDaysOnly ? "-normal" : "") }
    public var summary: String { "mean of the same weekly slot over the last \(weeks) weeks" }
    public var minimumDays: Int { 7 * max(weeks, 1) }

    public struct Fitted: Codable, Sendable, Equatable {
        public var means: [Double]
        public var sds: [Double]
        /// nil in models saved before it existed (then true).
        public var overdispersedMedian: Bool?
    }

    public func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState {
        let w = input.week, m1 = input.slotsPerDay
        let y = input.y
        guard y.count >= w else { throw ForecastError(id, "needs at least 7 days of history, has \(input.days)") }
        var means = [Double](repeating: 0, count: w), sds = [Double](repeating: 0, count: w)
        let n = y.count
        for s in 0..<w {
            var vals: [Double] = []
            var t = n - w + s
            while t >= 0 && vals.count < weeks {
                if !y[t].isNaN && !input.calendar.excluded[t / m1] && !(normalDaysOnly && !input.calendar.tags[t / m1].isEmpty) { vals.append(y[t]) }
                t -= w
            }
            guard !vals.isEmpty else { continue }
            let mu = vals.reduce(0, +) / Double(vals.count)
            let v = vals.count > 1 ? vals.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(vals.count - 1) : mu
            means[s] = mu
            sds[s] = (v * (1 + 1 / Double(vals.count))).squareRoot()
        }
        return .seasonalAverage(state: Fitted(means: means, sds: sds, overdispersedMedian: overdispersedMedian))
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
