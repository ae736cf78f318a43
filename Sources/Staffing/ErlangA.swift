import Foundation

/// Erlang A (M/M/n+M): Poisson arrivals at rate lambda, n agents each serving at rate mu = 1/AHT, first come
/// first served, and every waiting caller hangs up after an exponential patience with rate theta = 1/patience.
///
/// Exact computation (no simulation, no asymptotics), valid from 0 to 100,000+ agents and in overload (A > n):
/// the number in system is a birth-death chain with pi_{n+j} = pi_n t_j, t_j = prod_{i=1..j} lambda / (n mu + i theta),
/// and sum_{k<n} pi_k = pi_n q with q = 1/B(n, A) - 1 from `ErlangB`. With Z = q + G, G = sum_j t_j,
/// D = sum_j j t_j and G1 = sum_{j>=1} t_j (all summed in scaled log space until the geometric tail bound
/// is below 1e-17 of the sum, so O(sqrt(lambda/theta) + max(0, (lambda - n mu)/theta)) terms, a few microseconds
/// at 5,000 agents):
/// - P(wait > 0) = G / Z (PASTA),
/// - P(abandon) = theta E[Q] / lambda = theta D / (lambda Z) and ASA = E[Q] / lambda = D / (lambda Z) over ALL
///   arrivals, abandoners counted with their time to abandon (Little's law),
/// - service level P(answered and wait <= T) = q/Z + W_T/Z. A caller who finds j others waiting is answered
///   after V = sum_{i=0..j} Exp(n mu + i theta) unless its own patience runs out first, so
///   W_T = sum_j t_j E[exp(-theta V); V <= T], which telescopes into
///   W_T = (n mu / lambda) G1 - (n mu / (n mu + theta)) exp((lambda/theta)(1 - e^(-theta T)) - (n mu + theta) T) G'
///   with G' the same sum for lambda' = lambda e^(-theta T) and n mu + theta in place of n mu. This is the
///   series form of the incomplete-gamma expressions gamma(x, y) and gamma(x + 1, y e^(-theta T)),
///   x = n mu / theta, y = lambda / theta, of Garnett, Mandelbaum & Reiman, "Designing a call center with
///   impatient customers", MSOM 4(3) (2002) 208-227 (the Palm model) and Mandelbaum & Zeltyn, "The M/M/n+G
///   queue: summary of performance measures" (2005): e^y y^(-x) gamma(x, y) = (1/x) sum_j t_j.
/// - occupancy = A (1 - P(abandon)) / n (served load per agent), evaluated as G1/Z + (A/n) q/Z, a sum of
///   positive terms (1 - P(abandon) would lose digits in overload, where P(abandon) is large).
/// Abandoners never count as answered within T, even when they hang up before T, exactly as in
/// `Datasets/benchmarks/erlang/erlang_reference_notes.md`.
///
/// Limits: patience 0 gives Erlang B's loss system (P(wait) = P(abandon) = B, SL = 1 - B, ASA = 0); as
/// patience grows without bound the metrics tend to Erlang C's (for n > A). Fractional agents use Jagerman's
/// continuous q and a real n in the chain rates.
public enum ErlangA {
    /// Erlang A metrics at `agents` (fractional allowed); definitions in `QueueMetrics`.
    /// - Throws: `StaffingError.targetNotModelled` when the load has no patience (use Erlang C).
    public static func metrics(_ load: QueueLoad, agents x: Double, serviceSeconds t: Double) throws -> QueueMetrics {
        guard load.patienceSeconds != nil else {
            throw StaffingError.targetNotModelled(target: "infinitely patient callers", model: .erlangA,
                                                  suggestion: "give a patience (mean seconds before a waiting caller hangs up), or use Erlang C")
        }
        return evaluate(load, agents: x, serviceSeconds: t)
    }

    /// `metrics` for a load known to have a patience (callers check).
    static func evaluate(_ load: QueueLoad, agents x: Double, serviceSeconds t: Double) -> QueueMetrics {
        let a = load.offeredLoad, lambda = load.arrivalRate, theta = load.abandonmentRate
        guard lambda > 0 else { return idleMetrics(.erlangA, agents: x, serviceSeconds: t) }
        let q = ErlangB.belowCapacityRatio(agents: x, load: a)
        if theta == .infinity {
            let b = 1 / (1 + q)
            return QueueMetrics(model: .erlangA, agents: x, offeredLoad: a, serviceSeconds: t, probWait: b, serviceLevel: 1 - b,
                                asaSeconds: 0, occupancy: x > 0 ? a * (1 - b) / x : 0, probAbandon: b)
        }
        let m = QueueTail.metrics(lnBelow: log(q), lambda: lambda, nu: x * load.serviceRate, theta: theta, serviceSeconds: t)
        return QueueMetrics(model: .erlangA, agents: x, offeredLoad: a, serviceSeconds: t, probWait: m.probWait,
                            serviceLevel: m.serviceLevel, asaSeconds: m.meanQueue / lambda,
                            occupancy: x > 0 ? min(1, m.servedAfterWaitFraction + a / x * m.probImmediate) : 0,
                            probAbandon: m.probAbandon)
    }
}

