/// Hard: no shift on, or running into, a day of time off.
public struct AvailabilityRule: RosterRule {
    public let id = "availability"
    public let isHard = true
    public let weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for s in roster.shifts {
            let lastDay = (p.endMinute(s) - 1) / 1440
            if (s.day...max(s.day, lastDay)).contains(where: { p.isUnavailable(agent: s.agent, day: $0) }) {
                out.append(Violation(rule: id, agent: p.agents[s.agent].id, date: p.date(s.day), message: "shift overlaps time off"))
            }
        }
        return out
    }
}
