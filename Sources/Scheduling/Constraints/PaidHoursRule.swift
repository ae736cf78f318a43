import Optimization

/// Paid hours cost money (soft, the objective's main term): every shift costs its group's cost per paid hour
/// times its paid hours (span minus unpaid breaks), times this rule's weight.
///
/// Encoder: the cost of each shift column (break columns cost nothing: every shift of a template has the same
/// breaks, so the unpaid part is a constant per shift).
public struct PaidHoursRule: ScheduleRule {
    public static let id = "paid-hours"
    public static let summary = "cost of paid hours: group cost per paid hour × (shift span − unpaid breaks)"
    public let kind = RuleKind.soft
    public let weight: Double

    public init(settings: RuleSettings) { weight = settings.weight(Self.id) }

    public func encode(_ c: EncodingContext) {
        let p = c.problem
        for col in c.shiftColumns {
            c.model.setCost(col.variable, cost(group: col.group, template: col.template, p))
        }
    }

    public func cost(of shift: ShiftBlock, in p: ScheduleProblem) -> Double { cost(group: shift.group, template: shift.template, p) }

    func cost(group g: Int, template t: Int, _ p: ScheduleProblem) -> Double {
        weight * p.groups[g].costPerPaidHour * Double(p.templates[t].paidPeriods) * p.hoursPerPeriod
    }

    public func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
        var total = 0.0
        for b in s.shifts { total += Double(b.count) * cost(group: b.group, template: b.template, p) }
        let f = [RuleViolation(rule: Self.id, message: "\(s.shiftCount) shifts, \(fmt(s.paidAgentHours(p))) paid agent-hours", amount: total)]
        return RuleScore(rule: Self.id, kind: kind, weight: weight, penalty: total, findings: f)
    }
}

