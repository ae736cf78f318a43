/// Hard: paid hours per week within the contract's [min, max]; each day of time off lowers the minimum
/// by a full shift's paid hours (time off counts as paid leave, see `RosterProblem.minHours`).
public struct ContractHoursRule: RosterRule {
    public var id: String { "contract-hours" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var hours = [[Double]](repeating: [Double](repeating: 0, count: p.weeks), count: p.agents.count)
        for s in roster.shifts where s.day >= 0 && s.day < p.days { hours[s.agent][s.day / 7] += p.paidHours(s) }
        var out: [Violation] = []
        for a in p.agents.indices {
            guard let c = p.contract(of: a) else { continue }
            for w in 0..<p.weeks {
                let h = hours[a][w], lo = p.minHours(agent: a, week: w)
                if h > c.maxHoursWeek + 1e-9 || h < lo - 1e-9 {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(w * 7),
                                         message: "week \(w + 1): \(h) paid hours, contract \(c.name) allows \(lo.rounded(toPlaces: 1))-\(c.maxHoursWeek)"))
                }
            }
        }
        return out
    }

    /// One more shift keeps the week within the contract's maximum (the minimum is the engine's first phase).
    public func admitsTemplate(agent a: Int, day: Int, template: Int, in st: RosterState) -> Bool {
        guard let c = st.limits[a] else { return false }
        return !(st.weekHours[a][day / 7] + st.templates[template].paidHours > c.maxHoursWeek + 1e-9)
    }

    public func admits(_ s: RosterShift, in st: RosterState) -> Bool { admitsTemplate(agent: s.agent, day: s.day, template: s.template, in: st) }
}

extension Double {
    func rounded(toPlaces n: Int) -> Double {
        var f = 1.0
        for _ in 0..<n { f *= 10 }
        return (self * f).rounded() / f
    }
}
