import Optimization

/// The rules of one run, asked as one. The engine, the greedy heuristic, the column pricing and the score report
/// know no rule by name: they ask this set what a shift costs, whether it is allowed, how a queue's shortfall is
/// treated, what conflicting rows mean and why an interval is short.
public struct RuleSet: Sendable {
    public let rules: [any ScheduleRule]

    /// The registry's rules (or `registry`'s, in its order) under `settings`.
    public init(_ settings: RuleSettings, registry: [any ScheduleRule.Type] = RuleRegistry.all) {
        rules = registry.map { $0.init(settings: settings) }
    }

    public init(rules: [any ScheduleRule]) { self.rules = rules }

    // MARK: Building a model, scoring a schedule

    /// Every rule encodes its part of the model, in registry order.
    public func encode(_ context: EncodingContext) {
        for r in rules { r.encode(context) }
    }

    /// Every rule's verdict on a schedule, in registry order; the objective is the sum of their penalties.
    public func evaluate(_ schedule: ShiftSchedule, problem: ScheduleProblem) -> [RuleScore] {
        rules.map { $0.evaluate(schedule, problem: problem) }
    }

    // MARK: Questions without a model

    /// True when every rule allows `shift` at all.
    public func admits(_ shift: ShiftBlock, in p: ScheduleProblem) -> Bool {
        for r in rules where !r.admits(shift, in: p) { return false }
        return true
    }

    /// True when every rule allows one more `shift` on top of `tally`.
    public func admits(_ shift: ShiftBlock, given tally: ShiftTally, in p: ScheduleProblem) -> Bool {
        for r in rules where !r.admits(shift, given: tally, in: p) { return false }
        return true
    }

    /// Objective cost of one agent working `shift`: the sum of what the rules charge.
    public func cost(of shift: ShiftBlock, in p: ScheduleProblem) -> Double {
        var total = 0.0
        for r in rules { total += r.cost(of: shift, in: p) }
        return total
    }

    /// Coverage terms of queue q: the first rule that has any (hard when none has).
    public func shortfall(queue q: Int, in p: ScheduleProblem) -> ShortfallTerms {
        for r in rules { if let s = r.shortfall(queue: q, in: p) { return s } }
        return .hard
    }

    /// Value of one covered agent-period per queue, for `Allocator` (a hard queue: a large number).
    public func allocatorWeights(_ p: ScheduleProblem) -> [Double] {
        p.queues.indices.map { q in (shortfall(queue: q, in: p).price ?? 1e6) * p.hoursPerPeriod }
    }

    // MARK: Explaining

    /// Readable conflicts from an elastic filter's rows: each rule explains the rows it tagged, in registry order.
    public func explain(_ conflict: Conflict, tags: [Int: RowTag], problem: ScheduleProblem) -> [ScheduleConflict] {
        let all = conflict.rows.map { r in
            ConflictFinding(tag: tags[r.row] ?? RowTag(rule: r.tag), name: r.name, violation: r.violation)
        }
        var out: [ScheduleConflict] = []
        var explained = Set<String>()
        for r in rules {
            explained.insert(r.id)
            let mine = all.filter { $0.tag.rule == r.id }
            guard !mine.isEmpty else { continue }
            out += r.explain(mine, all: all, problem: problem)
        }
        // Rows of rules outside this set (none in practice): by name.
        for r in all.filter({ !explained.contains($0.tag.rule) }).prefix(5) {
            out.append(ScheduleConflict(rule: r.tag.rule, queues: [], groups: [], periods: [], message: "row \(r.name) violated by \(fmt(r.violation, 2))"))
        }
        return out
    }

    /// Why queue q is short in period t: the first rule naming a limit, else the first naming a trade-off.
    public func whyShort(queue q: Int, period t: Int, tally: ShiftTally, problem: ScheduleProblem) -> String? {
        var tradeOff: String?
        for r in rules {
            switch r.whyShort(queue: q, period: t, tally: tally, problem: problem) {
            case .limit(let s): return s
            case .tradeOff(let s): if tradeOff == nil { tradeOff = s }
            case nil: break
            }
        }
        return tradeOff
    }
}
