/// Soft: a shift outside the agent's preferred start band, or on a weekday the agent prefers off, and a
/// desired weekday (available, not on time off) the agent does not work.
public struct PreferencesRule: RosterRule {
    public var id: String { "preferences" }
    public var isHard: Bool { false }
    public var weight = 0.5
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        var worked = Set<Int>()
        for s in roster.shifts { worked.insert(s.agent * 10_000 + s.day) }
        for (a, agent) in p.agents.enumerated() where !agent.desiredDays.isEmpty {
            for d in 0..<p.days where agent.desiredDays.contains(p.weekday(d)) && !p.isUnavailable(agent: a, day: d) && !worked.contains(a * 10_000 + d) {
                out.append(Violation(rule: id, agent: agent.id, date: p.date(d), message: "does not work a desired day", penalty: weight))
            }
        }
        for s in roster.shifts {
            let a = p.agents[s.agent]
            if let band = a.preferredStart, !band.contains(s.start) {
                out.append(Violation(rule: id, agent: a.id, date: p.date(s.day), message: "start outside the preferred band", penalty: weight))
            }
            if a.preferredDaysOff.contains(p.weekday(s.day)) {
                out.append(Violation(rule: id, agent: a.id, date: p.date(s.day), message: "works on a day preferred off", penalty: weight))
            }
        }
        return out
    }

    /// Plus the weight for a start in the preferred band or a desired day, minus it outside the band or on a day
    /// preferred off.
    public func scorePlacement(_ s: RosterShift, in st: RosterState, into score: inout Double) {
        let pref = st.preferences[s.agent], weekday = st.weekday[s.day]
        if let band = pref.preferredStart { score += band.contains(s.start) ? weight : -weight }
        if pref.daysOff[weekday] { score -= weight }
        if pref.desiredDays[weekday] { score += weight }
    }

    /// Share of preferences met: (shift start bands + preferred days off + desired days) honoured / stated.
    public static func metShare(_ roster: Roster, _ p: RosterProblem) -> Double {
        var stated = 0, met = 0
        var worked = Set<Int>()
        for s in roster.shifts {
            worked.insert(s.agent * 10_000 + s.day)
            if let band = p.agents[s.agent].preferredStart { stated += 1; if band.contains(s.start) { met += 1 } }
        }
        for (a, agent) in p.agents.enumerated() where !agent.preferredDaysOff.isEmpty {
            for d in 0..<p.days where agent.preferredDaysOff.contains(p.weekday(d)) && !p.isUnavailable(agent: a, day: d) {
                stated += 1; if !worked.contains(a * 10_000 + d) { met += 1 }
            }
        }
        for (a, agent) in p.agents.enumerated() where !agent.desiredDays.isEmpty {
            for d in 0..<p.days where agent.desiredDays.contains(p.weekday(d)) && !p.isUnavailable(agent: a, day: d) {
                stated += 1; if worked.contains(a * 10_000 + d) { met += 1 }
            }
        }
        return stated == 0 ? 1 : Double(met) / Double(stated)
    }
}
