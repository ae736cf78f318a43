/// One row of a plan's routing table (`routing.csv`: `interval_start,queue,agent_group,weight,planned_agents`,
/// DESIGN §4), on the instance's interval index: per queue and interval the weights over agent groups sum to 1
/// (the share of the queue's work each group is planned to take); a `fallback` row (weight 0) names the group
/// that takes the queue's contacts in an interval where nobody is planned on it.
public struct RoutingRow: Sendable, Equatable {
    public var interval: Int
    public var queue: String
    public var group: String
    public var weight: Double
    public var plannedAgents: Double
    public var fallback: Bool

    public init(interval: Int, queue: String, group: String, weight: Double, plannedAgents: Double, fallback: Bool = false) {
        self.interval = interval; self.queue = queue; self.group = group; self.weight = weight
        self.plannedAgents = plannedAgents; self.fallback = fallback
    }
}

/// The routing table compiled for the engine: agents' groups as indices, and per queue and interval (cell
/// `q * intervals + t`) the groups allowed to take the queue's contacts, each with its queue-view weight
/// (share of the queue's work) and group-view share (share of the group's planned agents on this queue).
///
/// A cell is `open` when the table has no row for it (no table at all, or neither contacts expected nor anyone
/// planned): then every agent with the skill may take the queue's contacts. A cell with rows allows only the
/// groups named there (weight > 0, or the fallback group with weight 1 and share 0); rows naming a group with no
/// agent in the instance allow nobody. Duplicate rows of a (queue, interval, group) are added up.
public struct WeightTable: Sendable {
    /// Group names in first-seen order over the agents (an agent without a group is in group "").
    public let groupNames: [String]
    /// Per agent: its group's index.
    public let agentGroup: [Int32]
    /// Per cell: whether the table has rows for it.
    public let open: [Bool]
    /// Per cell: its entries `cellFirst[cell] ..< cellFirst[cell + 1]`.
    public let cellFirst: [Int]
    public let entryGroup: [Int32]
    public let entryWeight: [Double]
    public let entryShare: [Double]

    public var groupCount: Int { groupNames.count }

    init(_ inst: SimInstance) {
        var names: [String] = [], index: [String: Int32] = [:]
        var agentGroup: [Int32] = []
        for a in inst.agents {
            let g = a.group ?? ""
            if index[g] == nil {
                index[g] = Int32(names.count)
                names.append(g)
            }
            agentGroup.append(index[g]!)
        }
        groupNames = names
        self.agentGroup = agentGroup
        let nq = inst.queues.count, ni = inst.intervals, cells = nq * ni
        let qIndex = Dictionary(uniqueKeysWithValues: inst.queues.enumerated().map { ($1.id, $0) })
        // (weight, planned agents, fallback) per cell and group; planned agents per group and interval.
        var perCell = [[Int32: (w: Double, p: Double, fallback: Bool)]](repeating: [:], count: cells)
        var open = [Bool](repeating: true, count: cells)
        var groupPlanned = [Double](repeating: 0, count: max(names.count, 1) * ni)
        for r in inst.routing {
            guard let q = qIndex[r.queue], r.interval >= 0, r.interval < ni else { continue }
            let cell = q * ni + r.interval
            open[cell] = false
            guard let g = index[r.group], r.fallback || r.weight > 0 else { continue }
            var x = perCell[cell][g] ?? (0, 0, false)
            if r.fallback { x.fallback = true } else { x.w += r.weight; x.p += r.plannedAgents }
            perCell[cell][g] = x
            if !r.fallback { groupPlanned[Int(g) * ni + r.interval] += r.plannedAgents }
        }
        var first = [0], eg: [Int32] = [], ew: [Double] = [], es: [Double] = []
        for cell in 0..<cells {
            let t = cell % ni
            for g in perCell[cell].keys.sorted() {
                let x = perCell[cell][g]!
                eg.append(g)
                if x.w > 0 {
                    let total = groupPlanned[Int(g) * ni + t]
                    ew.append(x.w)
                    es.append(total > 0 ? x.p / total : 0)
                } else {
                    ew.append(1)
                    es.append(0)
                }
            }
            first.append(eg.count)
        }
        self.open = open
        cellFirst = first; entryGroup = eg; entryWeight = ew; entryShare = es
    }
}
