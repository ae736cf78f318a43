/// The explanation of a schedule: score by rule, how each part was solved, and every short interval with why.
public struct ScoreReport: Sendable {
    public struct RuleLine: Sendable {
        public var rule: String
        public var kind: RuleKind
        public var weight: Double
        public var penalty: Double
        public var findings: Int
        public var summary: String
        /// Up to a few findings, as text.
        public var examples: [String]
    }

    public struct ShortInterval: Sendable {
        public var queue: String
        public var period: Int
        public var required: Double
        public var planned: Double
        public var reason: String
    }

    public var result: ScheduleResult
    public var rules: [RuleLine]
    public var short: [ShortInterval]

    public init(result r: ScheduleResult, settings: RuleSettings, registry: [any ScheduleRule.Type] = RuleRegistry.all) {
        result = r
        let p = r.problem
        let types = registry
        rules = r.scores.map { s in
            let summary = types.first { $0.id == s.rule }?.summary ?? ""
            let ex = s.findings.prefix(3).map { f in
                var parts: [String] = []
                if let q = f.queue { parts.append(q) }
                if let g = f.group { parts.append(g) }
                if let t = f.period { parts.append(p.timeLabel(t)) }
                return (parts.isEmpty ? "" : parts.joined(separator: " ") + ": ") + f.message
            }
            return RuleLine(rule: s.rule, kind: s.kind, weight: s.weight, penalty: s.penalty, findings: s.findings.count, summary: summary, examples: Array(ex))
        }
        short = Self.shortIntervals(r, RuleSet(settings, registry: registry))
    }

    /// Every short interval with why: a structural conflict, else what the rules say (a limit before a trade-off).
    static func shortIntervals(_ r: ScheduleResult, _ ruleSet: RuleSet) -> [ShortInterval] {
        let p = r.problem
        let planned = r.schedule.planned(p)
        let structural = Feasibility.structuralConflicts(p)
        var tally = ShiftTally(problem: p)
        for s in r.schedule.shifts { tally.add(s, s.count, in: p) }
        var list: [ShortInterval] = []
        for q in p.queues.indices {
            for t in 0 ..< p.horizon {
                let req = p.queues[q].requirement[t], pl = planned[q][t]
                guard req - pl > 1e-6 else { continue }
                let qid = p.queues[q].id
                let reason: String
                if let c = structural.first(where: { $0.queues.contains(qid) && $0.periods.contains(t) }) {
                    reason = c.rule == SkillsRule.id ? "no agent group has skill \(qid)" : "no shift template of its groups is on duty at this time"
                } else {
                    reason = ruleSet.whyShort(queue: q, period: t, tally: tally, problem: p)
                        ?? "short although coverage is hard (the schedule is not valid)"
                }
                list.append(ShortInterval(queue: qid, period: t, required: req, planned: pl, reason: reason))
            }
        }
        return list
    }
}
