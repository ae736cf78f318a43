import Foundation

/// Intraday re-forecast: the contacts seen so far today update the rest of today's forecast
/// (`peakplan forecast --as-of`, and the backtest's `rest-of-day` bucket).
///
/// The rest of the day is scaled by 1 + slope x (actual so far / forecast so far - 1), where the slope
/// weighs how much of the so-far surprise is signal: slope = c / (q + 1 / expected so far), with c the
/// covariance of the so-far and the rest-of-day surprises and q the variance of the so-far surprise beyond its
/// Poisson part, both from the history's recent normal days (each day's surprise measured against the mean of
/// the same weekday's previous four normal days at the same slots). 1 / expected is the Poisson noise of the
/// morning's ratio: a Saturday morning with 6 calls expected says almost nothing, a weekday morning with 600
/// says a lot; q holds the day-to-day variation of the intraday shape. (A gamma-Poisson multiplier, tried
/// first, ignores that shape variation and over-reacted; a slope that ignores the Poisson part scaled a
/// Saturday afternoon by 2.35 after 13 calls where 5.5 were expected.)
public struct IntradayUpdate: Sendable, Equatable {
    /// Covariance of the so-far and rest-of-day relative surprises.
    public var covariance: Double
    /// Variance of the so-far relative surprise beyond its Poisson part.
    public var excessVariance: Double
    /// Days these were estimated on (fewer than 8: no update).
    public var days: Int

    public init(covariance: Double, excessVariance: Double, days: Int) {
        self.covariance = max(covariance, 0); self.excessVariance = max(excessVariance, 1e-4); self.days = days
    }

    /// How much of the so-far surprise carries into the rest of the day when `expected` contacts were expected so far.
    public func slope(expected: Double) -> Double {
        guard days >= 8, expected > 0 else { return 0 }
        return min(1, covariance / (excessVariance + 1 / expected))
    }

    /// Estimates the update for slot `from` on the last `days` normal days of the history (no calendar tags,
    /// not excluded, complete, with at least 5 expected contacts on each side of `from`).
    public static func estimate(_ input: SeriesInput, from: Int, days: Int = 84) -> IntradayUpdate {
        let m1 = input.slotsPerDay, cal = input.calendar
        guard from > 0 && from < m1 else { return IntradayUpdate(covariance: 0, excessVariance: 1, days: 0) }
        var normal = [Bool](repeating: false, count: input.days)
        for d in 0..<input.days where !cal.excluded[d] && cal.tags[d].isEmpty {
            normal[d] = !(0..<m1).contains { input.y[d * m1 + $0].isNaN }
        }
        func sums(_ d: Int) -> (Double, Double) {
            var a = 0.0, b = 0.0
            for s in 0..<m1 { if s < from { a += input.y[d * m1 + s] } else { b += input.y[d * m1 + s] } }
            return (a, b)
        }
        var pairs: [(x: Double, y: Double, poisson: Double)] = []
        for d in max(0, input.days - days)..<input.days where normal[d] {
            var prev: [Int] = []
            var e = d - 7
            while e >= 0 && prev.count < 4 { if normal[e] { prev.append(e) }; e -= 7 }
            guard prev.count == 4 else { continue }
            var fa = 0.0, fb = 0.0
            for p in prev { let (a, b) = sums(p); fa += a / 4; fb += b / 4 }
            guard fa >= 5 && fb >= 5 else { continue }
            let (a, b) = sums(d)
            pairs.append((a / fa - 1, b / fb - 1, 1 / fa))
        }
        let n = Double(pairs.count)
        guard pairs.count >= 8 else { return IntradayUpdate(covariance: 0, excessVariance: 1, days: pairs.count) }
        let mx = pairs.map(\.x).reduce(0, +) / n, my = pairs.map(\.y).reduce(0, +) / n
        let cov = pairs.map { ($0.x - mx) * ($0.y - my) }.reduce(0, +) / (n - 1)
        let vx = pairs.map { ($0.x - mx) * ($0.x - mx) }.reduce(0, +) / (n - 1)
        let poisson = pairs.map(\.poisson).reduce(0, +) / n
        return IntradayUpdate(covariance: cov, excessVariance: vx - poisson, days: pairs.count)
    }

    /// The factor for the rest of the day given `actual` contacts where the forecast expected `expected`.
    public func ratio(actual: Double, expected: Double) -> Double {
        guard expected > 0 else { return 1 }
        return max(0, 1 + slope(expected: expected) * (actual / expected - 1))
    }

    /// Updates slots `from ..< end` of `f` (the rest of the day) from the actuals of slots `0 ..< from` of the
    /// same day (`actuals[i]` for slot i; NaN skipped). Returns the contacts seen, the forecast for them and the ratio.
    @discardableResult
    public func apply(_ f: inout Forecast, actuals: ArraySlice<Double>, from: Int, end: Int) -> (actual: Double, expected: Double, ratio: Double) {
        var actual = 0.0, expected = 0.0
        for (i, a) in actuals.enumerated() where i < from && i < f.count && !a.isNaN { actual += a; expected += f.mean[i] }
        let r = ratio(actual: actual, expected: expected)
        let hasMedian = f.median.count == f.mean.count
        for t in from..<min(end, f.count) {
            f.mean[t] *= r; f.lo80[t] *= r; f.hi80[t] *= r; f.lo95[t] *= r; f.hi95[t] *= r
            if hasMedian { f.median[t] *= r }
        }
        return (actual, expected, r)
    }
}
