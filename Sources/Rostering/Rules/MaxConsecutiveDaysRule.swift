/// Hard: no more than the contract's max_consecutive_days work days in a row (history included).
public struct MaxConsecutiveDaysRule: RosterRule {
    public let id = "max-consecutive-days"
    public let isHard = true
    public let weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for (a, shifts) in p.shiftsByAgent(roster).enumerated() {
            guard let c = p.contract(of: a) else { continue }
            var run = 0, last = Int.min
            for s in shifts {
                run = s.day == last + 1 ? run + 1 : (s.day == last ? run : 1)
                last = s.day
                if run > c.maxConsecutiveDays && s.day >= 0 {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(s.day),
                                         message: "\(run) work days in a row, contract \(c.name) allows \(c.maxConsecutiveDays)"))
                }
            }
        }
        return out
    }
}
