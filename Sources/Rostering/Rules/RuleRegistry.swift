/// Every roster rule. Adding a rule = one file in Rules/ + one line here (a test checks the folder).
public enum RuleRegistry {
    /// The rules with their default weights, in the order the engine asks and reports them.
    public static let all: [any RosterRule] = [
        ContractHoursRule(), MaxConsecutiveDaysRule(), DaysOffRule(), MinRestRule(), AvailabilityRule(),
        AllowedTemplatesRule(), SkillCoverageRule(), OneShiftPerDayRule(), StartLimitsRule(),
        CoverageShortfallRule(), PreferencesRule(), StableStartRule(), FairnessRule(),
    ]
    public static var hard: [any RosterRule] { all.filter(\.isHard) }
    public static var soft: [any RosterRule] { all.filter { !$0.isHard } }

    /// Ids of the rules that take a weight (`[roster.weights]`).
    public static var softIDs: [String] { soft.map(\.id) }

    /// `registry`'s rules with the weights given by id (the others keep their defaults).
    public static func rules(weights: [String: Double], registry: [any RosterRule] = all) -> [any RosterRule] {
        registry.map { r in
            var r = r
            if let w = weights[r.id] { r.weight = w }
            return r
        }
    }

    public static func hardViolations(_ roster: Roster, _ p: RosterProblem, rules: [any RosterRule] = all) -> [Violation] {
        rules.filter(\.isHard).flatMap { $0.evaluate(roster, p) }
    }
}
