/// The plan's weight table (`routing.csv`, carried by the instance as `SimInstance.routing`; `WeightTable`).
///
/// In interval t, a queue's contacts may go only to agents with the skill whose group the table names for the
/// queue and interval (weight > 0, or its fallback group); with no row for them (no table, or nothing expected and
/// nobody planned), to any agent with the skill. Within those, the split follows the weights by deficit
/// (smooth weighted round robin, deterministic, so no random numbers are drawn): counting, from the start of
/// the interval, `c[q, g]` the contacts of queue q that group g's agents took, `N_q` the queue's and `M_g` the
/// group's totals,
/// - an arriving contact of q goes to the group with an idle allowed agent of the largest deficit
///   `w[q, g] (N_q + 1) - c[q, g]` (ties: the agent idle longer), its agent idle the longest; otherwise it waits
///   (first come first served);
/// - an agent of group g who becomes free takes, among its skills' queues where g is allowed and someone waits,
///   the one of the largest group-view deficit `s[g, q] (M_g + 1) - c[q, g]` (s: the group's planned agents on q
///   over its planned agents on all queues in the interval; a fallback queue has share 0; queues without rows
///   come last), ties to the longest-waiting contact; nothing allowed waiting: it becomes idle.
/// Skill levels play no part: the table already says who works what. At each interval boundary, every queue with
/// contacts waiting is looked at again (the allowed groups change), so an idle agent allowed from then on takes
/// them. After the horizon, the last interval's rows apply.
///
/// Idle agents: one first-in first-out list per (queue, group) with stale entries skipped (idle epochs), as in
/// `PriorityRouting`.
public struct WeightRouting: RoutingPolicy {
    public static let name = "weights"
    public static let summary = "the plan's routing table: per queue and interval only the groups it names, split by their weights (deficit round robin)"

    struct Entry { var agent: Int32; var epoch: UInt32; var since: Double }

    let model: SimModel
    let table: WeightTable
    let groups: Int
    /// Per (queue, group), `q * groups + g`: its idle list's index, or -1 when no agent of g has skill q.
    let listIndex: [Int]
    let lists: UnsafeMutablePointer<Ring<Entry>>
    let listCount: Int
    let listAgents: [Int]
    let idle: Buf<Bool>
    let epoch: Buf<UInt32>
    /// Contacts taken in the current interval: per (queue, group), per queue and per group.
    let taken: Buf<Double>, takenByQueue: Buf<Double>, takenByGroup: Buf<Double>
    var countInterval = -1

    public init(model: SimModel, settings: RoutingSettings) {
        self.model = model
        table = model.weights
        groups = max(table.groupCount, 1)
        var index = [Int](repeating: -1, count: model.queueCount * groups)
        var agents: [Int] = []
        for a in 0..<model.agentCount {
            let g = Int(table.agentGroup[a])
            for k in model.groupQueueFirst[model.groupFirst[a]]..<model.groupQueueFirst[model.groupFirst[a + 1]] {
                let cell = Int(model.groupQueues[k]) * groups + g
                if index[cell] < 0 {
                    index[cell] = agents.count
                    agents.append(0)
                }
                agents[index[cell]] += 1
            }
        }
        listIndex = index
        listAgents = agents
        listCount = agents.count
        lists = .allocate(capacity: max(listCount, 1))
        for k in 0..<listCount { (lists + k).initialize(to: Ring<Entry>(capacity: 16)) }
        idle = Buf(repeating: false, count: model.agentCount)
        epoch = Buf(repeating: 0, count: model.agentCount)
        taken = Buf(repeating: 0, count: model.queueCount * groups)
        takenByQueue = Buf(repeating: 0, count: model.queueCount)
        takenByGroup = Buf(repeating: 0, count: groups)
    }

    public func free() {
        for k in 0..<listCount { lists[k].free() }
        lists.deinitialize(count: listCount)
        lists.deallocate()
        idle.free(); epoch.free(); taken.free(); takenByQueue.free(); takenByGroup.free()
    }

    public mutating func reset() {
        for k in 0..<listCount { lists[k].removeAll() }
        idle.fill(false)
        epoch.fill(0)
        countInterval = -1
    }

    /// The interval of `now`; the counts start again when it is a new one.
    @inline(__always)
    mutating func interval(_ now: Double) -> Int {
        let t = model.interval(of: now)
        if t != countInterval {
            taken.fill(0); takenByQueue.fill(0); takenByGroup.fill(0)
            countInterval = t
        }
        return t
    }

