import PlanningCore

/// A roster rule: hard rules must hold in every output; soft rules are weighted penalties.
///
/// The engine knows no rule by name. While it builds a roster it asks the hard rules whether a shift may be
/// added (`admitsDay` / `admitsTemplate` to skip a whole day or template, `admits` for one shift) and the soft rules what a shift is worth
/// (`placementScore`); the finished roster is checked and scored with `evaluate`. Adding a rule = one file in
/// Rules/ + one line in `RuleRegistry`.
///
/// The questions are asked millions of times per roster. Give `id` and `isHard` as computed constants
/// (`var id: String { "days-off" }`) so the rule's value is its weight alone: it then fits in an `any RosterRule`
/// without a heap box, and asking it costs no reference counting.
public protocol RosterRule: Sendable {
    /// Stable id, used in every violation the rule reports and as its key in `[roster.weights]`.
    var id: String { get }
    var isHard: Bool { get }
    /// Penalty weight (soft rules: `[roster.weights]`, else the rule's default); hard rules use 1 per violation.
    var weight: Double { get set }
    /// Solver-free check of a finished roster.
    func evaluate(_ roster: Roster, _ problem: RosterProblem) -> [Violation]
    /// Hard rules: false when no shift of agent a on `day` can keep the rule, given the roster built so far.
    func admitsDay(agent a: Int, day: Int, in state: RosterState) -> Bool
    /// Hard rules: false when no start of `template` for agent a on `day` can keep the rule.
    func admitsTemplate(agent a: Int, day: Int, template: Int, in state: RosterState) -> Bool
    /// Hard rules: whether adding `shift` (its channels not yet assigned) to the roster built so far keeps the rule.
    func admits(_ shift: RosterShift, in state: RosterState) -> Bool
    /// Soft rules: adds this rule's terms to the engine's score of adding `shift` (higher is better; weight
    /// included). It steers the search; the roster's penalty is what `evaluate` reports.
    func scorePlacement(_ shift: RosterShift, in state: RosterState, into score: inout Double)
}

extension RosterRule {
    public func admitsDay(agent a: Int, day: Int, in state: RosterState) -> Bool { true }
    public func admitsTemplate(agent a: Int, day: Int, template: Int, in state: RosterState) -> Bool { true }
    public func admits(_ shift: RosterShift, in state: RosterState) -> Bool { true }
    public func scorePlacement(_ shift: RosterShift, in state: RosterState, into score: inout Double) {}
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
