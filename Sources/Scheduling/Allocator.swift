/// Splits each group's on-duty capacity over its queues, period by period, without a solver.
///
/// Per period: a single-skill group gives all its capacity to its queue. What is still needed is then covered
/// by multi-skill groups through a min-cost flow (successive shortest paths, Bellman-Ford/SPFA; Ahuja, Magnanti
/// & Orlin 1993, ch. 9): source → group (capacity = on duty), group → queue (cost 10⁻⁶ × (level − 1), so primary
/// skills are preferred), queue → sink (capacity = remaining need, cost −weight of the queue). The flow covers the
/// most weight-valued need the capacity allows — the same shortfall the solver's model would choose. Capacity
/// left over goes to the group's lowest-level skills in proportion to their requirement (evenly when none is
/// required), so every on-duty agent has a routing target.
public enum Allocator {
    /// - Parameters:
    ///   - onDuty: agents on the queues per group and absolute period.
    ///   - coverageWeights: value of one covered agent-period per queue (soft: its shortage cost; hard: a large number).
    /// - Returns: `allocation[g][k][t]` with k in the order of `problem.skills(of: g)`.
    public static func allocate(onDuty: [[Double]], problem p: ScheduleProblem, coverageWeights: [Double]) -> [[[Double]]] {
        let skills = p.groups.indices.map { p.skills(of: $0) }
        var alloc = skills.map { s in [[Double]](repeating: [Double](repeating: 0, count: p.horizon), count: s.count) }
        let multi = p.groups.indices.filter { skills[$0].count > 1 }
        var need = [Double](repeating: 0, count: p.queues.count)
        for t in 0 ..< p.horizon {
            for q in p.queues.indices { need[q] = p.queues[q].requirement[t] }
            for g in p.groups.indices where skills[g].count == 1 {
                let c = onDuty[g][t]
                guard c > 0 else { continue }
                alloc[g][0][t] = c
                need[skills[g][0].queue] -= c
            }
            let active = multi.filter { onDuty[$0][t] > 1e-9 }
            guard !active.isEmpty else { continue }
            var left = active.map { onDuty[$0][t] }
            var flow = active.map { g in [Double](repeating: 0, count: skills[g].count) }
            let wanted = active.contains { g in skills[g].contains { need[$0.queue] > 1e-9 } }
            if wanted {
                coverByFlow(active: active, skills: skills, capacity: &left, flow: &flow, need: &need, weights: coverageWeights)
            }
            for (i, g) in active.enumerated() {
                if left[i] > 1e-12 {
                    // Spare capacity: lowest-level skills, in proportion to their requirement.
                    let minLevel = skills[g].map(\.level).min() ?? 1
                    let ks = skills[g].indices.filter { skills[g][$0].level == minLevel }
                    let reqs = ks.map { max(0, p.queues[skills[g][$0].queue].requirement[t]) }
                    let total = reqs.reduce(0, +)
                    for (j, k) in ks.enumerated() {
                        flow[i][k] += left[i] * (total > 0 ? reqs[j] / total : 1 / Double(ks.count))
                    }
                }
                for k in skills[g].indices { alloc[g][k][t] = flow[i][k] }
            }
        }
        return alloc
    }

    /// Min-cost flow by successive shortest paths on the small bipartite graph of one period.
    static func coverByFlow(active: [Int], skills: [[(queue: Int, level: Int)]], capacity: inout [Double],
                            flow: inout [[Double]], need: inout [Double], weights: [Double]) {
        // Queues touched by the active groups and still in need.
        var qs: [Int] = []
        var qIndex: [Int: Int] = [:]
        for g in active { for s in skills[g] where need[s.queue] > 1e-9 && qIndex[s.queue] == nil { qIndex[s.queue] = qs.count; qs.append(s.queue) } }
        guard !qs.isEmpty else { return }
        let m = active.count, n = qs.count
        let source = 0, sink = m + n + 1, nodes = m + n + 2
        struct Edge { var to: Int; var cap: Double; var cost: Double; var rev: Int }
        var adj = [[Edge]](repeating: [], count: nodes)
        func addEdge(_ a: Int, _ b: Int, _ cap: Double, _ cost: Double) {
            adj[a].append(Edge(to: b, cap: cap, cost: cost, rev: adj[b].count))
            adj[b].append(Edge(to: a, cap: 0, cost: -cost, rev: adj[a].count - 1))
        }
        var groupEdge: [[(queueSlot: Int, edge: Int)]] = Array(repeating: [], count: m)
        for (i, g) in active.enumerated() {
            addEdge(source, 1 + i, capacity[i], 0)
            for (k, s) in skills[g].enumerated() {
                guard let j = qIndex[s.queue] else { continue }
                groupEdge[i].append((k, adj[1 + i].count))
                addEdge(1 + i, 1 + m + j, .infinity, 1e-6 * Double(s.level - 1))
            }
        }
        for (j, q) in qs.enumerated() { addEdge(1 + m + j, sink, need[q], -max(weights[q], 1e-3)) }
        var dist = [Double](repeating: 0, count: nodes)
        var prevNode = [Int](repeating: -1, count: nodes), prevEdge = [Int](repeating: -1, count: nodes)
        var inQueue = [Bool](repeating: false, count: nodes)
        for _ in 0 ..< 4 * (m + n) + 8 {
            for v in 0 ..< nodes { dist[v] = .infinity; prevNode[v] = -1 }
            dist[source] = 0
            var queue = [source]; var head = 0
            inQueue[source] = true
            while head < queue.count {
                let u = queue[head]; head += 1; inQueue[u] = false
                for (e, edge) in adj[u].enumerated() where edge.cap > 1e-12 {
                    let nd = dist[u] + edge.cost
                    if nd < dist[edge.to] - 1e-15 {
                        dist[edge.to] = nd; prevNode[edge.to] = u; prevEdge[edge.to] = e
                        if !inQueue[edge.to] { inQueue[edge.to] = true; queue.append(edge.to) }
                    }
                }
                if queue.count > 64 * nodes * nodes { break }
            }
            guard dist[sink] < -1e-12 else { break }
            // Walk the path back from the sink. Rounding in the tiny level costs can leave a cycle in the
            // predecessor links (a negative cycle the label-correcting search did not settle): then stop
            // augmenting rather than walk the cycle forever.
            var push = Double.infinity
            var v = sink, steps = 0
            while v != source && steps <= nodes && prevNode[v] >= 0 { push = min(push, adj[prevNode[v]][prevEdge[v]].cap); v = prevNode[v]; steps += 1 }
            guard v == source, push > 1e-12 else { break }
            v = sink
            while v != source {
                let u = prevNode[v], e = prevEdge[v]
                adj[u][e].cap -= push
                adj[v][adj[u][e].rev].cap += push
                v = u
            }
        }
        for i in 0 ..< m {
            var used = 0.0
            for (k, e) in groupEdge[i] {
                let back = adj[1 + i][e]
                let f = adj[back.to][back.rev].cap
                if f > 0 { flow[i][k] += f; used += f; need[qs[back.to - 1 - m]] -= f }
            }
            capacity[i] = max(0, capacity[i] - used)
        }
    }
}
