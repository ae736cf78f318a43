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

    public init(result r: ScheduleResult, settings: RuleSettings) {
        result = r
        let p = r.problem
        let types = RuleRegistry.all
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
        // Why each short interval is short.
        let planned = r.schedule.planned(p)
        let structural = Feasibility.structuralConflicts(p)
        var perDay = [[Int]](repeating: [Int](repeating: 0, count: p.days), count: p.groups.count)
        for s in r.schedule.shifts { perDay[s.group][s.day] += s.count }
        var list: [ShortInterval] = []
        for q in p.queues.indices {
            for t in 0 ..< p.horizon {
                let req = p.queues[q].requirement[t], pl = planned[q][t]
                guard req - pl > 1e-6 else { continue }
                let qid = p.queues[q].id
                var reason: String
                if let c = structural.first(where: { $0.queues.contains(qid) && $0.periods.contains(t) }) {
                    reason = c.rule == SkillsRule.id ? "no agent group has skill \(qid)" : "no shift template of its groups is on duty at this time"
                } else {
                    let d = t / p.periodsPerDay
                    let skilled = p.groups.indices.filter { g in p.skills(of: g).contains { $0.queue == q } }
                    let capped = skilled.compactMap { g -> String? in
                        if let m = p.groups[g].maxAgentsPerDay, perDay[g][d] >= m { return "\(p.groups[g].id) at its limit of \(m) agents on \(Civilian.date(p, d))" }
                        if let m = p.groups[g].maxShiftsPerWeek {
                            let w = p.week(ofDay: d)
                            let n = (0 ..< p.days).filter { p.week(ofDay: $0) == w }.reduce(0) { $0 + perDay[g][$1] }
                            if n >= m { return "\(p.groups[g].id) at its limit of \(m) shifts that week" }
                        }
                        return nil
                    }
                    if !capped.isEmpty {
                        reason = "head-count limits reached: " + capped.joined(separator: "; ")
                    } else if let c = CoverageRule.shortCost(q, p, settings) {
                        reason = "covering it would cost more than leaving it short at \(fmt(c, 2)) per short agent-hour"
                    } else {
                        reason = "short although coverage is hard (the schedule is not valid)"
                    }
                }
                list.append(ShortInterval(queue: qid, period: t, required: req, planned: pl, reason: reason))
            }
        }
        short = list
    }
}