    @inline(__always)
    func valid(_ e: Entry) -> Bool { idle[Int(e.agent)] && epoch[Int(e.agent)] == e.epoch }

    /// The longest-idle valid entry of list li (stale heads dropped), or nil.
    func head(_ li: Int) -> Entry? {
        while !lists[li].isEmpty {
            let e = lists[li].first
            if valid(e) { return e }
            lists[li].removeFirst()
        }
        return nil
    }

    func compact(_ li: Int) {
        for _ in 0..<lists[li].count {
            let e = lists[li].removeFirst()
            if valid(e) { lists[li].append(e) }
        }
    }

    public mutating func agentBecameIdle(_ a: Int, now: Double) {
        idle[a] = true
        let e = Entry(agent: Int32(a), epoch: epoch[a], since: now)
        let m = model, g = Int(table.agentGroup[a])
        for k in m.groupQueueFirst[m.groupFirst[a]]..<m.groupQueueFirst[m.groupFirst[a + 1]] {
            let li = listIndex[Int(m.groupQueues[k]) * groups + g]
            lists[li].append(e)
            if lists[li].count > 4 * listAgents[li] + 16 { compact(li) }
        }
    }

    public mutating func agentLeftIdle(_ a: Int) {
        idle[a] = false
        epoch[a] &+= 1
    }

    /// The idle list (with an allowed agent idle) an arriving contact of queue q goes to in interval t, and
    /// the group, or nil.
    func pick(queue q: Int, interval t: Int) -> (list: Int, group: Int)? {
        let cell = q * model.intervals + t
        var best: (list: Int, group: Int)?
        var bestScore = -Double.infinity, bestSince = Double.infinity
        if table.open[cell] {
            for g in 0..<groups {
                let li = listIndex[q * groups + g]
                if li >= 0, let h = head(li), h.since < bestSince {
                    best = (li, g)
                    bestSince = h.since
                }
            }
            return best
        }
        let n = takenByQueue[q] + 1
        for e in table.cellFirst[cell]..<table.cellFirst[cell + 1] {
            let g = Int(table.entryGroup[e])
            let li = listIndex[q * groups + g]
            guard li >= 0, let h = head(li) else { continue }
            let score = table.entryWeight[e] * n - taken[q * groups + g]
            if score > bestScore || (score == bestScore && h.since < bestSince) {
                best = (li, g)
                bestScore = score
                bestSince = h.since
            }
        }
        return best
    }

    @inline(__always)
    func count(queue q: Int, group g: Int) {
        taken[q * groups + g] += 1
        takenByQueue[q] += 1
        takenByGroup[g] += 1
    }

    public mutating func takeIdleAgent(for q: Int, now: Double) -> Int? {
        let t = interval(now)
        guard let p = pick(queue: q, interval: t) else { return nil }
        let a = Int(lists[p.list].removeFirst().agent)
        agentLeftIdle(a)
        count(queue: q, group: p.group)
        return a
    }

    public mutating func queueToServe(agent a: Int, waiting: inout WaitingContacts, now: Double) -> Int? {
        let t = interval(now)
        let m = model, g = Int(table.agentGroup[a])
        let total = takenByGroup[g] + 1
        var best = -1
        var bestScore = -Double.infinity, bestArrival = Double.infinity
        for k in m.groupQueueFirst[m.groupFirst[a]]..<m.groupQueueFirst[m.groupFirst[a + 1]] {
            let q = Int(m.groupQueues[k])
            let cell = q * m.intervals + t
            var score = -Double.greatestFiniteMagnitude
            if !table.open[cell] {
                guard let e = (table.cellFirst[cell]..<table.cellFirst[cell + 1]).first(where: { Int(table.entryGroup[$0]) == g }) else { continue }
                score = table.entryShare[e] * total - taken[q * groups + g]
            }
            guard let arrival = waiting.oldestArrival(q, now: now) else { continue }
            if score > bestScore || (score == bestScore && arrival < bestArrival) {
                best = q
                bestScore = score
                bestArrival = arrival
            }
        }
        guard best >= 0 else { return nil }
        count(queue: best, group: g)
        return best
    }

    public mutating func wakeTime(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Double? {
        guard waiting.oldestArrival(q, now: now) != nil else { return nil }
        let t = interval(now)
        if pick(queue: q, interval: t) != nil { return now }
        return t + 1 < model.intervals ? Double(t + 1) * model.intervalSeconds : nil
    }

    public mutating func onWake(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Int? {
        guard waiting.oldestArrival(q, now: now) != nil else { return nil }
        return takeIdleAgent(for: q, now: now)
    }
}
