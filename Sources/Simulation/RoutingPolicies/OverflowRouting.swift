/// Delay-based overflow: a contact is first for the agents whose best skill level includes its queue (its
/// "own" agents); only after it has waited `RoutingSettings.overflowDelaySeconds` may agents who have the
/// queue as a secondary skill (a level below their best) take it.
///
/// - An arriving contact goes to the own agent of its queue idle the longest; otherwise it waits (first come
///   first served). When its wait reaches the delay, an idle secondary agent takes it: the best level first,
///   then the longest idle.
/// - An agent who becomes free takes the longest-waiting contact among its own queues; else, level by level,
///   the longest-waiting contact among its secondary queues that has waited at least the delay; else it
///   becomes idle.
///
/// Wake-ups: the policy asks the engine to wake queue q when its head's wait will reach the delay; when the
/// head has already waited that long but no secondary agent is idle, when the head would abandon (so that a
/// head hidden behind an abandoned one is seen); and at once when the head has waited long enough and a
/// secondary agent is idle. Idle agents are kept as in `PriorityRouting`: first-in first-out lists with
/// stale entries skipped (the agent's idle epoch), one per queue for own agents and one per (queue, level)
/// for secondary ones.
public struct OverflowRouting: RoutingPolicy {
    public static let name = "overflow"
    public static let summary = "delay-based overflow: own (best-level) agents first; secondary agents take a contact after it has waited --overflow-delay seconds"

    struct Entry { var agent: Int32; var epoch: UInt32 }

    let model: SimModel
    let delay: Double
    /// Per queue: its own agents' idle list. Then one list per (queue, level) in `model.queueLevels` order for
    /// agents who have that queue as a secondary skill at that level.
    let own: UnsafeMutablePointer<Ring<Entry>>
    let secondary: UnsafeMutablePointer<Ring<Entry>>
    let secondaryCount: Int
    /// Agents per list (to bound the stale entries).
    let ownAgents: [Int], secondaryAgents: [Int]
    /// Whether any agent has the queue as a secondary skill.
    let hasSecondary: [Bool]
    let idle: Buf<Bool>
    let epoch: Buf<UInt32>

    public init(model: SimModel, settings: RoutingSettings) {
        self.model = model
        delay = settings.overflowDelaySeconds
        own = .allocate(capacity: max(model.queueCount, 1))
        for q in 0..<model.queueCount { (own + q).initialize(to: Ring<Entry>(capacity: 16)) }
        secondaryCount = model.queueLevels.count
        secondary = .allocate(capacity: max(secondaryCount, 1))
        for k in 0..<secondaryCount { (secondary + k).initialize(to: Ring<Entry>(capacity: 16)) }
        var ownAgents = [Int](repeating: 0, count: model.queueCount), secondaryAgents = [Int](repeating: 0, count: secondaryCount)
        for a in 0..<model.agentCount where model.groupFirst[a] < model.groupFirst[a + 1] {
            let best = model.groupFirst[a]
            for k in model.groupQueueFirst[best]..<model.groupQueueFirst[best + 1] { ownAgents[Int(model.groupQueues[k])] += 1 }
            for k in model.groupQueueFirst[best + 1]..<model.groupQueueFirst[model.groupFirst[a + 1]] { secondaryAgents[model.groupQueueLevelIndex[k]] += 1 }
        }
        self.ownAgents = ownAgents
        self.secondaryAgents = secondaryAgents
        hasSecondary = (0..<model.queueCount).map { q in (model.queueLevelFirst[q]..<model.queueLevelFirst[q + 1]).contains { secondaryAgents[$0] > 0 } }
        idle = Buf(repeating: false, count: model.agentCount)
        epoch = Buf(repeating: 0, count: model.agentCount)
    }

    public func free() {
        for q in 0..<model.queueCount { own[q].free() }
        for k in 0..<secondaryCount { secondary[k].free() }
        own.deinitialize(count: model.queueCount); own.deallocate()
        secondary.deinitialize(count: secondaryCount); secondary.deallocate()
        idle.free()
        epoch.free()
    }

