import Foundation

/// Results of R replications.
///
/// Definitions (the reference's): per queue and arrival interval, offered, answered, answered within the
/// threshold (wait <= `sl_threshold_s`), abandoned; service level = answered within / offered (abandoned
/// contacts count as not answered in time); abandonment % = 100 x abandoned / offered; ASA = mean wait of the
/// answered contacts only. Totals over the horizon are pooled over replications (sums of counts, then the
/// ratio); counts are reported as means per replication. Confidence intervals: 95%, Student t with R - 1
/// degrees of freedom over the R per-replication values of the measure (a replication in which the measure is
/// undefined, e.g. no contact offered, is left out), half-width t x sd / sqrt(n).
public struct SimulationResult: Sendable {
    public let queueIDs: [String]
    public let agentIDs: [String]
    public let intervals: Int
    public let intervalMinutes: Double
    public let slThreshold: Double
    public let policy: String
    public let seed: UInt64
    public private(set) var replications = 0
    public private(set) var events = 0
    /// Sums over replications per queue and interval (`[q * intervals + t]`).
    public private(set) var offered: [Int], answered: [Int], answeredWithin: [Int], abandoned: [Int]
    public private(set) var waitSum: [Double]
    /// Per-replication service level per cell: sum, sum of squares and count of replications with an offer.
    var cellSL: [Double], cellSL2: [Double], cellN: [Int32]
    /// Per queue, one entry per replication.
    public private(set) var perReplication: [[QueueReplication]]
    /// Per agent, one entry per replication: occupancy (busy inside segments / segment time), nil when the
    /// agent has no segment time.
    public private(set) var agentOccupancy: [[Double?]]
    /// Per replication, offered and answered-within counts per queue and interval (`[q * intervals + t]`), kept
    /// when `RunOptions.keepCells` is on (else empty).
    public private(set) var cellReplications: [(offered: [Int32], answeredWithin: [Int32])] = []
    var keepCells = false
    /// All services of all replications when traced (replication index beside each record).
    public private(set) var trace: [(replication: Int, record: ServiceRecord)] = []

    public struct QueueReplication: Sendable, Equatable {
        public var offered: Int, answered: Int, answeredWithin: Int, abandoned: Int, stillWaiting: Int
        public var waitSum: Double
        public var serviceLevel: Double? { offered > 0 ? Double(answeredWithin) / Double(offered) : nil }
        public var abandonPercent: Double? { offered > 0 ? 100 * Double(abandoned) / Double(offered) : nil }
        public var asaSeconds: Double? { answered > 0 ? waitSum / Double(answered) : nil }
    }

    init(model: SimModel, policy: String, seed: UInt64) {
        queueIDs = model.instance.queues.map(\.id)
        agentIDs = model.instance.agents.map(\.id)
        intervals = model.intervals
        intervalMinutes = model.instance.intervalMinutes
        slThreshold = model.slThreshold
        self.policy = policy
        self.seed = seed
        let cells = model.queueCount * model.intervals
        offered = [Int](repeating: 0, count: cells); answered = offered; answeredWithin = offered; abandoned = offered
        waitSum = [Double](repeating: 0, count: cells)
        cellSL = waitSum; cellSL2 = waitSum; cellN = [Int32](repeating: 0, count: cells)
        perReplication = [[QueueReplication]](repeating: [], count: model.queueCount)
        agentOccupancy = [[Double?]](repeating: [], count: model.agentCount)
    }

    mutating func add(_ o: ReplicationOutcome) {
        let r = replications
        replications += 1
        events += o.events
        for q in queueIDs.indices {
            var rep = QueueReplication(offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, stillWaiting: o.stillWaiting[q], waitSum: 0)
            for t in 0..<intervals {
                let k = q * intervals + t
                let off = Int(o.offered[k]), ans = Int(o.answered[k]), within = Int(o.answeredWithin[k]), ab = Int(o.abandoned[k])
                offered[k] += off; answered[k] += ans; answeredWithin[k] += within; abandoned[k] += ab; waitSum[k] += o.waitSum[k]
                rep.offered += off; rep.answered += ans; rep.answeredWithin += within; rep.abandoned += ab; rep.waitSum += o.waitSum[k]
                if off > 0 {
                    let sl = Double(within) / Double(off)
                    cellSL[k] += sl; cellSL2[k] += sl * sl; cellN[k] += 1
                }
            }
            perReplication[q].append(rep)
        }
        for a in agentIDs.indices {
            agentOccupancy[a].append(o.onSeconds[a] > 0 ? o.busySeconds[a] / o.onSeconds[a] : nil)
        }
        for rec in o.trace { trace.append((r, rec)) }
        if keepCells { cellReplications.append((o.offered, o.answeredWithin)) }
    }

    // MARK: Summaries

    /// A measure's pooled value and the 95% confidence half-width from per-replication values.
    public struct Estimate: Sendable, Equatable {
        public var value: Double?
        public var halfWidth: Double?
    }

    public struct QueueSummary: Sendable, Equatable {
        public var queue: String
        /// Means per replication.
        public var offered: Double, answered: Double, answeredWithin: Double, abandoned: Double, stillWaiting: Double
        public var serviceLevel: Estimate
        public var asaSeconds: Estimate
        public var abandonPercent: Estimate
    }

