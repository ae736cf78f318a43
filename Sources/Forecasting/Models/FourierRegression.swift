import Foundation
import LinearAlgebra
import PlanningCore

/// Dynamic-harmonic-style regression on sqrt counts, fitted by ridge (LAPACK `dsyrk` + `dposv`):
///
///     sqrt(y_t) = sum over weekdays w of 1[w(t) = w] * (a_w + sum_k b_wk sin(2 pi k s/m1) + c_wk cos(2 pi k s/m1))
///               + sum over calendar tags g of 1[g on day(t)] * (e_g + f_g sin(2 pi s/m1) + h_g cos(2 pi s/m1))
///               + level ramps (14-day steps) + e_t
///
/// Weekday-specific intraday Fourier shapes capture the weekday x time-of-day interaction that additive
/// daily + weekly seasonality (Prophet) misses; calendar tags shift and reshape their days. Fitted on the last
/// `weeks` weeks. Forecast mean = (x b)^2 + sigma^2 (the mean of a squared normal); intervals are normal
/// quantiles on the sqrt scale, squared.
public struct FourierRegression: ForecastModel {
    public var weeks = 12
    public var harmonics = 10
    public init() {}

    public var id: String { "fourier-ridge" }
    public var summary: String { "weekday-specific intraday Fourier terms + calendar regressors on sqrt counts, ridge" }
    public var minimumDays: Int { 21 }
    public var calendarAware: Bool { true }

    public struct Fitted: Codable, Sendable, Equatable {
        public var endDay: Int64
        public var slotsPerDay: Int
        public var harmonics: Int
        public var tags: [String]
        /// Ramps are all on after the history: their coefficients are summed here.
        public var rampSum: Double
        public var beta: [Double]
        public var sigma: Double
    }

    public func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState {
        let m1 = input.slotsPerDay
        let nd = input.days
        let firstDay = max(0, nd - weeks * 7)
        guard nd - firstDay >= minimumDays else { throw ForecastError(id, "needs at least \(minimumDays) days of history, has \(nd)") }
        let cal = input.calendar
        let K = min(harmonics, m1 / 2 - 1)
        let perDay = 1 + 2 * K
        var tags: [String] = []
        for d in firstDay..<nd where !cal.excluded[d] { for t in cal.tags[d] where !t.contains("=") && !tags.contains(t) { tags.append(t) } }
        tags.sort()
        let rampStep = 14
        let ramps = Array(stride(from: nd - rampStep, to: firstDay + 7, by: -rampStep))
        let p = 7 * perDay + 3 * tags.count + ramps.count
        var sinT = [[Double]](repeating: [Double](repeating: 0, count: K), count: m1), cosT = sinT
        for s in 0..<m1 { for k in 0..<K {
            let a = 2 * Double.pi * Double(k + 1) * Double(s) / Double(m1)
            sinT[s][k] = sin(a); cosT[s][k] = cos(a)
        } }
        func fill(_ d: Int, _ s: Int, _ x: inout [Double]) {
            for j in 0..<p { x[j] = 0 }
            let base = cal.weekday(d) * perDay
            x[base] = 1
            for k in 0..<K { x[base + 1 + 2 * k] = sinT[s][k]; x[base + 2 + 2 * k] = cosT[s][k] }
            for (g, t) in tags.enumerated() where cal.tags[d].contains(t) {
                let c = 7 * perDay + 3 * g
                x[c] = 1; x[c + 1] = sinT[s][0]; x[c + 2] = cosT[s][0]
            }
            for (r, kn) in ramps.enumerated() { x[7 * perDay + 3 * tags.count + r] = d >= kn ? 1 : 0 }
        }
        var rows: [(Int, Int)] = []
        for d in firstDay..<nd where !cal.excluded[d] {
            for s in 0..<m1 where !input.y[d * m1 + s].isNaN { rows.append((d, s)) }
        }
        var xm = Matrix(rows: rows.count, cols: p)
        var z = [Double](repeating: 0, count: rows.count)
        var x = [Double](repeating: 0, count: p)
        for (i, (d, s)) in rows.enumerated() {
            fill(d, s, &x)
            for j in 0..<p where x[j] != 0 { xm[i, j] = x[j] }
            z[i] = max(input.y[d * m1 + s], 0).squareRoot()
        }
        var penalty = [Double](repeating: 1e-3, count: p)
        for g in 0..<tags.count { for c in 0..<3 { penalty[7 * perDay + 3 * g + c] = 5 } }
        for r in 0..<ramps.count { penalty[7 * perDay + 3 * tags.count + r] = 20 }
        let beta: [Double]
        do { beta = try LinearAlgebra.ridge(xm, z, penalty: penalty) } catch { throw ForecastError(id, "regression failed: \(error)") }
        var ss = 0.0
        for i in 0..<rows.count {
            var f = 0.0
            for j in 0..<p { f += xm[i, j] * beta[j] }
            ss += (z[i] - f) * (z[i] - f)
        }
        let sigma = (ss / Double(max(rows.count - p, 1))).squareRoot()
        let rampSum = (0..<ramps.count).reduce(0.0) { $0 + beta[7 * perDay + 3 * tags.count + $1] }
        return .fourier(state: Fitted(endDay: cal.firstDay + Int64(nd), slotsPerDay: m1, harmonics: K, tags: tags, rampSum: rampSum,
                               beta: Array(beta.prefix(7 * perDay + 3 * tags.count)), sigma: sigma))
    }
}

extension FourierRegression.Fitted {
    func predict(calendar cal: DayCalendar, horizon: Int) throws(ForecastError) -> Forecast {
        let m1 = slotsPerDay, K = harmonics, perDay = 1 + 2 * K
        let start = try cal.index(ofDay: endDay, covering: (horizon + m1 - 1) / m1, model: "fourier-ridge")
        var out = Forecast(mean: [], lo80: [], hi80: [], lo95: [], hi95: [])
        func sq(_ v: Double) -> Double { max(v, 0) * max(v, 0) }
        for h in 0..<horizon {
            let j = h / m1, s = h % m1
            let w = Civil.weekday(ofDay: endDay + Int64(j))
            var f = rampSum + beta[w * perDay]
            for k in 0..<K {
                let a = 2 * Double.pi * Double(k + 1) * Double(s) / Double(m1)
                f += beta[w * perDay + 1 + 2 * k] * sin(a) + beta[w * perDay + 2 + 2 * k] * cos(a)
            }
            let a1 = 2 * Double.pi * Double(s) / Double(m1)
            for (g, t) in tags.enumerated() where cal.tags[start + j].contains(t) {
                let c = 7 * perDay + 3 * g
                f += beta[c] + beta[c + 1] * sin(a1) + beta[c + 2] * cos(a1)
            }
            out.mean.append(sq(f) + sigma * sigma * (f > 0 ? 1 : 0.5))
            out.lo80.append(sq(f - Quantiles.z80 * sigma)); out.hi80.append(sq(f + Quantiles.z80 * sigma))
            out.lo95.append(sq(f - Quantiles.z95 * sigma)); out.hi95.append(sq(f + Quantiles.z95 * sigma))
        }
        return out
    }
}
