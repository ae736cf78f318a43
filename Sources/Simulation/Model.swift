import Foundation

/// An instance compiled into flat arrays for the engine: queue and agent indices instead of ids, times in
/// seconds, each agent's skills grouped by level (best first) and each queue's agents grouped by level.
/// Immutable, and a class so that the engine and the policy share one copy (a struct this size would be
/// copied whenever the engine hands its policy a call with another of its fields as an argument).
public final class SimModel: Sendable {
    public let instance: SimInstance
    public let queueCount: Int
    public let agentCount: Int
    public let intervals: Int
    public let intervalSeconds: Double
    public let horizonSeconds: Double
    /// The run goes on this long after the last interval, so contacts arriving near the end can finish (4 hours,
    /// as in the reference); contacts still waiting when it stops are counted as neither answered nor abandoned.
    public let drainSeconds: Double
    public var endSeconds: Double { horizonSeconds + drainSeconds }
    public let slThreshold: Double

    /// Arrival rate per second of queue q in interval t: `rate[q * intervals + t]`.
    public let rate: [Double]
    public let ahtSeconds: [Double]
    /// Lognormal parameters of the handle time (mu, sigma of its log); sigma 0 = constant.
    public let lnMu: [Double], lnSigma: [Double]
    public let exponentialHandle: [Bool]
    /// Mean patience, or +infinity when nobody abandons.
    public let patience: [Double]

    /// Agent a's segments, seconds: `segStart[segFirst[a] ..< segFirst[a + 1]]`.
    public let segFirst: [Int], segStart: [Double], segEnd: [Double]
    /// Every segment boundary of every agent in time order (ends before starts at the same time, then agent
    /// order): the engine walks this list beside its event heap, since shifts are known in advance.
    /// `timelineKind` is 0 for a segment end, 1 for a start.
    public let timelineTime: [Double], timelineAgent: [Int32], timelineKind: [UInt8]
    /// Agent a's skill groups by level, best first: groups `groupFirst[a] ..< groupFirst[a + 1]`, group g holds
    /// queues `groupQueues[groupQueueFirst[g] ..< groupQueueFirst[g + 1]]` at level `groupLevel[g]`.
    public let groupFirst: [Int], groupLevel: [Int], groupQueueFirst: [Int], groupQueues: [Int32]
    /// For each entry of `groupQueues`, the index of its (queue, level) in `queueLevels`.
    public let groupQueueLevelIndex: [Int]
    /// Agent a's level on queue q, 0 when it lacks the skill: `level[a * queueCount + q]`.
    public let level: [UInt8]
    /// Queue q's distinct agent levels, best first: `queueLevels[queueLevelFirst[q] ..< queueLevelFirst[q + 1]]`,
    /// with the number of agents at each (`queueLevelAgents`).
    public let queueLevelFirst: [Int], queueLevels: [Int], queueLevelAgents: [Int]
    /// Agents' routing groups and the routing table per queue and interval (read by the `weights` policy).
    public let weights: WeightTable

    public init(_ inst: SimInstance, drainSeconds: Double = 4 * 3600) {
        instance = inst
        queueCount = inst.queues.count
        agentCount = inst.agents.count
        intervals = inst.intervals
        intervalSeconds = inst.intervalSeconds
        horizonSeconds = inst.horizonSeconds
        self.drainSeconds = drainSeconds
        slThreshold = inst.slThresholdSeconds
        weights = WeightTable(inst)
        var rate: [Double] = [], aht: [Double] = [], mu: [Double] = [], sigma: [Double] = [], expo: [Bool] = [], pat: [Double] = []
        for q in inst.queues {
            rate += q.arrivalsPerInterval.map { $0 / inst.intervalSeconds }
            aht.append(q.ahtSeconds)
            // Lognormal with mean m and CV c: sigma^2 = log(1 + c^2), mu = log(m) - sigma^2 / 2.
            let s2 = log(1 + q.ahtCV * q.ahtCV)
            mu.append(log(q.ahtSeconds) - s2 / 2)
            sigma.append(s2.squareRoot())
            expo.append(q.ahtDistribution == .exponential)
            pat.append(q.patienceSeconds ?? .infinity)
        }
        self.rate = rate; ahtSeconds = aht; lnMu = mu; lnSigma = sigma; exponentialHandle = expo; patience = pat

        let qIndex = Dictionary(uniqueKeysWithValues: inst.queues.enumerated().map { ($1.id, $0) })
        var segFirst = [0], segStart: [Double] = [], segEnd: [Double] = []
        var groupFirst = [0], groupLevel: [Int] = [], groupQueueFirst = [0], groupQueues: [Int32] = []
        var level = [UInt8](repeating: 0, count: inst.agents.count * inst.queues.count)
        var levelsOfQueue = [[Int: Int]](repeating: [:], count: inst.queues.count)
        for (a, ag) in inst.agents.enumerated() {
            for s in ag.segments { segStart.append(s.start * 60); segEnd.append(s.end * 60) }
            segFirst.append(segStart.count)
            let known = ag.skills.compactMap { sk in qIndex[sk.queue].map { (q: $0, level: sk.level) } }
            for lv in Set(known.map(\.level)).sorted() {
                groupLevel.append(lv)
                for sk in known where sk.level == lv { groupQueues.append(Int32(sk.q)) }
                groupQueueFirst.append(groupQueues.count)
            }
            groupFirst.append(groupLevel.count)
            for sk in known {
                level[a * inst.queues.count + sk.q] = UInt8(min(sk.level, 255))
                levelsOfQueue[sk.q][sk.level, default: 0] += 1
            }
        }
        self.segFirst = segFirst; self.segStart = segStart; self.segEnd = segEnd
        self.groupFirst = groupFirst; self.groupLevel = groupLevel; self.groupQueueFirst = groupQueueFirst; self.groupQueues = groupQueues
        self.level = level
        var qlf = [0], ql: [Int] = [], qla: [Int] = []
        for m in levelsOfQueue {
            for lv in m.keys.sorted() { ql.append(lv); qla.append(m[lv]!) }
            qlf.append(ql.count)
        }
        queueLevelFirst = qlf; queueLevels = ql; queueLevelAgents = qla
        var gqli: [Int] = []
        for g in groupLevel.indices {
            for k in groupQueueFirst[g]..<groupQueueFirst[g + 1] {
                let q = Int(groupQueues[k])
                gqli.append((qlf[q]..<qlf[q + 1]).first { ql[$0] == groupLevel[g] }!)
            }
        }
        groupQueueLevelIndex = gqli
        var marks: [(time: Double, kind: UInt8, agent: Int32)] = []
        for a in 0..<inst.agents.count {
            for k in segFirst[a]..<segFirst[a + 1] {
                marks.append((segStart[k], 1, Int32(a)))
                marks.append((segEnd[k], 0, Int32(a)))
            }
        }
        marks.sort { ($0.time, $0.kind, $0.agent) < ($1.time, $1.kind, $1.agent) }
        timelineTime = marks.map(\.time); timelineAgent = marks.map(\.agent); timelineKind = marks.map(\.kind)
    }

    /// Arrival interval of a time: `min(floor(t / interval), intervals - 1)`.
    @inlinable @inline(__always)
    public func interval(of t: Double) -> Int { min(Int(t / intervalSeconds), intervals - 1) }
}