    func summary(_ reps: [QueueReplication], name: String) -> QueueSummary {
        let n = Double(max(replications, 1))
        let off = reps.reduce(0) { $0 + $1.offered }, ans = reps.reduce(0) { $0 + $1.answered }
        let within = reps.reduce(0) { $0 + $1.answeredWithin }, ab = reps.reduce(0) { $0 + $1.abandoned }
        let still = reps.reduce(0) { $0 + $1.stillWaiting }, ws = reps.reduce(0.0) { $0 + $1.waitSum }
        return QueueSummary(
            queue: name, offered: Double(off) / n, answered: Double(ans) / n, answeredWithin: Double(within) / n,
            abandoned: Double(ab) / n, stillWaiting: Double(still) / n,
            serviceLevel: Estimate(value: off > 0 ? Double(within) / Double(off) : nil, halfWidth: Stats.halfWidth(reps.compactMap(\.serviceLevel))),
            asaSeconds: Estimate(value: ans > 0 ? ws / Double(ans) : nil, halfWidth: Stats.halfWidth(reps.compactMap(\.asaSeconds))),
            abandonPercent: Estimate(value: off > 0 ? 100 * Double(ab) / Double(off) : nil, halfWidth: Stats.halfWidth(reps.compactMap(\.abandonPercent))))
    }

    /// Per-queue summaries, in the instance's order.
    public var queues: [QueueSummary] { queueIDs.indices.map { summary(perReplication[$0], name: queueIDs[$0]) } }

    /// All queues pooled, each replication's contacts summed over queues.
    public var total: QueueSummary {
        let reps = (0..<replications).map { r in
            perReplication.reduce(QueueReplication(offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, stillWaiting: 0, waitSum: 0)) { acc, q in
                let x = q[r]
                return QueueReplication(offered: acc.offered + x.offered, answered: acc.answered + x.answered, answeredWithin: acc.answeredWithin + x.answeredWithin,
                                        abandoned: acc.abandoned + x.abandoned, stillWaiting: acc.stillWaiting + x.stillWaiting, waitSum: acc.waitSum + x.waitSum)
            }
        }
        return summary(reps, name: "total")
    }

    public struct IntervalSummary: Sendable, Equatable {
        public var queue: String
        public var interval: Int
        /// Means per replication.
        public var offered: Double, answered: Double, answeredWithin: Double, abandoned: Double
        /// Pooled service level, with the half-width of the 95% CI of the mean of per-replication values.
        public var serviceLevel: Estimate
        public var asaSeconds: Double?
        public var abandonPercent: Double?
    }

    /// One row per queue and arrival interval.
    public var byInterval: [IntervalSummary] {
        var rows: [IntervalSummary] = []
        rows.reserveCapacity(offered.count)
        let n = Double(max(replications, 1))
        for q in queueIDs.indices {
            for t in 0..<intervals {
                let k = q * intervals + t
                var hw: Double?
                let c = Double(cellN[k])
                if cellN[k] >= 2 {
                    let mean = cellSL[k] / c
                    let v = max(0, (cellSL2[k] - c * mean * mean) / (c - 1))
                    hw = Stats.tQuantile975(Int(cellN[k]) - 1) * (v / c).squareRoot()
                }
                rows.append(IntervalSummary(
                    queue: queueIDs[q], interval: t, offered: Double(offered[k]) / n, answered: Double(answered[k]) / n,
                    answeredWithin: Double(answeredWithin[k]) / n, abandoned: Double(abandoned[k]) / n,
                    serviceLevel: Estimate(value: offered[k] > 0 ? Double(answeredWithin[k]) / Double(offered[k]) : nil, halfWidth: hw),
                    asaSeconds: answered[k] > 0 ? waitSum[k] / Double(answered[k]) : nil,
                    abandonPercent: offered[k] > 0 ? 100 * Double(abandoned[k]) / Double(offered[k]) : nil))
            }
        }
        return rows
    }

    /// Mean occupancy per agent over the replications in which it had segment time (nil: never on shift).
    public var meanOccupancy: [Double?] {
        agentOccupancy.map { v in
            let x = v.compactMap { $0 }
            return x.isEmpty ? nil : x.reduce(0, +) / Double(x.count)
        }
    }
}

/// Small statistics helpers.
public enum Stats {
    /// Sample mean and standard deviation (n - 1); sd nil below 2 values.
    public static func meanSD(_ x: [Double]) -> (mean: Double, sd: Double?)? {
        guard !x.isEmpty else { return nil }
        let m = x.reduce(0, +) / Double(x.count)
        guard x.count >= 2 else { return (m, nil) }
        let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
        return (m, v.squareRoot())
    }

    /// Standard error of the mean, nil below 2 values.
    public static func standardError(_ x: [Double]) -> Double? {
        guard let s = meanSD(x), let sd = s.sd else { return nil }
        return sd / Double(x.count).squareRoot()
    }

    /// Half-width of the 95% Student t confidence interval of the mean, nil below 2 values.
    public static func halfWidth(_ x: [Double]) -> Double? {
        standardError(x).map { tQuantile975(x.count - 1) * $0 }
    }

    /// The 0.975 quantile of Student's t with `df` degrees of freedom: exact table to 30, then the
    /// Cornish-Fisher expansion z + (z^3 + z) / 4df + (5z^5 + 16z^3 + 3z) / 96df^2 (error < 2e-4 there).
    public static func tQuantile975(_ df: Int) -> Double {
        let table: [Double] = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                               2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                               2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]
        if df >= 1 && df <= 30 { return table[df - 1] }
        let z = 1.959963984540054, d = Double(max(df, 1))
        return z + (z * z * z + z) / (4 * d) + (5 * pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * d * d)
    }
}
