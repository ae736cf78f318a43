/// Every scheduling rule, in encoding order (later rules use what earlier ones put in the model: shift columns,
/// then break columns, then supply per queue, then coverage rows). Adding a rule = one file in this folder and
/// one line here; `RegistryTests` fails when a rule file is not listed.
public enum RuleRegistry {
    public static let all: [any ScheduleRule.Type] = [
        ShiftTemplatesRule.self,
        BreaksRule.self,
        PaidHoursRule.self,
        SkillsRule.self,
        CoverageRule.self,
        HeadcountRule.self,
    ]

    public static func rules(_ settings: RuleSettings) -> [any ScheduleRule] {
        all.map { $0.init(settings: settings) }
    }

    public static var ids: [String] { all.map { $0.id } }
}
