import PlanningCore

/// Hard: no shift on, or running into, a day of time off (dated or recurring), and every shift inside the
/// agent's availability window of its weekday when the agent has windows.
public struct AvailabilityRule: RosterRule {
    public var id: String { "availability" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for s in roster.shifts {
            let lastDay = LocalDateTime.lastDay(endMinute: p.endMinute(s))
            if (s.day...max(s.day, lastDay)).contains(where: { p.isUnavailable(agent: s.agent, day: $0) }) {
                out.append(Violation(rule: id, agent: p.agents[s.agent].id, date: p.date(s.day), message: "shift overlaps time off"))
            } else if p.templates.indices.contains(s.template),
                      !p.agents[s.agent].fitsWindow(weekday: p.weekday(s.day), start: s.start, length: p.templates[s.template].lengthMinutes) {
                let w = p.agents[s.agent].windows[p.weekday(s.day)]
                out.append(Violation(rule: id, agent: p.agents[s.agent].id, date: p.date(s.day),
                                     message: "shift \(formatClock(s.start))-\(formatClock(s.start + p.templates[s.template].lengthMinutes)) outside the availability window \(w.map { formatClock($0.lowerBound) + "-" + formatClock($0.upperBound) } ?? "(none that weekday)")"))
            }
        }
        return out
    }

    public func admitsDay(agent a: Int, day: Int, in st: RosterState) -> Bool { !st.unavailable[a][day] }

    /// Not on time off, inside the weekday's window, and not running into a day of time off.
    public func admits(_ s: RosterShift, in st: RosterState) -> Bool {
        let a = s.agent, day = s.day, length = st.templates[s.template].lengthMinutes
        if st.unavailable[a][day] { return false }
        if let windows = st.preferences[a].windows {  // `Agent.fitsWindow`
            guard let w = windows[st.weekday[day]], s.start >= w.lowerBound && s.start + length <= w.upperBound else { return false }
        }
        // Ends on a later day (`LocalDateTime.lastDay(endMinute:) > day`) that is time off.
        if s.start + length - 1 >= st.minutesPerDay && st.unavailable[a][min(day + 1, st.days)] && day + 1 < st.days { return false }
        return true
    }
}
