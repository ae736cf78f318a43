import PlanningCore

extension RosterProblem {
    /// Pools of channels that share agents: connected components of the agents' skill sets (a channel nobody
    /// serves is a pool of its own), in channel order.
    public var pools: [[Int]] {
        var parent = Array(channels.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { i = parent[i] }
            return i
        }
        for a in agents {
            let ix = a.skills.compactMap { channelIndex($0.queue) }
            for j in ix.dropFirst() { let (x, y) = (find(ix[0]), find(j)); if x != y { parent[max(x, y)] = min(x, y) } }
        }
        var out: [Int: [Int]] = [:]
        for c in channels.indices { out[find(c), default: []].append(c) }
        return out.keys.sorted().map { out[$0]! }
    }

    /// Pool-intervals with requirement and nobody on any of the pool's queues, and how many have requirement.
    public func emptyIntervals(_ r: Roster) -> (empty: Int, needed: Int) {
        let cover = coverage(r)
        var empty = 0, needed = 0
        for pool in pools {
            for t in 0..<slots where pool.contains(where: { required[$0][t] > 0 }) {
                needed += 1
                if pool.allSatisfy({ cover[$0][t] == 0 }) { empty += 1 }
            }
        }
        return (empty, needed)
    }
}
