/// Mean of the same weekly slot over the last `weeks` weeks (Taylor's "historical average"), skipping
/// missing values and anomaly days. Intervals: normal, with the spread of the slot across those weeks,
/// times sqrt(1 + 1/k).
public struct SeasonalAverage: ForecastModel {
    public let weeks: Int
    public init(weeks: Int = 4) { self.weeks = weeks }

    public var id: String { "seasonal-avg-\(weeks)w" }
    public var summary: String { "mean of the same weekly slot over the last \(weeks) weeks" }
    public var minimumDays: Int { 7 * max(weeks, 1) }

    public struct Fitted: Codable, Sendable, Equatable {
        public var means: [Double]
        public var sds: [Double]
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
                if !y[t].isNaN && !input.calendar.excluded[t / m1] { vals.append(y[t]) }
                t -= w
            }
            guard !vals.isEmpty else { continue }
            let mu = vals.reduce(0, +) / Double(vals.count)
            let v = vals.count > 1 ? vals.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / Double(vals.count - 1) : mu
            means[s] = mu
            sds[s] = (v * (1 + 1 / Double(vals.count))).squareRoot()
        }
        return .seasonalAverage(state: Fitted(means: means, sds: sds))
    }
}

extension SeasonalAverage.Fitted {
    func predict(horizon: Int) -> Forecast {
        let w = means.count
        var f = Forecast(mean: [], lo80: [], hi80: [], lo95: [], hi95: [])
        for h in 0..<horizon {
            let m = means[h % w], sd = sds[h % w]
            f.mean.append(m)
            f.lo80.append(m - Quantiles.z80 * sd); f.hi80.append(m + Quantiles.z80 * sd)
            f.lo95.append(m - Quantiles.z95 * sd); f.hi95.append(m + Quantiles.z95 * sd)
        }
        return f
    }
}
