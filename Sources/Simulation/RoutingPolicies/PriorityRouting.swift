/// Static priority by skill level (the reference model's "priority" rule).
///
/// - An arriving contact of queue q goes to the idle agent with skill q at the best (lowest) level; among
///   those, the one idle the longest (ties, such as agents starting a shift together, in the order they became
///   idle, which is agent order at a common shift start). Otherwise it waits in q, first come first served.
/// - An agent who becomes free takes, among the queues of its best level that has anyone waiting, the contact
///   that has waited longest (ties between queues: the queue listed first in the instance); then the next
///   level, and so on. Nothing waiting: the agent becomes idle.
///
/// Idle agents are kept in one first-in first-out list per queue and level, which is ordered by idle time
/// because agents become idle in time order. An agent idle on several skills is in several lists; when it
/// stops being idle its entries go stale (its idle "epoch" moves on) and are skipped when met, and a list is
/// compacted when stale entries outnumber its agents four to one, so memory stays bounded.
public struct PriorityRouting: RoutingPolicy {
    public static let name = "priority"
    public static let summary = "static priority by skill level: best level first, then longest idle agent / longest waiting contact"

    struct Entry { var agent: Int32; var epoch: UInt32 }

    let model: SimModel
    /// Idle lists, one per (queue, level) in `model.queueLevels` order, used in place through the pointer.
    let lists: UnsafeMutablePointer<Ring<Entry>>
    let listCount: Int
    let idle: Buf<Bool>
    let epoch: Buf<UInt32>

    public init(model: SimModel, settings: RoutingSettings) {
        self.model = model
        listCount = model.queueLevels.count
        lists = .allocate(capacity: max(listCount, 1))
        for k in 0..<listCount { (lists + k).initialize(to: Ring<Entry>(capacity: 16)) }
        idle = Buf(repeating: false, count: model.agentCount)
        epoch = Buf(repeating: 0, count: model.agentCount)
    }

    public func free() {
        for k in 0..<listCount { lists[k].free() }
        lists.deinitialize(count: listCount)
        lists.deallocate()
        idle.free()
        epoch.free()
    }

    public mutating func reset() {
        for k in 0..<listCount { lists[k].removeAll() }
        idle.fill(false)
        epoch.fill(0)
    }

    public mutating func agentBecameIdle(_ a: Int, now: Double) {
        idle[a] = true
        let e = Entry(agent: Int32(a), epoch: epoch[a])
        let m = model
        for k in m.groupQueueFirst[m.groupFirst[a]]..<m.groupQueueFirst[m.groupFirst[a + 1]] {
            let li = m.groupQueueLevelIndex[k]
            lists[li].append(e)
            if lists[li].count > 4 * m.queueLevelAgents[li] + 16 { compact(li) }
        }
    }

    public mutating func agentLeftIdle(_ a: Int) {
        idle[a] = false
        epoch[a] &+= 1
    }

    @inline(__always)
    func valid(_ e: Entry) -> Bool { idle[Int(e.agent)] && epoch[Int(e.agent)] == e.epoch }

    /// Drops the stale entries of list li, keeping the order of the others.
    func compact(_ li: Int) {
        let n = lists[li].count
        for _ in 0..<n {
            let e = lists[li].removeFirst()
            if valid(e) { lists[li].append(e) }
        }
    }

    public mutating func takeIdleAgent(for q: Int, now: Double) -> Int? {
        for li in model.queueLevelFirst[q]..<model.queueLevelFirst[q + 1] {
            while !lists[li].isEmpty {
                let e = lists[li].removeFirst()
                if valid(e) {
                    agentLeftIdle(Int(e.agent))
                    return Int(e.agent)
                }
            }
        }
        return nil
    }
    public func queueToServe(agent a: Int, waiting: inout WaitingContacts, now: Double) -> Int? {
        let m = model
        for g in m.groupFirst[a]..<m.groupFirst[a + 1] {
            var best = -1
            var bestArrival = Double.infinity
            for k in m.groupQueueFirst[g]..<m.groupQueueFirst[g + 1] {
                let q = Int(m.groupQueues[k])
                if let t = waiting.oldestArrival(q, now: now), t < bestArrival {
                    best = q
                    bestArrival = t
                }
            }
            if best >= 0 { return best }
        }
        return nil
    }
}
