import Optimization

/// Every shift takes its template's breaks, each inside its window (hard).
///
/// Encoder (`.implicit`, Bechtold & Jacobs 1990, "Implicit modeling of flexible break assignments in optimal
/// shift scheduling", Management Science 36(11)): per (group, template, break, day) one integer column per
/// possible break start instead of one column per placement, linked to the shift columns by
///   Σ breaks = Σ shifts;  for each shift start i (ascending):
///   forward   Σ_{j ≤ i} shifts_j ≤ Σ breaks starting by s_i + latest offset,
///   backward  Σ_{j ≥ i} shifts_j ≤ Σ breaks starting from s_i + earliest offset.
/// Break windows move with the shift start, so there is no "extraordinary overlap" and these rows are exactly
/// Hall's condition: an integer point always lets every shift get a break in its window (assigned greedily
/// in start order when the schedule is read). The relaxation's bound equals the explicit model's. Breaks of one
/// template must have ordered, non-overlapping windows (checked on input), which makes them independent.
public struct BreaksRule: ScheduleRule {
    public static let id = "breaks"
    public static let summary = "every shift takes its template's breaks and lunches, each inside its window"
    public let kind = RuleKind.hard
    public let weight: Double
    let settings: RuleSettings

    public init(settings: RuleSettings) {
        self.settings = settings
        weight = settings.weight(Self.id)
    }

    public func encode(_ c: EncodingContext) {
        guard settings.breakPlacement == .implicit else { return }
        let p = c.problem
        struct Key: Hashable { var g: Int, t: Int, d: Int }
        var byKey: [Key: [EncodingContext.ShiftColumn]] = [:]
        for col in c.shiftColumns where !p.templates[col.template].breaks.isEmpty {
            byKey[Key(g: col.group, t: col.template, d: col.day), default: []].append(col)
        }
        for key in byKey.keys.sorted(by: { ($0.g, $0.t, $0.d) < ($1.g, $1.t, $1.d) }) {
            let cols = byKey[key]!.sorted { $0.start < $1.start }
            let tp = p.templates[key.t]
            for (k, rule) in tp.breaks.enumerated() {
                var startsSet = Set<Int>()
                for col in cols { for b in (col.start + rule.earliestOffset) ... (col.start + rule.latestOffset) { startsSet.insert(b) } }
                let starts = startsSet.sorted()
                var vars: [Int: Variable] = [:]
                for b in starts {
                    let v = c.model.addVariable("break[\(p.groups[key.g].id),\(tp.id),\(k + 1),\(p.timeLabel(b))]", integer: true)
                    vars[b] = v
                    c.addBreakColumn(group: key.g, template: key.t, breakIndex: k, day: key.d, start: b, variable: v)
                }
                let label = "\(p.groups[key.g].id),\(tp.id),break \(k + 1),day \(key.d)"
                var total = LinearExpression()
                for col in cols { total.add(col.variable, 1) }
                for b in starts { total.add(vars[b]!, -1) }
                let tag = RowTag(rule: Self.id, group: key.g, day: key.d)
                c.addRow(total, lower: 0, upper: 0, name: "breaks-balance[\(label)]", tag: tag)
                guard cols.count > 1 else { continue }
                for i in 0 ..< cols.count - 1 {
                    var e = LinearExpression()
                    for j in 0 ... i { e.add(cols[j].variable, 1) }
                    let limit = cols[i].start + rule.latestOffset
                    for b in starts where b <= limit { e.add(vars[b]!, -1) }
                    c.addRow(e, upper: 0, name: "breaks-forward[\(label),\(i)]", tag: tag)
                }
                for i in 1 ..< cols.count {
                    var e = LinearExpression()
                    for j in i ..< cols.count { e.add(cols[j].variable, 1) }
                    let from = cols[i].start + rule.earliestOffset
                    for b in starts where b >= from { e.add(vars[b]!, -1) }
                    c.addRow(e, upper: 0, name: "breaks-backward[\(label),\(i)]", tag: tag)
                }
            }
        }
    }

    /// A shift with exactly its template's breaks, each in its window, in order, not overlapping, inside the shift.
    public func admits(_ b: ShiftBlock, in p: ScheduleProblem) -> Bool {
        let tp = p.templates[b.template]
        guard b.breakStarts.count == tp.breaks.count else { return false }
        var previousEnd = b.start
        for (k, r) in tp.breaks.enumerated() {
            let off = b.breakStarts[k] - b.start
            if off < r.earliestOffset || off > r.latestOffset || b.breakStarts[k] < previousEnd { return false }
            previousEnd = b.breakStarts[k] + r.durationPeriods
        }
        return previousEnd <= b.start + tp.spanPeriods
    }

    public func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
        var f: [RuleViolation] = []
        for b in s.shifts {
            let tp = p.templates[b.template], gid = p.groups[b.group].id
            guard b.breakStarts.count == tp.breaks.count else {
                f.append(RuleViolation(rule: Self.id, message: "shift \(tp.id) at \(p.timeLabel(b.start)) has \(b.breakStarts.count) breaks, template has \(tp.breaks.count)", group: gid, period: b.start, amount: Double(b.count)))
                continue
            }
            var previousEnd = b.start
            for (k, r) in tp.breaks.enumerated() {
                let off = b.breakStarts[k] - b.start
                if off < r.earliestOffset || off > r.latestOffset {
                    f.append(RuleViolation(rule: Self.id, message: "break \(k + 1) of \(tp.id) at \(p.timeLabel(b.start)) starts \(off) periods in, outside \(r.earliestOffset)...\(r.latestOffset)", group: gid, period: b.breakStarts[k], amount: Double(b.count)))
                }
                if b.breakStarts[k] < previousEnd {
                    f.append(RuleViolation(rule: Self.id, message: "break \(k + 1) of \(tp.id) at \(p.timeLabel(b.start)) overlaps the previous break", group: gid, period: b.breakStarts[k], amount: Double(b.count)))
                }
                previousEnd = b.breakStarts[k] + r.durationPeriods
            }
            if previousEnd > b.start + tp.spanPeriods {
                f.append(RuleViolation(rule: Self.id, message: "a break of \(tp.id) at \(p.timeLabel(b.start)) runs past the shift end", group: gid, period: b.start, amount: Double(b.count)))
            }
        }
        return RuleScore(rule: Self.id, kind: kind, weight: weight, penalty: 0, findings: f)
    }
}
