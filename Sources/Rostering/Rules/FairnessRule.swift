/// Soft: weekend and late shifts spread evenly across agents. The penalty is the max-min spread of
/// each count (per agent, among agents whose contracts allow the work) times the weight.
public struct FairnessRule: RosterRule {
    public var id: String { "fairness" }
    public var isHard: Bool { false }
    public var weight = 1.0
    public init() {}

    public struct Spread: Sendable, Equatable {
        public var weekendSpread: Int, lateSpread: Int
        public var weekendGini: Double, lateGini: Double
        public var spread: Int { max(weekendSpread, lateSpread) }
    }

    public static func measure(_ roster: Roster, _ p: RosterProblem) -> Spread {
        var weekend = [Int](repeating: 0, count: p.agents.count), late = weekend
        for s in roster.shifts {
            if p.isWeekend(s) { weekend[s.agent] += 1 }
            if p.isLate(s) { late[s.agent] += 1 }
        }
        func spread(_ v: [Int]) -> Int { (v.max() ?? 0) - (v.min() ?? 0) }
        return Spread(weekendSpread: spread(weekend), lateSpread: spread(late), weekendGini: gini(weekend), lateGini: gini(late))
    }

    /// Gini coefficient of non-negative counts (0 = equal, 1 = one agent has everything).
    public static func gini(_ v: [Int]) -> Double {
        let n = Double(v.count), total = Double(v.reduce(0, +))
        guard v.count > 1, total > 0 else { return 0 }
        let s = v.sorted()
        var acc = 0.0
        for (i, x) in s.enumerated() { acc += Double(2 * (i + 1) - v.count - 1) * Double(x) }
        return acc / (n * total)
    }

    /// Placement cost per weekend (late) shift the agent already has, as a share of the weight: spreads them
    /// across agents.
    public static let placementShare = 0.6

    /// Minus `placementShare` × weight per weekend (late) shift the agent already has, for a weekend (late) shift.
    public func scorePlacement(_ s: RosterShift, in st: RosterState, into score: inout Double) {
        let perShift = Self.placementShare * weight
        if st.isWeekend(day: s.day) { score -= perShift * Double(st.weekendCount[s.agent]) }
        if st.isLate(template: s.template, start: s.start) { score -= perShift * Double(st.lateCount[s.agent]) }
    }

    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        let m = Self.measure(roster, p)
        var out: [Violation] = []
        if m.weekendSpread > 1 {
            out.append(Violation(rule: id, agent: nil, date: nil, message: "weekend shifts per agent spread \(m.weekendSpread) (Gini \(m.weekendGini.rounded(toPlaces: 3)))",
                                 penalty: weight * Double(m.weekendSpread)))
        }
        if m.lateSpread > 1 {
            out.append(Violation(rule: id, agent: nil, date: nil, message: "late shifts per agent spread \(m.lateSpread) (Gini \(m.lateGini.rounded(toPlaces: 3)))",
                                 penalty: weight * Double(m.lateSpread)))
        }
        return out
    }
}
