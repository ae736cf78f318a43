/// Seasonal naive: each slot repeats the value one season (a day or a week) earlier.
/// Intervals: normal with sigma from the in-sample seasonal differences, widening as sqrt(k + 1) with k
/// the number of whole seasons ahead (Hyndman & Athanasopoulos, FPP3 section 5.5).
public struct SeasonalNaive: ForecastModel {
    public enum Season: String, Sendable, Codable { case day, week }
    public let season: Season
    public init(_ season: Season) { self.season = season }

    public var id: String { "snaive-\(season.rawValue)" }
    public var summary: String { "the same slot one \(season.rawValue) earlier" }
    public var minimumDays: Int { season == .day ? 2 : 14 }

    public struct Fitted: Codable, Sendable, Equatable {
        /// The last season's values (missing slots filled from earlier seasons; 0 if never seen).
        public var last: [Double]
        public var sigma: Double
    }

    public func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState {
        let lag = season == .day ? input.slotsPerDay : input.week
        let y = input.y
        guard y.count >= 2 * lag else { throw ForecastError(id, "needs at least \(minimumDays) days of history, has \(input.days)") }
        var ss = 0.0, n = 0.0
        for t in lag..<y.count where !y[t].isNaN && !y[t - lag].isNaN {
            let e = y[t] - y[t - lag]; ss += e * e; n += 1
        }
        var last = [Double](repeating: 0, count: lag)
        for k in 0..<lag {
            // Latest observed value of this slot, going back whole seasons past missing values.
            var src = y.count - lag + k
            while src >= 0 && y[src].isNaN { src -= lag }
            last[k] = src >= 0 ? y[src] : 0
        }
        return .seasonalNaive(state: Fitted(last: last, sigma: n > 0 ? (ss / n).squareRoot() : 0))
    }
}

extension SeasonalNaive.Fitted {
    func predict(horizon: Int) -> Forecast {
        let lag = last.count
        var f = Forecast(mean: [], lo80: [], hi80: [], lo95: [], hi95: [])
        for h in 0..<horizon {
            let m = last[h % lag]
            let sd = sigma * Double(h / lag + 1).squareRoot()
            f.mean.append(m)
            f.lo80.append(m - Quantiles.z80 * sd); f.hi80.append(m + Quantiles.z80 * sd)
            f.lo95.append(m - Quantiles.z95 * sd); f.hi95.append(m + Quantiles.z95 * sd)
        }
        return f
    }
}
