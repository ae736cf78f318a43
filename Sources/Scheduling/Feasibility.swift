import PlanningCore

/// Structural checks that need no solver: a queue nobody is skilled for, an interval no template can put anyone
/// on duty in. Each finding names the rule, the queue and the intervals.
public enum Feasibility {
    public static func structuralConflicts(_ p: ScheduleProblem) -> [ScheduleConflict] {
        var out: [ScheduleConflict] = []
        let P = p.periodsPerDay
        for q in p.queues.indices {
            let needed = (0 ..< p.horizon).filter { p.queues[q].requirement[$0] > 0 }
            guard !needed.isEmpty else { continue }
            let groups = p.groups.indices.filter { g in p.skills(of: g).contains { $0.queue == q } }
            if groups.isEmpty {
                out.append(ScheduleConflict(rule: SkillsRule.id, queues: [p.queues[q].id], groups: [], periods: needed,
                                            message: "queue \(p.queues[q].id) needs agents in \(needed.count) interval\(needed.count == 1 ? "" : "s") (\(p.describe(needed))) but no agent group has skill \(p.queues[q].id)"))
                continue
            }
            // Periods of the day some group's template can have someone on duty in (any day).
            var coverable = [Bool](repeating: false, count: 2 * P)
            var templateNames = Set<String>()
            for g in groups {
                for ti in p.templates(of: g) {
                    let tp = p.templates[ti]
                    templateNames.insert(tp.id)
                    for s in tp.starts {
                        for o in 0 ..< tp.spanPeriods where s + o < 2 * P {
                            if !tp.breaks.contains(where: { b in o - b.durationPeriods + 1 <= b.earliestOffset && b.latestOffset <= o }) {
                                coverable[s + o] = true
                            }
                        }
                    }
                }
            }
            let uncovered = needed.filter { t in
                let pod = t % P
                let fromPrev = t >= P && coverable[pod + P]
                return !coverable[pod] && !fromPrev
            }
            if !uncovered.isEmpty {
                let names = groups.map { p.groups[$0].id }
                out.append(ScheduleConflict(rule: ShiftTemplatesRule.id, queues: [p.queues[q].id], groups: names, periods: uncovered,
                                            message: "queue \(p.queues[q].id) needs agents in \(uncovered.count) interval\(uncovered.count == 1 ? "" : "s") no shift template of its groups (\(names.joined(separator: ", "))) can cover: \(p.describe(uncovered)); templates \(templateNames.sorted().joined(separator: ", ")) (check earliest_start, latest_end, overnight and break windows)"))
            }
        }
        return out
    }
}

extension ScheduleProblem {
    /// Consecutive periods as ranges, e.g. `2026-03-02 06:00-07:00, 2026-03-03 06:00-06:30`, at most `limit` ranges.
    public func describe(_ periods: [Int], limit: Int = 4) -> String {
        let s = periods.sorted()
        var ranges: [(Int, Int)] = []
        for t in s {
            if let last = ranges.last, last.1 + 1 == t, last.0 / periodsPerDay == t / periodsPerDay { ranges[ranges.count - 1].1 = t } else { ranges.append((t, t)) }
        }
        func hm(_ t: Int) -> String { LocalDateTime.clock(minuteOfDay: (t % periodsPerDay) * intervalMinutes) }
        func endLabel(_ t: Int) -> String { LocalDateTime.clock(minuteOfDay: ((t % periodsPerDay) + 1) * intervalMinutes) }
        var parts = ranges.prefix(limit).map { r in
            Civil.formatDate(day: firstDay + Int64(r.0 / periodsPerDay)) + " " + hm(r.0) + "-" + endLabel(r.1)
        }
        if ranges.count > limit { parts.append("and \(ranges.count - limit) more range\(ranges.count - limit == 1 ? "" : "s")") }
        return parts.joined(separator: ", ")
    }
}
