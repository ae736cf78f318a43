/// Hard: at most one shift per agent and day, and shifts of one agent never overlap.
public struct OneShiftPerDayRule: RosterRule {
    public var id: String { "one-shift-per-day" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for (a, shifts) in p.shiftsByAgent(roster).enumerated() {
            for k in shifts.indices.dropFirst() where shifts[k].day >= 0 {
                if shifts[k].day == shifts[k - 1].day || shifts[k].startMinute < p.endMinute(shifts[k - 1]) {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(shifts[k].day), message: "two shifts on one day or overlapping"))
                }
            }
        }
        return out
    }

    public func admitsDay(agent a: Int, day: Int, in st: RosterState) -> Bool { st.shift[a][day] == nil }

    public func admits(_ s: RosterShift, in st: RosterState) -> Bool { st.shift[s.agent][s.day] == nil }
}
