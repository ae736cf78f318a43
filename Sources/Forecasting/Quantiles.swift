import Foundation

/// Distribution helpers for prediction intervals.
public enum Quantiles {
    /// Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9).
    public static func normal(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        let pl = 0.02425
        if p < pl {
            let q = (-2 * log(p)).squareRoot()
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        if p > 1 - pl { return -normal(1 - p) }
        let q = p - 0.5, r = q * q
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
    }

    public static let z80 = normal(0.90)
    public static let z95 = normal(0.975)

    /// Quantiles (probabilities `ps`, ascending) of a negative binomial with mean `mu` and variance
    /// `mu + mu^2 * phi` (Poisson-gamma; phi = 0 is Poisson). Exact on the integer support by summing the
    /// pmf from its recursion; for large means a normal approximation on the same variance.
    public static func negativeBinomial(mean mu: Double, overdispersion phi: Double, _ ps: [Double]) -> [Double] {
        guard mu > 0 else { return ps.map { _ in 0 } }
        let variance = mu + mu * mu * max(phi, 0)
        if mu > 400 {
            let sd = variance.squareRoot()
            return ps.map { max(0, (mu + normal($0) * sd).rounded()) }
        }
        var out = [Double](repeating: 0, count: ps.count)
        var cdf: Double
        var pmf: Double
        if phi <= 1e-9 {
            pmf = exp(-mu)
            cdf = pmf
            var k = 0.0
            var idx = 0
            while idx < ps.count {
                if cdf >= ps[idx] { out[idx] = k; idx += 1; continue }
                k += 1
                pmf *= mu / k
                cdf += pmf
                if k > mu + 60 * (variance.squareRoot() + 1) { while idx < ps.count { out[idx] = k; idx += 1 } }
            }
            return out
        }
        let r = 1 / phi // size
        let q = r / (r + mu) // success probability
        pmf = exp(r * log(q))
        cdf = pmf
        var k = 0.0
        var idx = 0
        while idx < ps.count {
            if cdf >= ps[idx] { out[idx] = k; idx += 1; continue }
            pmf *= (k + r) / (k + 1) * (1 - q)
            k += 1
            cdf += pmf
            if k > mu + 60 * (variance.squareRoot() + 1) { while idx < ps.count { out[idx] = k; idx += 1 } }
        }
        return out
    }
}
