/// Hard: at least days_off_per_week days off in every horizon week (time-off days count as days off);
/// with paired_days_off, two of them are consecutive days of the same week.
public struct DaysOffRule: RosterRule {
    public var id: String { "days-off" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var worked = [[Bool]](repeating: [Bool](repeating: false, count: p.days), count: p.agents.count)
        for s in roster.shifts where s.day >= 0 && s.day < p.days { worked[s.agent][s.day] = true }
        var out: [Violation] = []
        for a in p.agents.indices {
            guard let c = p.contract(of: a) else { continue }
            for w in 0..<p.weeks {
                let off = (0..<7).map { !worked[a][w * 7 + $0] }
                let n = off.filter { $0 }.count
                if n < c.daysOffPerWeek {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(w * 7),
                                         message: "week \(w + 1): \(n) days off, contract \(c.name) requires \(c.daysOffPerWeek)"))
                } else if c.pairedDaysOff && c.daysOffPerWeek >= 2 && !(0..<6).contains(where: { off[$0] && off[$0 + 1] }) {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(w * 7),
                                         message: "week \(w + 1): no two consecutive days off, contract \(c.name) requires paired days off"))
                }
            }
        }
        return out
    }

    /// The new shift's week keeps its days off (paired when the contract says so).
    public func admits(_ s: RosterShift, in st: RosterState) -> Bool {
        guard let c = st.limits[s.agent] else { return false }
        let w = s.day / 7
        var off = 0  // bit k: day k of the week off
        for k in 0..<7 where st.shift[s.agent][w * 7 + k] == nil && w * 7 + k != s.day { off |= 1 << k }
        if off.nonzeroBitCount < c.daysOffPerWeek { return false }
        if c.pairedDaysOff && c.daysOffPerWeek >= 2 && off & (off >> 1) == 0 { return false }
        return true
    }
}
