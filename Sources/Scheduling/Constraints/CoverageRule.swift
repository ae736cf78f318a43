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

    public func shortfall(queue q: Int, in p: ScheduleProblem) -> ShortfallTerms? {
        Self.shortCost(q, p, settings).map { .priced(perAgentHour: $0) } ?? .hard
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
                let row = c.addRow(e, lower: r, name: "coverage[\(p.queues[q].id),\(p.timeLabel(t))]", tag: RowTag(rule: Self.id, queue: q, period: t), elastic: true)
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

    /// Uncoverable intervals per queue, with the head-count limits in the way (the limits' own rows).
    public func explain(_ mine: [ConflictFinding], all: [ConflictFinding], problem p: ScheduleProblem) -> [ScheduleConflict] {
        var shortByQueue: [String: [(Int, Double)]] = [:]
        for r in mine {
            guard let q = r.tag.queue, let t = r.tag.period else { continue }
            shortByQueue[p.queues[q].id, default: []].append((t, r.violation))
        }
        let limits = all.filter { $0.tag.rule == HeadcountRule.id }
        let limitText = limits.isEmpty ? "" : "; head-count limits in the way: " + limits.prefix(6).map { "\($0.name) over by \(fmt($0.violation, 1))" }.joined(separator: ", ")
        var out: [ScheduleConflict] = []
        for (q, list) in shortByQueue.sorted(by: { $0.key < $1.key }) {
            let periods = list.map(\.0).sorted()
            let maxShort = list.map(\.1).max() ?? 0
            out.append(ScheduleConflict(rule: Self.id, queues: [q], groups: [], periods: periods,
                                        message: "queue \(q) cannot be covered in \(periods.count) intervals (\(p.describe(periods))), short by up to \(fmt(maxShort, 1)) agents\(limitText)"))
        }
        return out
    }

    /// A soft queue is short where covering costs more than the shortfall.
    public func whyShort(queue q: Int, period t: Int, tally: ShiftTally, problem p: ScheduleProblem) -> ShortReason? {
        guard let c = Self.shortCost(q, p, settings) else { return nil }
        return .tradeOff("covering it would cost more than leaving it short at \(fmt(c, 2)) per short agent-hour")
    }
}
