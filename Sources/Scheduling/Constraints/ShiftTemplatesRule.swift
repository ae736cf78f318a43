import Optimization
import PlanningCore

/// Shifts follow the templates (hard). A shift is one of its group's templates, starting on the template's start
/// grid between its earliest start and its latest end.
///
/// Encoder: one integer column per (group, template, day, start) that covers at least one required interval of
/// one of the group's queues (columns that cover nothing can only add cost). In `.explicit` break mode, one column
/// per break placement instead (Dantzig 1954).
public struct ShiftTemplatesRule: ScheduleRule {
    public static let id = "shift-templates"
    public static let summary = "shifts follow the templates: allowed template per group, start grid, earliest start, latest end"
    public let kind = RuleKind.hard
    public let weight: Double
    let settings: RuleSettings

    public init(settings: RuleSettings) {
        self.settings = settings
        weight = settings.weight(Self.id)
    }

    public func encode(_ c: EncodingContext) {
        let p = c.problem, P = p.periodsPerDay
        for g in c.groups {
            let skills = c.componentSkills(of: g).map(\.queue)
            guard !skills.isEmpty else { continue }
            for ti in p.templates(of: g) {
                let tp = p.templates[ti]
                for d in c.startDays(for: tp) {
                    for s in tp.starts {
                        let a = d * P + s
                        var useful = false
                        for t in a ..< a + tp.spanPeriods where skills.contains(where: { c.requirement($0, t) > 0 }) { useful = true; break }
                        guard useful else { continue }
                        let label = "\(p.groups[g].id),\(tp.id),\(p.timeLabel(a))"
                        switch settings.breakPlacement {
                        case .implicit:
                            let v = c.model.addVariable("shift[\(label)]", integer: true)
                            c.addShiftColumn(group: g, template: ti, day: d, start: a, breakStarts: nil, variable: v)
                        case .explicit:
                            for placement in Self.placements(tp) {
                                let bs = placement.map { a + $0 }
                                let v = c.model.addVariable("shift[\(label),breaks \(placement.map(String.init).joined(separator: "/"))]", integer: true)
                                c.addShiftColumn(group: g, template: ti, day: d, start: a, breakStarts: bs, variable: v)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Every placement of a template's breaks (offsets from the shift start), in order and not overlapping.
    static func placements(_ tp: ShiftTemplate) -> [[Int]] {
        var out: [[Int]] = [[]]
        for b in tp.breaks {
            var next: [[Int]] = []
            for pl in out {
                let after = pl.isEmpty ? 0 : pl.last! + tp.breaks[pl.count - 1].durationPeriods
                for o in max(b.earliestOffset, after) ... b.latestOffset { next.append(pl + [o]) }
            }
            out = next
        }
        return out
    }

    /// A shift of one of its group's templates, on the template's start grid.
    public func admits(_ b: ShiftBlock, in p: ScheduleProblem) -> Bool {
        let tp = p.templates[b.template], sod = b.start - b.day * p.periodsPerDay
        // Membership of `tp.starts`, without building the list.
        guard tp.spanPeriods > 0, tp.startStep > 0, sod >= tp.earliestStart, sod <= tp.latestEnd - tp.spanPeriods,
              (sod - tp.earliestStart) % tp.startStep == 0 else { return false }
        return p.templates(of: b.group).contains(b.template)
    }

    public func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
        var f: [RuleViolation] = []
        for b in s.shifts {
            let g = p.groups[b.group], tp = p.templates[b.template]
            let sod = b.start - b.day * p.periodsPerDay
            if !p.templates(of: b.group).contains(b.template) {
                f.append(RuleViolation(rule: Self.id, message: "group \(g.id) may not work template \(tp.id)", group: g.id, period: b.start, amount: Double(b.count)))
            }
            if !tp.starts.contains(sod) {
                f.append(RuleViolation(rule: Self.id, message: "template \(tp.id) cannot start at \(p.timeLabel(b.start)) (start grid, earliest start or latest end)", group: g.id, period: b.start, amount: Double(b.count)))
            }
            if b.count < 1 {
                f.append(RuleViolation(rule: Self.id, message: "shift count \(b.count) must be at least 1", group: g.id, period: b.start, amount: Double(b.count)))
            }
        }
        return RuleScore(rule: Self.id, kind: kind, weight: weight, penalty: 0, findings: f)
    }
}
