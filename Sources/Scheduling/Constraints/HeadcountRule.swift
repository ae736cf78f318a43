import Optimization

/// Head-count limits per group (hard; soft under `--soft` at a cost per shift above the limit, times this rule's
/// weight): at most `max_agents_per_day` shifts start per day, at most `max_shifts_per_week` per Monday-Sunday
/// week. Weekly limits link the days of a week, so such a group's queues are solved a week at a time.
///
/// Encoder: one row per limited (group, day) and (group, week) over the shift columns; elastic, so an infeasible
/// model's diagnosis names the limits in the way.
public struct HeadcountRule: ScheduleRule {
    public static let id = "headcount"
    public static let summary = "head-count limits per group: shifts per day and per week"
    public let kind: RuleKind
    public let weight: Double
    let settings: RuleSettings

    public init(settings: RuleSettings) {
        self.settings = settings
        weight = settings.weight(Self.id)
        kind = settings.soft ? .soft : .hard
    }

    var excessCost: Double? { settings.soft ? settings.headcountExcessCost * weight : nil }

    public func encode(_ c: EncodingContext) {
        let p = c.problem
        for g in c.groups {
            let grp = p.groups[g]
            let cols = c.shiftColumns.filter { $0.group == g }
            if let m = grp.maxAgentsPerDay {
                for d in c.days {
                    var e = LinearExpression()
                    for col in cols where col.day == d { e.add(col.variable, 1) }
                    guard !e.isEmpty else { continue }
                    row(c, e, Double(m), "headcount-day[\(grp.id),\(Civilian.date(p, d))]", RowTag(rule: Self.id, group: g, day: d))
                }
            }
            if let m = grp.maxShiftsPerWeek {
                for w in Set(c.days.map { p.week(ofDay: $0) }).sorted() {
                    var e = LinearExpression()
                    for col in cols where p.week(ofDay: col.day) == w { e.add(col.variable, 1) }
                    guard !e.isEmpty else { continue }
                    let d0 = c.days.first { p.week(ofDay: $0) == w }!
                    row(c, e, Double(m), "headcount-week[\(grp.id),week of \(Civilian.date(p, d0))]", RowTag(rule: Self.id, group: g, day: d0))
                }
            }
        }
    }

    private func row(_ c: EncodingContext, _ e: LinearExpression, _ limit: Double, _ name: String, _ tag: RowTag) {
        var e = e
        var x: Variable?
        if let cost = excessCost {
            x = c.model.addVariable("excess[\(name)]", cost: cost)
            e.add(x!, -1)
        }
        let row = c.addRow(e, upper: limit, name: name, tag: tag, elastic: true)
        if let x { c.addSlackColumn(row: row, variable: x, lowerSide: false) }
    }

    public func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
        var f: [RuleViolation] = []
        var penalty = 0.0
        for g in p.groups.indices {
            let grp = p.groups[g]
            var perDay = [Int](repeating: 0, count: p.days)
            for b in s.shifts where b.group == g { perDay[b.day] += b.count }
            if let m = grp.maxAgentsPerDay {
                for d in 0 ..< p.days where perDay[d] > m {
                    penalty += Double(perDay[d] - m) * (excessCost ?? 0)
                    f.append(RuleViolation(rule: Self.id, message: "\(perDay[d]) shifts on \(Civilian.date(p, d)), limit \(m) per day", group: grp.id, period: d * p.periodsPerDay, amount: Double(perDay[d] - m)))
                }
            }
            if let m = grp.maxShiftsPerWeek {
                var perWeek: [Int: Int] = [:]
                for d in 0 ..< p.days { perWeek[p.week(ofDay: d), default: 0] += perDay[d] }
                for (w, n) in perWeek.sorted(by: { $0.key < $1.key }) where n > m {
                    penalty += Double(n - m) * (excessCost ?? 0)
                    let d0 = (0 ..< p.days).first { p.week(ofDay: $0) == w }!
                    f.append(RuleViolation(rule: Self.id, message: "\(n) shifts in the week of \(Civilian.date(p, d0)), limit \(m) per week", group: grp.id, period: d0 * p.periodsPerDay, amount: Double(n - m)))
                }
            }
        }
        return RuleScore(rule: Self.id, kind: settings.soft ? .soft : .hard, weight: weight, penalty: penalty, findings: f)
    }

    /// One more shift of a group at its day or week limit is refused. Under `--soft` too: a schedule built shift
    /// by shift stays within the limits (the model may still go over at the excess cost).
    public func admits(_ s: ShiftBlock, given tally: ShiftTally, in p: ScheduleProblem) -> Bool {
        let grp = p.groups[s.group]
        if let m = grp.maxAgentsPerDay, tally.shifts(group: s.group, day: s.day) >= m { return false }
        if let m = grp.maxShiftsPerWeek, tally.shifts(group: s.group, week: p.week(ofDay: s.day)) >= m { return false }
        return true
    }

    /// Limits alone (coverage rows in the conflict name them as the limits in the way).
    public func explain(_ mine: [ConflictFinding], all: [ConflictFinding], problem p: ScheduleProblem) -> [ScheduleConflict] {
        guard !all.contains(where: { $0.tag.rule == CoverageRule.id }) else { return [] }
        return [ScheduleConflict(rule: Self.id, queues: [], groups: [], periods: [],
                                 message: "head-count limits too low for the requirements: " + mine.prefix(8).map { "\($0.name) needs \(fmt($0.violation, 1)) more" }.joined(separator: ", "))]
    }

    /// A queue is short where every group skilled for it that is at its limit says so.
    public func whyShort(queue q: Int, period t: Int, tally: ShiftTally, problem p: ScheduleProblem) -> ShortReason? {
        let d = t / p.periodsPerDay
        let skilled = p.groups.indices.filter { g in p.skills(of: g).contains { $0.queue == q } }
        let capped = skilled.compactMap { g -> String? in
            if let m = p.groups[g].maxAgentsPerDay, tally.shifts(group: g, day: d) >= m { return "\(p.groups[g].id) at its limit of \(m) agents on \(Civilian.date(p, d))" }
            if let m = p.groups[g].maxShiftsPerWeek, tally.shifts(group: g, week: p.week(ofDay: d)) >= m { return "\(p.groups[g].id) at its limit of \(m) shifts that week" }
            return nil
        }
        return capped.isEmpty ? nil : .limit("head-count limits reached: " + capped.joined(separator: "; "))
    }
}

