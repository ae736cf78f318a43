/// Agreement between two simulators of the same instance, by the reference README's rule: for each queue and
/// metric, the difference of the two means (each the mean of that simulator's per-replication values) is
/// within 4 standard errors of the difference, sqrt(se_a^2 + se_b^2), each standard error from its own
/// replications; or within 0.5 points of service level / abandonment %, whichever is larger. (4 rather than 2
/// because many queues and metrics are compared at once.) The rule asks for at least 20 replications each.
public enum Agreement {
    public enum Metric: String, Sendable, CaseIterable {
        case sl, abandonPct = "abandon_pct", asa = "asa_s"

        /// The absolute allowance below which any difference agrees: 0.5 points of SL (0.005 as a fraction)
        /// or of abandonment %; none for ASA.
        public var pointFloor: Double {
            switch self {
            case .sl: return 0.005
            case .abandonPct: return 0.5
            case .asa: return 0
            }
        }

        public func value(_ r: SimulationResult.QueueReplication) -> Double? {
            switch self {
            case .sl: return r.serviceLevel
            case .abandonPct: return r.abandonPercent
            case .asa: return r.asaSeconds
            }
        }
    }

    public struct Comparison: Sendable, Equatable {
        public var queue: String
        public var metric: Metric
        public var ours: Double, reference: Double
        public var oursSE: Double, referenceSE: Double
        public var oursReplications: Int, referenceReplications: Int
        /// The allowed difference: max(4 x sqrt(se_a^2 + se_b^2), the metric's point floor).
        public var allowed: Double
        public var difference: Double { ours - reference }
        public var agrees: Bool { abs(difference) <= allowed }
        /// The difference in standard errors of the difference (nil when both standard errors are 0).
        public var zScore: Double? {
            let se = (oursSE * oursSE + referenceSE * referenceSE).squareRoot()
            return se > 0 ? difference / se : nil
        }
    }

    /// Compares per-replication values (undefined replications left out); nil when either side has fewer than
    /// 2 values. `pooled`: both standard errors come from the pooled per-replication variance
    /// ((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2), as in the two-sample t test: for a side with few
    /// replications (a quick check), whose own variance estimate would be too noisy; under the hypothesis being
    /// tested (the same model) both sides have the same per-replication variance.
    public static func compare(queue: String, metric: Metric, ours: [Double], reference: [Double], pooled: Bool = false) -> Comparison? {
        guard let a = Stats.meanSD(ours), var sa = a.sd, let b = Stats.meanSD(reference), var sb = b.sd else { return nil }
        if pooled {
            let na = Double(ours.count), nb = Double(reference.count)
            let sp = (((na - 1) * sa * sa + (nb - 1) * sb * sb) / (na + nb - 2)).squareRoot()
            sa = sp
            sb = sp
        }
        let seA = sa / Double(ours.count).squareRoot(), seB = sb / Double(reference.count).squareRoot()
        let allowed = max(4 * (seA * seA + seB * seB).squareRoot(), metric.pointFloor)
        return Comparison(queue: queue, metric: metric, ours: a.mean, reference: b.mean, oursSE: seA, referenceSE: seB,
                          oursReplications: ours.count, referenceReplications: reference.count, allowed: allowed)
    }

    /// Every queue and metric of `result` against reference per-replication values
    /// (`reference[queue][metric.rawValue]`, nil entries for undefined replications).
    public static func compare(_ result: SimulationResult, reference: [String: [String: [Double?]]], pooled: Bool = false) -> [Comparison] {
        var out: [Comparison] = []
        for (q, id) in result.queueIDs.enumerated() {
            guard let ref = reference[id] else { continue }
            for m in Metric.allCases {
                guard let values = ref[m.rawValue] else { continue }
                if let c = compare(queue: id, metric: m, ours: result.perReplication[q].compactMap { m.value($0) }, reference: values.compactMap { $0 }, pooled: pooled) {
                    out.append(c)
                }
            }
        }
        return out
    }
}
