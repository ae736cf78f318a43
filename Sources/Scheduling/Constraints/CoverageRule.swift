import Optimization

/// Every queue gets its required agents in every interval. Hard per queue by default (a short plan is
/// infeasible); a queue with `understaffing = "soft"` (or every queue under `--soft`) may fall short at a cost per
/// short agent-hour, times this rule's weight.
///
/// Encoder: per (queue, period) with a requirement, `supply + short ≥ required`, where supply comes from the
/// skills rule and `short` (continuous, priced) exists only for soft queues. Rows are elastic, so an infeasible
/// model's diagnosis names the queues and intervals that cannot be covered.
public struct CoverageRule: ScheduleRule {
    public static let id = "coverage"
    public static let summary = "every queue gets its required agents per interval (hard, or soft at a cost per short agent-hour)"
    public let kind: RuleKind
    public let weight: Double
    let settings: RuleSettings

    public init(settings: RuleSettings) {
        self.settings = settings
        weight = settings.weight(Self.id)
        kind = settings.soft ? .soft : .hard
    }

    /// Cost of one short agent-hour on queue q, or nil when coverage of q is hard.
    public static func shortCost(_ q: Int, _ p: ScheduleProblem, _ settings: RuleSettings) -> Double? {
        switch p.queues[q].understaffing {
        case .soft(let c): return c * settings.weight(id)
        case .hard: return settings.soft ? settings.softUnderstaffingCost * settings.weight(id) : nil
        }
    }

    /// Value of one covered agent-period per queue, for `Allocator` (hard queues: a large number).
    public static func allocatorWeights(_ p: ScheduleProblem, _ settings: RuleSettings) -> [Double] {
        p.queues.indices.map { q in (shortCost(q, p, settings) ?? 1e6) * p.hoursPerPeriod }
    }

    public func encode(_ c: EncodingContext) {
        let p = c.problem
        for q in c.queues {
            let cost = Self.shortCost(q, p, settings)
            for t in c.periods {
                let r = c.requirement(q, t)
                guard r > 0 else { continue }
                var e = c.supply(queue: q, period: t)
                var u: Variable?
                if let cost {
                    u = c.model.addVariable("short[\(p.queues[q].id),\(p.timeLabel(t))]", upper: r, cost: cost * p.hoursPerPeriod)
                    e.add(u!, 1)
                }
                let row = c.model.addConstraint(e, lower: r, name: "coverage[\(p.queues[q].id),\(p.timeLabel(t))]", tag: Self.id, elastic: true)
                c.addCoverageRow(queue: q, period: t, row: row)
                if let u { c.addSlackColumn(row: row, variable: u, lowerSide: true) }
            }
        }
    }

    public func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
        let planned = s.planned(p)
        var f: [RuleViolation] = []
        var penalty = 0.0
        var anyHardShort = false
        for q in p.queues.indices {
            let cost = Self.shortCost(q, p, settings)
            for t in 0 ..< p.horizon {
                let short = p.queues[q].requirement[t] - planned[q][t]
                guard short > 1e-6 else { continue }
                if let cost { penalty += cost * short * p.hoursPerPeriod } else { anyHardShort = true }
                f.append(RuleViolation(rule: Self.id, message: "\(fmt(planned[q][t], 2)) planned, \(fmt(p.queues[q].requirement[t], 2)) required",
                                       queue: p.queues[q].id, period: t, amount: short))
            }
        }
        // Soft shortfalls explain the penalty; a hard queue's shortfall is a violation.
        let k: RuleKind = anyHardShort ? .hard : kind
        return RuleScore(rule: Self.id, kind: k, weight: weight, penalty: penalty, findings: f)
    }
}