    public mutating func reset() {
        for q in 0..<model.queueCount { own[q].removeAll() }
        for k in 0..<secondaryCount { secondary[k].removeAll() }
        idle.fill(false)
        epoch.fill(0)
    }

    @inline(__always)
    func valid(_ e: Entry) -> Bool { idle[Int(e.agent)] && epoch[Int(e.agent)] == e.epoch }

    /// Drops stale entries of a list, keeping the order of the others.
    func compact(_ list: UnsafeMutablePointer<Ring<Entry>>) {
        for _ in 0..<list.pointee.count {
            let e = list.pointee.removeFirst()
            if valid(e) { list.pointee.append(e) }
        }
    }

    public mutating func agentBecameIdle(_ a: Int, now: Double) {
        idle[a] = true
        let e = Entry(agent: Int32(a), epoch: epoch[a])
        let m = model
        guard m.groupFirst[a] < m.groupFirst[a + 1] else { return }
        let best = m.groupFirst[a]
        for k in m.groupQueueFirst[best]..<m.groupQueueFirst[best + 1] {
            let q = Int(m.groupQueues[k])
            own[q].append(e)
            if own[q].count > 4 * ownAgents[q] + 16 { compact(own + q) }
        }
        for k in m.groupQueueFirst[best + 1]..<m.groupQueueFirst[m.groupFirst[a + 1]] {
            let li = m.groupQueueLevelIndex[k]
            secondary[li].append(e)
            if secondary[li].count > 4 * secondaryAgents[li] + 16 { compact(secondary + li) }
        }
    }

    public mutating func agentLeftIdle(_ a: Int) {
        idle[a] = false
        epoch[a] &+= 1
    }

    /// Pops the first valid entry of a list (stale ones are dropped), or nil.
    mutating func pop(_ list: UnsafeMutablePointer<Ring<Entry>>) -> Int? {
        while !list.pointee.isEmpty {
            let e = list.pointee.removeFirst()
            if valid(e) {
                agentLeftIdle(Int(e.agent))
                return Int(e.agent)
            }
        }
        return nil
    }

    /// Whether a secondary agent of queue q is idle (drops stale heads on the way).
    func hasIdleSecondary(_ q: Int) -> Bool {
        for li in model.queueLevelFirst[q]..<model.queueLevelFirst[q + 1] {
            while !secondary[li].isEmpty {
                if valid(secondary[li].first) { return true }
                secondary[li].removeFirst()
            }
        }
        return false
    }

    public mutating func takeIdleAgent(for q: Int, now: Double) -> Int? { pop(own + q) }

    public mutating func queueToServe(agent a: Int, waiting: inout WaitingContacts, now: Double) -> Int? {
        let m = model
        var firstGroup = true
        for g in m.groupFirst[a]..<m.groupFirst[a + 1] {
            var best = -1
            var bestArrival = Double.infinity
            for k in m.groupQueueFirst[g]..<m.groupQueueFirst[g + 1] {
                let q = Int(m.groupQueues[k])
                if let t = waiting.oldestArrival(q, now: now), t < bestArrival, firstGroup || t + delay <= now {
                    best = q
                    bestArrival = t
                }
            }
            if best >= 0 { return best }
            firstGroup = false
        }
        return nil
    }

    public mutating func wakeTime(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Double? {
        guard hasSecondary[q], let t = waiting.oldestArrival(q, now: now) else { return nil }
        // Eligibility is always tested as `t + delay <= now`, the same expression as the wake-up time, so a
        // wake-up at that time finds the contact eligible.
        if t + delay > now { return t + delay }
        if hasIdleSecondary(q) { return now }
        let deadline = waiting.queues[q].first.deadline
        return deadline.isFinite ? deadline : nil
    }

    public mutating func onWake(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Int? {
        guard let t = waiting.oldestArrival(q, now: now), t + delay <= now else { return nil }
        for li in model.queueLevelFirst[q]..<model.queueLevelFirst[q + 1] {
            if let a = pop(secondary + li) { return a }
        }
        return nil
    }
}
