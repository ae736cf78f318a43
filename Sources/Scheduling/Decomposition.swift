/// A set of days, queues and groups that no rule links to anything outside it: solved as one model.
public struct Component: Sendable, Equatable {
    public var days: [Int]
    public var queues: [Int]
    public var groups: [Int]
    /// The (queue, day) cells that need agents, as `queue * days + day`.
    public var cells: [Int]
}

/// Splits a problem into independent components (union-find over (queue, day) cells that need agents).
///
/// Cells are linked when one decision touches both: a multi-skill group links its queues on a day; an overnight
/// template links a day to the next for the group's queues; a weekly head-count limit links the days of a week
/// for the group's queues. Everything else separates, which is exact: the objective and every row of the model
/// are sums over components (the peers' `highs-decomp` relies on the same fact for single-skill models).
public enum Decomposition {
    public static func components(_ p: ScheduleProblem) -> [Component] {
        components(p, cells: nil, groups: Array(p.groups.indices))
    }

    /// Components of the cells `cells` (all cells that need agents when nil) when only `groups` may work.
    public static func components(_ p: ScheduleProblem, cells: [Int]?, groups: [Int]) -> [Component] {
        let Q = p.queues.count, D = p.days, P = p.periodsPerDay
        func cell(_ q: Int, _ d: Int) -> Int { q * D + d }
        var needs = [Bool](repeating: false, count: Q * D)
        if let cells {
            for c in cells { needs[c] = true }
        } else {
            for q in 0 ..< Q { for d in 0 ..< D { needs[cell(q, d)] = (0 ..< P).contains { p.queues[q].requirement[d * P + $0] > 0 } } }
        }
        var parent = Array(0 ..< Q * D)
        func find(_ x: Int) -> Int {
            var r = x
            while parent[r] != r { r = parent[r] }
            var y = x
            while parent[y] != r { let n = parent[y]; parent[y] = r; y = n }
            return r
        }
        func union(_ a: Int, _ b: Int) { let ra = find(a), rb = find(b); if ra != rb { parent[max(ra, rb)] = min(ra, rb) } }
        for g in groups {
            let qs = p.skills(of: g).map(\.queue)
            guard !qs.isEmpty else { continue }
            let overnight = p.templates(of: g).contains { p.templates[$0].latestEnd > P }
            for d in 0 ..< D {
                let here = qs.filter { needs[cell($0, d)] }
                for q in here.dropFirst() { union(cell(here[0], d), cell(q, d)) }
                if overnight, d + 1 < D, let a = here.first {
                    for q in qs where needs[cell(q, d + 1)] { union(cell(a, d), cell(q, d + 1)) }
                }
            }
            if p.groups[g].maxShiftsPerWeek != nil {
                var firstOfWeek: [Int: Int] = [:]
                for d in 0 ..< D {
                    for q in qs where needs[cell(q, d)] {
                        let w = p.week(ofDay: d)
                        if let a = firstOfWeek[w] { union(a, cell(q, d)) } else { firstOfWeek[w] = cell(q, d) }
                    }
                }
            }
        }
        var byRoot: [Int: (days: Set<Int>, queues: Set<Int>, cells: [Int])] = [:]
        for q in 0 ..< Q { for d in 0 ..< D where needs[cell(q, d)] {
            let r = find(cell(q, d))
            byRoot[r, default: ([], [], [])].days.insert(d)
            byRoot[r, default: ([], [], [])].queues.insert(q)
            byRoot[r, default: ([], [], [])].cells.append(cell(q, d))
        } }
        var out: [Component] = []
        for (_, v) in byRoot {
            let qs = v.queues
            let gs = groups.filter { g in p.skills(of: g).contains { qs.contains($0.queue) } }.sorted()
            out.append(Component(days: v.days.sorted(), queues: qs.sorted(), groups: gs, cells: v.cells.sorted()))
        }
        return out.sorted { ($0.days.first ?? 0, $0.queues.first ?? 0) < ($1.days.first ?? 0, $1.queues.first ?? 0) }
    }
}
