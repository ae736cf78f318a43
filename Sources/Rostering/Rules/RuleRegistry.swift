/// Every roster rule. Adding a rule = one file in Rules/ + one line here (a test checks the folder).
public enum RuleRegistry {
    public static let all: [any RosterRule] = [
        ContractHoursRule(), MaxConsecutiveDaysRule(), DaysOffRule(), MinRestRule(), AvailabilityRule(),
        AllowedTemplatesRule(), SkillCoverageRule(), OneShiftPerDayRule(),
        CoverageShortfallRule(), PreferencesRule(), StableStartRule(), FairnessRule(),
    ]
    public static var hard: [any RosterRule] { all.filter(\.isHard) }
    public static var soft: [any RosterRule] { all.filter { !$0.isHard } }

    public static func hardViolations(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        hard.flatMap { $0.evaluate(roster, p) }
    }
}
