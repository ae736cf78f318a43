import Optimization

/// Agents work only the queues they are skilled for, and a group never gives out more capacity than it has on
/// duty (hard). This is the multi-skill part of the model: per period, each group's on-duty agents are split
/// continuously over its queues (Cezik & L'Ecuyer 2008 use the same fluid split); the split is the routing table.
///
/// Encoder: a single-skill group (or a group whose other queues need nobody in that period) adds its on-duty
/// expression straight to its queue's supply. Otherwise one continuous flow column per (group, queue, period)
/// feeds that queue's supply, and a capacity row `Σ flows − on duty ≤ 0` holds the group to its agents.
public struct SkillsRule: ScheduleRule {
    public static let id = "skills"
    public static let summary = "agents work only their skills; per interval a group splits at most its on-duty agents over its queues"
    public let kind = RuleKind.hard
    public let weight: Double

    public init(settings: RuleSettings) { weight = settings.weight(Self.id) }

    public func encode(_ c: EncodingContext) {
        let p = c.problem
        for g in c.groups {
            let skills = c.componentSkills(of: g)
            guard !skills.isEmpty else { continue }
            for t in c.periods {
                let needed = skills.filter { c.requirement($0.queue, t) > 0 }
                guard !needed.isEmpty else { continue }
                let duty = c.onDuty(g, t)
                guard !duty.isEmpty else { continue }
                if needed.count == 1 {
                    c.addSupply(queue: needed[0].queue, period: t, duty)
                    continue
                }
                var cap = LinearExpression()
                for s in needed {
                    let f = c.model.addVariable("flow[\(p.groups[g].id)→\(p.queues[s.queue].id),\(p.timeLabel(t))]")
                    cap.add(f, 1)
                    c.addFlowColumn(group: g, queue: s.queue, period: t, variable: f)
                    c.addSupply(queue: s.queue, period: t, LinearExpression([(f, 1)]))
                }
                cap.add(duty, times: -1)
                c.addRow(cap, upper: 0, name: "skills[\(p.groups[g].id),\(p.timeLabel(t))]", tag: RowTag(rule: Self.id, group: g, period: t))
            }
        }
    }

    public func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
        var f: [RuleViolation] = []
        let duty = s.onDuty(p)
        for g in p.groups.indices {
            let skills = p.skills(of: g)
            if s.allocation[g].count != skills.count {
                f.append(RuleViolation(rule: Self.id, message: "allocation of group \(p.groups[g].id) does not match its skills", group: p.groups[g].id))
                continue
            }
            for t in 0 ..< p.horizon {
                var used = 0.0
                for k in skills.indices {
                    let a = s.allocation[g][k][t]
                    if a < -1e-9 {
                        f.append(RuleViolation(rule: Self.id, message: "negative allocation", queue: p.queues[skills[k].queue].id, group: p.groups[g].id, period: t, amount: a))
                    }
                    used += a
                }
                if used > duty[g][t] + 1e-6 {
                    f.append(RuleViolation(rule: Self.id, message: "\(fmt(used, 2)) agents allocated, \(fmt(duty[g][t], 2)) on duty", group: p.groups[g].id, period: t, amount: used - duty[g][t]))
                }
            }
        }
        return RuleScore(rule: Self.id, kind: kind, weight: weight, penalty: 0, findings: f)
    }
}
