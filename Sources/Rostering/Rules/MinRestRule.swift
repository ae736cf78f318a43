import PlanningCore

/// Hard: at least min_rest_hours between the end of one shift and the start of the next, across week
/// boundaries and from the previous published roster (history).
public struct MinRestRule: RosterRule {
    public var id: String { "min-rest" }
    public var isHard: Bool { true }
    public var weight = 1.0
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

    /// Enough rest after the agent's previous shift (history included) and before its next one.
    public func admits(_ s: RosterShift, in st: RosterState) -> Bool {
        guard let c = st.limits[s.agent] else { return false }
        let a = s.agent, day = s.day
        let s0 = s.startMinute, s1 = st.endMinute(s)
        let rest = c.restMinutes, look = c.restLookDays  // `LocalDateTime.minutes(hours: minRestHours)`, max(2, its days + 2)
        for d in stride(from: day - 1, through: day - look, by: -1) { if let sp = st.span(a, d) { if sp.end + rest > s0 { return false }; break } }
        for d in (day + 1)...(day + look) where d < st.days { if let sp = st.span(a, d) { if s1 + rest > sp.start { return false }; break } }
        return true
    }
}
