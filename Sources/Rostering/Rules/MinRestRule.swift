/// Hard: at least min_rest_hours between the end of one shift and the start of the next, across week
/// boundaries and from the previous published roster (history).
public struct MinRestRule: RosterRule {
    public let id = "min-rest"
    public let isHard = true
    public let weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for (a, shifts) in p.shiftsByAgent(roster).enumerated() {
            guard let c = p.contract(of: a) else { continue }
            for k in shifts.indices.dropFirst() {
                let s = shifts[k], prev = shifts[k - 1]
                guard s.day >= 0 else { continue }
                let rest = s.startMinute - p.endMinute(prev)
                if Double(rest) < c.minRestHours * 60 - 1e-9 {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(s.day),
                                         message: "\(Double(rest) / 60) h rest before this shift, contract \(c.name) requires \(c.minRestHours) h"))
                }
            }
        }
        return out
    }
}
