import PlanningCore

/// A roster rule: hard rules must hold in every output; soft rules are weighted penalties.
public protocol RosterRule: Sendable {
    /// Stable id, used in every violation the rule reports.
    var id: String { get }
    var isHard: Bool { get }
    /// Penalty weight (soft rules); hard rules use 1 per violation.
    var weight: Double { get }
    /// Solver-free check of a finished roster.
    func evaluate(_ roster: Roster, _ problem: RosterProblem) -> [Violation]
}

extension RosterProblem {
    public func date(_ day: Int) -> String { Civil.formatDate(day: startDay + Int64(day)) }

    /// Shifts per agent (history first), sorted by start.
    public func shiftsByAgent(_ roster: Roster, includeHistory: Bool = true) -> [[RosterShift]] {
        var by = [[RosterShift]](repeating: [], count: agents.count)
        if includeHistory { for s in history where s.agent < agents.count { by[s.agent].append(s) } }
        for s in roster.shifts where s.agent < agents.count { by[s.agent].append(s) }
        for i in by.indices { by[i].sort { $0.startMinute < $1.startMinute } }
        return by
    }

    public func paidHours(_ s: RosterShift) -> Double { templates.indices.contains(s.template) ? templates[s.template].paidHours : 0 }
    public func endMinute(_ s: RosterShift) -> Int { s.startMinute + (templates.indices.contains(s.template) ? templates[s.template].lengthMinutes : 0) }
    public func isLate(_ s: RosterShift) -> Bool { endMinute(s) - LocalDateTime.minute(day: s.day, minuteOfDay: 0) > lateEndMinute }
    public func isWeekend(_ s: RosterShift) -> Bool { weekend.contains(weekday(s.day)) }
}
