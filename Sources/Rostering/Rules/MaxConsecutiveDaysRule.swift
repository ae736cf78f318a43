/// Hard: no more than the contract's max_consecutive_days work days in a row (history included).
public struct MaxConsecutiveDaysRule: RosterRule {
    public var id: String { "max-consecutive-days" }
    public var isHard: Bool { true }
    public var weight = 1.0
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

    /// The run of work days through the new shift's day (history included) stays within the contract's limit.
    public func admits(_ s: RosterShift, in st: RosterState) -> Bool {
        guard let c = st.limits[s.agent] else { return false }
        var run = 1, d = s.day - 1
        while st.works(s.agent, d) { run += 1; d -= 1; if run > c.maxConsecutiveDays { return false } }
        d = s.day + 1
        while d < st.days && st.works(s.agent, d) { run += 1; d += 1 }
        return !(run > c.maxConsecutiveDays)
    }
}