/// The waiting part of a birth-death queue: below capacity the caller supplies ln(sum_{s<c} pi_s / pi_c); at and
/// above capacity the total service rate is `nu` and each waiting customer abandons at rate `theta` (0 allowed
/// when lambda < nu). Shared by Erlang A and chat staffing. Formulas: see `ErlangA`.
enum QueueTail {
    struct Metrics {
        var probWait: Double
        var serviceLevel: Double
        /// E[number waiting].
        var meanQueue: Double
        /// P(no wait) = (sum_{s<c} pi_s) / Z.
        var probImmediate: Double
        /// G1 / Z = P(served after waiting) lambda / nu: served-after-wait throughput over the full-capacity rate.
        var servedAfterWaitFraction: Double
        var probAbandon: Double
        /// ln(Z), Z = sum_s pi_s / pi_c.
        var lnZ: Double
    }

    /// Scaled sums of t_0 = 1, t_j = t_{j-1} lambda / (nu + j theta): actual value = exp(logScale) * field.
    struct Sums {
        var logScale = 0.0
        var total = 1.0
        var fromOne = 0.0
        var moment = 0.0
    }

    static let relTolerance = 1e-17
    static let rescale = 1e250
    static let lnRescale = log(1e250)

    static func sums(lambda: Double, nu: Double, theta: Double) -> Sums {
        var s = Sums()
        if theta == 0 {
            // Geometric: t_j = rho^j (only reached with rho < 1).
            let rho = lambda / nu
            guard rho < 1 else { return Sums(logScale: 0, total: .infinity, fromOne: .infinity, moment: .infinity) }
            s.total = 1 / (1 - rho)
            s.fromOne = rho / (1 - rho)
            s.moment = rho / ((1 - rho) * (1 - rho))
            return s
        }
        var t = 1.0, j = 0.0
        while true {
            j += 1
            let r = lambda / (nu + j * theta)
            t *= r
            s.total += t
            s.fromOne += t
            s.moment += j * t
            if t > rescale {
                t /= rescale; s.total /= rescale; s.fromOne /= rescale; s.moment /= rescale
                s.logScale += lnRescale
            }
            if r < 1 {
                // Later ratios are <= r, so the remaining tails are below these geometric bounds.
                let g = r / (1 - r)
                if t * g <= relTolerance * s.total && t * (j * g + g / (1 - r)) <= relTolerance * s.moment { break }
            }
            if t == 0 { break }
        }
        return s
    }

    static func metrics(lnBelow: Double, lambda: Double, nu: Double, theta: Double, serviceSeconds t: Double) -> Metrics {
        if lnBelow == .infinity {
            return Metrics(probWait: 0, serviceLevel: 1, meanQueue: 0, probImmediate: 1, servedAfterWaitFraction: 0,
                           probAbandon: 0, lnZ: .infinity)
        }
        let main = sums(lambda: lambda, nu: nu, theta: theta)
        let lnG = main.logScale + log(main.total)
        let lnZ = logAddExp(lnBelow, lnG)
        let pWait = exp(lnG - lnZ)
        let pNow = exp(lnBelow - lnZ)
        let meanQueue = main.moment > 0 ? exp(main.logScale + log(main.moment) - lnZ) : 0
        let g1OverZ = main.fromOne > 0 ? exp(main.logScale + log(main.fromOne) - lnZ) : 0
        let servedAll = (nu / lambda) * g1OverZ
        var servedWithinT = 0.0
        if t > 0 && servedAll > 0 {
            if theta == 0 {
                servedWithinT = pWait * -expm1(-(nu - lambda) * t)
            } else {
                let second = sums(lambda: lambda * exp(-theta * t), nu: nu + theta, theta: theta)
                let e = lambda * t * (-expm1(-theta * t) / (theta * t)) - (nu + theta) * t
                let late = exp(log(nu / (nu + theta)) + e + second.logScale + log(second.total) - lnZ)
                servedWithinT = min(servedAll, max(0, servedAll - late))
            }
        }
        return Metrics(probWait: min(1, pWait), serviceLevel: min(1, pNow + servedWithinT), meanQueue: meanQueue,
                       probImmediate: pNow, servedAfterWaitFraction: g1OverZ,
                       probAbandon: min(1, theta * meanQueue / lambda), lnZ: lnZ)
    }
}

/// ln(e^a + e^b) without overflow; -infinity is the identity.
@inlinable func logAddExp(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity { return b }
    if b == -.infinity { return a }
    let m = max(a, b)
    return m + log1p(exp(-abs(a - b)))
}
