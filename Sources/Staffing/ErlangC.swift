import Foundation

/// Erlang C (M/M/n, infinitely patient callers, first come first served).
///
/// With offered load A < n and rho = A / n (definitions of `QueueMetrics`, i.e. of
/// `Datasets/benchmarks/erlang/erlang_reference_notes.md`):
/// - P(wait > 0) = C(n, A) = B / (1 - rho (1 - B)) = 1 / (1 + q (1 - rho)), q = 1/B - 1 from `ErlangB`
///   (no factorials; stable to 100,000 agents and beyond),
/// - service level P(wait <= T) = 1 - C exp(-(n - A) T / AHT),
/// - ASA over all arrivals = C AHT / (n - A),
/// - occupancy = A / n; nobody abandons (`probAbandon` is nil).
/// Reference: Erlang (1917); Cooper, *Introduction to Queueing Theory*, 2nd ed. (1981); Gans, Koole &
/// Mandelbaum, "Telephone call centers: tutorial, review, and research prospects", MSOM 5(2) (2003) 79-141.
/// Fractional agents use Jagerman's continuous B (see `ErlangB`) in the same formulas.
public enum ErlangC {
    /// C(n, A) for n > A.
    /// - Throws: `StaffingError.unstable` when agents <= load (no steady state; no finite wait exists).
    public static func probWait(agents: Double, load: Double) throws -> Double {
        guard load.isFinite, load >= 0 else {
            throw StaffingError.invalidInput(field: "offered load (Erlangs)", value: load, requirement: "a finite number >= 0")
        }
        if load == 0 { return 0 }
        guard agents > load else { throw StaffingError.unstable(load: load, agents: agents) }
        return probWait(belowCapacityRatio: ErlangB.belowCapacityRatio(agents: agents, load: load), rho: load / agents)
    }

    /// C from q = 1/B - 1 and rho = A/n < 1.
    @inlinable static func probWait(belowCapacityRatio q: Double, rho: Double) -> Double {
        1 / (1 + q * (1 - rho))
    }

    /// All Erlang C metrics at `agents` (fractional allowed).
    /// - Throws: `StaffingError.unstable` when agents <= offered load.
    public static func metrics(_ load: QueueLoad, agents x: Double, serviceSeconds t: Double) throws -> QueueMetrics {
        let a = load.offeredLoad
        guard a > 0 else { return idleMetrics(.erlangC, agents: x, serviceSeconds: t) }
        guard x > a else { throw StaffingError.unstable(load: a, agents: x) }
        return metrics(belowCapacityRatio: ErlangB.belowCapacityRatio(agents: x, load: a), agents: x, load: a,
                       aht: load.ahtSeconds, serviceSeconds: t)
    }

    /// Metrics from a precomputed q (the incremental solver steps q instead of recomputing it).
    @inlinable static func metrics(belowCapacityRatio q: Double, agents x: Double, load a: Double, aht: Double,
                                   serviceSeconds t: Double) -> QueueMetrics {
        let rho = a / x
        let c = probWait(belowCapacityRatio: q, rho: rho)
        let sl = 1 - c * exp(-(x - a) * t / aht)
        return QueueMetrics(model: .erlangC, agents: x, offeredLoad: a, serviceSeconds: t, probWait: c,
                            serviceLevel: min(1, max(0, sl)), asaSeconds: c * aht / (x - a), occupancy: rho, probAbandon: nil)
    }
}
