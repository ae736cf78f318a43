import Foundation

/// MSTL decomposition (Bandara, Hyndman & Bergmeir 2021) with an ETS forecast of the seasonally adjusted
/// series, as statsforecast's `MSTL([day, week], trend_forecaster=AutoETS('ZZN'))` that the peers run.
///
/// Decomposition: two passes over the periods (day, then week); each pass re-estimates one seasonal
/// component from the series minus the other components with a simplified STL step (Cleveland et al. 1990):
/// trend = centred moving average over the period; seasonal = for each position of the cycle, the mean
/// of the detrended values at that position over a window of `seasonalWindow` cycles, re-centred to sum to
/// zero over a cycle (moving averages replace STL's loess smoothers). Forecast: each seasonal component
/// repeats its last cycle; the adjusted series (trend + remainder) is forecast by ETS, simple exponential
/// smoothing (A,N,N) or damped Holt (A,Ad,N), whichever has the lower AIC. Intervals come from the ETS part:
/// sigma^2 (1 + (h - 1) alpha^2), as in the peers' setup. Fitted on the last `weeks` weeks.
public struct MSTLETS: ForecastModel {
    public var weeks = 12
    public var seasonalWindow = 7
    public init() {}

    public var id: String { "mstl-ets" }
    public var summary: String { "MSTL (day, week) + ETS on the adjusted series (statsforecast's MSTL-ETS recipe)" }
    public var minimumDays: Int { 28 }

    static func movingAverage(_ x: [Double], window w: Int) -> [Double] {
        let n = x.count
        var out = [Double](repeating: 0, count: n)
        var prefix = [Double](repeating: 0, count: n + 1)
        for i in 0..<n { prefix[i + 1] = prefix[i] + x[i] }
        let half = w / 2
        for i in 0..<n {
            let a = max(0, i - half), b = min(n, i - half + w)
            let lo = max(0, min(a, n - w)), hi = max(b, min(n, lo + w))
            out[i] = (prefix[hi] - prefix[lo]) / Double(hi - lo)
        }
        return out
    }

    static func seasonal(_ x: [Double], period m: Int, window: Int) -> [Double] {
        let trend = movingAverage(x, window: m % 2 == 0 ? m + 1 : m)
        let n = x.count
        var s = [Double](repeating: 0, count: n)
        let cycles = (n + m - 1) / m
        for pos in 0..<m {
            var vals: [Double] = []
            var idx = pos
            while idx < n { vals.append(x[idx] - trend[idx]); idx += m }
            for (c, i) in stride(from: pos, to: n, by: m).enumerated() {
                let a = max(0, min(c - window / 2, vals.count - window)), b = min(vals.count, max(a + window, 0))
                let slice = vals[max(a, 0)..<b]
                s[i] = slice.reduce(0, +) / Double(max(slice.count, 1))
            }
            _ = cycles
        }
        // Re-centre each cycle to sum to zero.
        for start in stride(from: 0, to: n, by: m) {
            let end = min(n, start + m)
            let mean = s[start..<end].reduce(0, +) / Double(end - start)
            for i in start..<end { s[i] -= mean }
        }
        return s
    }

    struct ETS: Codable, Sendable, Equatable { var alpha: Double; var beta: Double; var phi: Double; var level: Double; var trend: Double; var sigma2: Double; var aic: Double }

    public struct Fitted: Codable, Sendable, Equatable {
        /// The last cycle of each seasonal component.
        public var lastDay: [Double]
        public var lastWeek: [Double]
        var ets: ETS
    }

    static func fitETS(_ y: [Double], damped: Bool) -> ETS {
        func run(_ p: [Double]) -> (sse: Double, level: Double, trend: Double) {
            let (a, b, ph) = (p[0], damped ? p[1] * p[0] : 0, damped ? 0.8 + 0.18 * p[2] : 1)
            var l = y[0], t = damped && y.count > 1 ? y[1] - y[0] : 0, sse = 0.0
            for v in y.dropFirst() {
                let f = l + ph * t
                let e = v - f
                sse += e * e
                let nl = f + a * e
                t = ph * t + b * e
                l = nl
            }
            return (sse, l, t)
        }
        let start = damped ? [0.2, 0.1, 0.5] : [0.2]
        let best = NelderMead.minimize({ run($0).sse }, start: start, step: 0.1, lower: 0.0001, upper: 0.9999, maxEvaluations: damped ? 300 : 100)
        let r = run(best.x)
        let n = Double(y.count - 1)
        let k = Double(damped ? 4 : 2)
        let sigma2 = r.sse / max(n, 1)
        let aic = n * log(max(sigma2, 1e-12)) + 2 * k
        return ETS(alpha: best.x[0], beta: damped ? best.x[1] * best.x[0] : 0, phi: damped ? 0.8 + 0.18 * best.x[2] : 1,
                   level: r.level, trend: r.trend, sigma2: sigma2, aic: aic)
    }

    public func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState {
        let m1 = input.slotsPerDay, m2 = input.week
        let n = min(input.y.count, weeks * m2) / m1 * m1
        guard n >= 4 * m2 else { throw ForecastError(id, "needs at least 4 weeks of history, has \(input.days) days") }
        var y = Array(input.y.suffix(n))
        // Missing values: the same slot a week earlier (or later), else 0.
        for i in 0..<y.count where y[i].isNaN {
            y[i] = i >= m2 && !y[i - m2].isNaN ? y[i - m2] : (i + m2 < y.count && !y[i + m2].isNaN ? y[i + m2] : 0)
        }
        var sDay = [Double](repeating: 0, count: n), sWeek = [Double](repeating: 0, count: n)
        for _ in 0..<2 {
            sDay = Self.seasonal(zip(y, sWeek).map { $0 - $1 }, period: m1, window: seasonalWindow)
            sWeek = Self.seasonal(zip(y, sDay).map { $0 - $1 }, period: m2, window: seasonalWindow)
        }
        let adjusted = (0..<n).map { y[$0] - sDay[$0] - sWeek[$0] }
        let ann = Self.fitETS(adjusted, damped: false)
        let aad = Self.fitETS(adjusted, damped: true)
        let e = aad.aic < ann.aic ? aad : ann
        return .mstl(state: Fitted(lastDay: Array(sDay.suffix(m1)), lastWeek: Array(sWeek.suffix(m2)), ets: e))
    }
}

extension MSTLETS.Fitted {
    func predict(horizon: Int) -> Forecast {
        let m1 = lastDay.count, m2 = lastWeek.count
        var f = Forecast(mean: [], lo80: [], hi80: [], lo95: [], hi95: [])
        var damp = 0.0, pw = 1.0
        for h in 1...max(horizon, 1) where h <= horizon {
            pw *= ets.phi
            damp += pw
            let m = ets.level + damp * ets.trend + lastDay[(h - 1) % m1] + lastWeek[(h - 1) % m2]
            let sd = (ets.sigma2 * (1 + Double(h - 1) * ets.alpha * ets.alpha)).squareRoot()
            f.mean.append(m)
            f.lo80.append(m - Quantiles.z80 * sd); f.hi80.append(m + Quantiles.z80 * sd)
            f.lo95.append(m - Quantiles.z95 * sd); f.hi95.append(m + Quantiles.z95 * sd)
        }
        return f
    }
}
