/// Routing policies compared on common random numbers: the same instance, seed and replications run under each
/// policy, so replication r of every policy sees the same contacts (arrival times, handle times, patience; see
/// `Xoshiro256StarStar`), and the difference of a measure between two policies is estimated from the paired
/// per-replication differences d_r = x_r(policy) - x_r(baseline): mean, and the 95% Student t half-width over
/// the replications (`Stats.halfWidth`). Noise common to both runs cancels; a policy compared with itself
/// gives differences of exactly 0.
///
/// Measures: per queue and in total, the service level (answered within the threshold / offered, per
/// replication); and the queue-intervals meeting their target: over the queue-intervals with at least
/// `minimumOffered` contacts on average (the same cells for every policy, since the offered counts are the
/// same), how many reach the target in a replication (a cell without contacts in that replication counts as
/// meeting it), as a mean per replication, beside the count whose service level pooled over the replications
/// meets it.
public struct PolicyComparison: Sendable {
    public struct Difference: Sendable, Equatable {
        /// Mean of the paired per-replication differences, and its 95% half-width (nil below 2 replications).
        public var mean: Double
        public var halfWidth: Double?
    }

    public struct QueueRow: Sendable, Equatable {
        /// A queue id, or "total" (all queues pooled).
        public var queue: String
        public var policy: String
        public var serviceLevel: SimulationResult.Estimate
        /// Against the baseline policy (nil for the baseline itself).
        public var difference: Difference?
    }

    public struct TargetRow: Sendable, Equatable {
        public var policy: String
        /// Queue-intervals counted (at least `minimumOffered` contacts on average).
        public var counted: Int
        /// Mean per replication of the counted queue-intervals meeting their target.
        public var meetingPerReplication: Double
        /// Counted queue-intervals whose service level pooled over the replications meets the target.
        public var meetingPooled: Int
        public var difference: Difference?
    }

    public var baseline: String
    public var replications: Int
    public var queues: [QueueRow]
    public var targets: [TargetRow]

    /// Why two results cannot be compared.
    public struct Mismatch: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Compares `results` (the same instance, seed and replications, run with `RunOptions.keepCells`) against
    /// `results[baseline]`; `target` gives each queue's service-level target.
    /// - Throws: `Mismatch` when the runs differ in queues, intervals, replications or seed, lack the kept cells,
    ///   or did not see the same offered contacts (their random numbers were not common).
    public static func compare(
        _ results: [SimulationResult], baseline b: Int = 0, target: (String) -> Double,
        minimumOffered: Double
    ) throws(Mismatch) -> PolicyComparison {
        guard results.indices.contains(b) else { throw Mismatch(description: "no baseline run") }
        let base = results[b], n = base.replications, ni = base.intervals
        for r in results {
            guard r.queueIDs == base.queueIDs, r.intervals == ni, r.replications == n, r.seed == base.seed else {
                throw Mismatch(description: "policy \(r.policy) was run on another instance, seed or replication count than \(base.policy)")
            }
            guard r.cellReplications.count == n else { throw Mismatch(description: "policy \(r.policy) was run without keepCells") }
            for k in 0..<n where r.cellReplications[k].offered != base.cellReplications[k].offered {
                throw Mismatch(description: "policy \(r.policy) saw other contacts than \(base.policy) in replication \(k): random numbers not common")
            }
        }
        var queues: [QueueRow] = []
        for q in base.queueIDs.indices {
            for (i, r) in results.enumerated() {
                queues.append(
                    QueueRow(
                        queue: base.queueIDs[q], policy: r.policy, serviceLevel: r.queues[q].serviceLevel,
                        difference: i == b ? nil : paired(r.perReplication[q], base.perReplication[q])))
            }
        }
        let totals = results.map { r in (0..<n).map { k in pooled(r.perReplication.map { $0[k] }) } }
        for (i, r) in results.enumerated() {
            queues.append(
                QueueRow(
                    queue: "total", policy: r.policy, serviceLevel: r.total.serviceLevel,
                    difference: i == b ? nil : paired(totals[i], totals[b])))
        }
        // Cells counted: mean offered over the replications at least minimumOffered (the same for every policy).
        let cells = (0..<base.offered.count).filter { Double(base.offered[$0]) / Double(max(n, 1)) >= minimumOffered }
        let goal = cells.map { target(base.queueIDs[$0 / ni]) - 1e-9 }
        func meeting(_ r: SimulationResult) -> [Double] {
            (0..<n).map { k in
                let c = r.cellReplications[k]
                return Double(zip(cells, goal).filter { cell, g in c.offered[cell] == 0 || Double(c.answeredWithin[cell]) / Double(c.offered[cell]) >= g }.count)
            }
        }
        let baseMeeting = meeting(base)
        let targets = results.enumerated().map { i, r -> TargetRow in
            let m = i == b ? baseMeeting : meeting(r)
            let pooled = zip(cells, goal).filter { cell, g in Double(r.answeredWithin[cell]) / Double(max(r.offered[cell], 1)) >= g }.count
            return TargetRow(
                policy: r.policy, counted: cells.count, meetingPerReplication: m.reduce(0, +) / Double(max(n, 1)), meetingPooled: pooled,
                difference: i == b ? nil : difference(zip(m, baseMeeting).map { $0 - $1 }))
        }
        return PolicyComparison(baseline: base.policy, replications: n, queues: queues, targets: targets)
    }

    /// All queues of one replication pooled.
    static func pooled(_ reps: [SimulationResult.QueueReplication]) -> SimulationResult.QueueReplication {
        reps.reduce(SimulationResult.QueueReplication(offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, stillWaiting: 0, waitSum: 0)) { a, x in
            .init(
                offered: a.offered + x.offered, answered: a.answered + x.answered, answeredWithin: a.answeredWithin + x.answeredWithin,
                abandoned: a.abandoned + x.abandoned, stillWaiting: a.stillWaiting + x.stillWaiting, waitSum: a.waitSum + x.waitSum)
        }
    }

    /// Paired service-level differences over the replications where both are defined.
    static func paired(_ x: [SimulationResult.QueueReplication], _ y: [SimulationResult.QueueReplication]) -> Difference? {
        let d = zip(x, y).compactMap { a, b in a.serviceLevel.flatMap { sa in b.serviceLevel.map { sa - $0 } } }
        return difference(d)
    }

    static func difference(_ d: [Double]) -> Difference? {
        guard !d.isEmpty else { return nil }
        return Difference(mean: d.reduce(0, +) / Double(d.count), halfWidth: Stats.halfWidth(d))
    }
}
