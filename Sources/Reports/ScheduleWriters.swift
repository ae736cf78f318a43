import Foundation
import PlanningCore
import Scheduling

/// Renderings of a schedule result.
public enum ScheduleText {
    public static func pct(_ x: Double, _ k: Int = 2) -> String { String(format: "%.\(k)f%%", x * 100) }

    public static func status(_ r: ScheduleResult) -> String { r.proven ? "optimal" : "feasible" }

    public static func summaryLine(_ r: ScheduleResult) -> String {
        "schedule: \(status(r)), cost \(fmt(r.objective)), lower bound \(fmt(r.lowerBound)), gap \(pct(r.gap, 3)); "
            + "\(fmt(r.schedule.paidAgentHours(r.problem), 1)) paid agent-hours, over-staffing \(String(format: "%.2f", r.coverage.overPercent))%, "
            + "\(r.coverage.shortIntervals) short intervals; \(String(format: "%.1f", r.seconds)) s"
    }

    public static func fmt(_ x: Double, _ k: Int = 2) -> String { String(format: "%.\(k)f", x) }

    public static func summaryTable(_ r: ScheduleResult) -> Table {
        var t = Table(title: "Schedule \(r.problem.name): \(status(r))", columns: ["measure", "value"])
        let p = r.problem
        t.rows = [
            [.text("status"), .text(status(r))],
            [.text("objective (cost)"), .number(r.objective, decimals: 3)],
            [.text("lower bound (LP)"), .number(r.lowerBound, decimals: 3)],
            [.text("gap %"), .number(r.gap * 100, decimals: 3)],
            [.text("paid agent-hours"), .number(r.schedule.paidAgentHours(p), decimals: 1)],
            [.text("required agent-hours"), .number(r.coverage.requiredHours, decimals: 1)],
            [.text("over-staffing %"), .number(r.coverage.overPercent, decimals: 2)],
            [.text("short intervals"), .int(r.coverage.shortIntervals)],
            [.text("shifts"), .int(r.schedule.shiftCount)],
            [.text("parts solved"), .int(r.components.count)],
            [.text("seconds"), .number(r.seconds, decimals: 2)]
        ]
        return t
    }

    /// `schedule --view summary --format json`.
    struct Summary: Encodable {
        var problem: String
        var status: String
        var objective: JSONOutput.Rounded
        var lower_bound: JSONOutput.Rounded
        var gap: JSONOutput.Rounded
        var paid_agent_hours: JSONOutput.Rounded
        var required_agent_hours: JSONOutput.Rounded
        var over_pct: JSONOutput.Rounded
        var short_intervals: Int
        var shifts: Int
        var parts: Int
        var seconds: JSONOutput.Rounded
    }

    public static func summaryJSON(_ r: ScheduleResult) -> String {
        let p = r.problem
        return JSONOutput.render(
            Summary(
                problem: p.name, status: status(r), objective: .init(r.objective, 4), lower_bound: .init(r.lowerBound, 4), gap: .init(r.gap, 6),
                paid_agent_hours: .init(r.schedule.paidAgentHours(p), 2), required_agent_hours: .init(r.coverage.requiredHours, 2),
                over_pct: .init(r.coverage.overPercent, 3), short_intervals: r.coverage.shortIntervals, shifts: r.schedule.shiftCount,
                parts: r.components.count, seconds: .init(r.seconds, 3)))
    }

    public static func date(_ p: ScheduleProblem, _ t: Int) -> String { String(p.timeLabel(t).prefix(10)) }
    public static func clock(_ p: ScheduleProblem, _ t: Int) -> String { String(p.timeLabel(t).suffix(5)) }

    /// Shifts: one row per block (compact, for the table) or the long DESIGN format (work/break activities).
    public static func shiftTable(_ r: ScheduleResult, compact: Bool) -> Table {
        let p = r.problem
        let shifts = r.schedule.shifts.sorted { ($0.start, $0.group, $0.template) < ($1.start, $1.group, $1.template) }
        if compact {
            var t = Table(title: "Shifts", columns: ["group", "date", "template", "start", "end", "breaks", "agents"])
            for s in shifts {
                let tp = p.templates[s.template]
                let breaks = zip(s.breakStarts, tp.breaks).map { clock(p, $0.0) + "-" + clock(p, $0.0 + $0.1.durationPeriods) }.joined(separator: " ")
                t.rows.append([
                    .text(p.groups[s.group].id), .text(date(p, s.start)), .text(tp.id), .text(clock(p, s.start)),
                    .text(clock(p, s.start + tp.spanPeriods)), .text(breaks), .int(s.count)
                ])
            }
            return t
        }
        var t = Table(columns: ["agent_or_group", "date", "shift_start", "shift_end", "activity", "start", "end", "agents"])
        for s in shifts {
            let tp = p.templates[s.template]
            let end = s.start + tp.spanPeriods
            var cursor = s.start
            var segments: [(String, Int, Int)] = []
            for (b, rule) in zip(s.breakStarts, tp.breaks) {
                if b > cursor { segments.append(("work", cursor, b)) }
                segments.append((rule.paid ? "paid_break" : "break", b, b + rule.durationPeriods))
                cursor = b + rule.durationPeriods
            }
            if end > cursor { segments.append(("work", cursor, end)) }
            for (a, x, y) in segments {
                t.rows.append([
                    .text(p.groups[s.group].id), .text(date(p, s.start)), .text(p.timeLabel(s.start)), .text(p.timeLabel(end)),
                    .text(a), .text(p.timeLabel(x)), .text(p.timeLabel(y)), .int(s.count)
                ])
            }
        }
        return t
    }

    /// One shift block of `schedule --format json`.
    struct ShiftRecord: Encodable {
        struct Break: Encodable { var start: String; var end: String; var paid: Bool }
        var group: String
        var date: String
        var template: String
        var shift_start: String
        var shift_end: String
        var breaks: [Break]
        var agents: Int
    }

    public static func shiftsJSON(_ r: ScheduleResult) -> String {
        let p = r.problem
        let shifts = r.schedule.shifts.sorted(by: { ($0.start, $0.group, $0.template) < ($1.start, $1.group, $1.template) })
        return JSONOutput.render(
            shifts.map { s in
                let tp = p.templates[s.template]
                return ShiftRecord(
                    group: p.groups[s.group].id, date: date(p, s.start), template: tp.id, shift_start: p.timeLabel(s.start),
                    shift_end: p.timeLabel(s.start + tp.spanPeriods),
                    breaks: zip(s.breakStarts, tp.breaks).map { .init(start: p.timeLabel($0.0), end: p.timeLabel($0.0 + $0.1.durationPeriods), paid: $0.1.paid) },
                    agents: s.count)
            })
    }

    /// Coverage per queue and interval with a requirement or planned agents.
    public static func coverageTable(_ r: ScheduleResult) -> Table {
        let p = r.problem
        let planned = r.schedule.planned(p)
        var t = Table(columns: ["interval_start", "queue", "required", "planned", "over", "under"])
        for time in 0..<p.horizon {
            for q in p.queues.indices {
                let req = p.queues[q].requirement[time], pl = planned[q][time]
                guard req > 0 || pl > 1e-9 else { continue }
                t.rows.append([
                    .text(p.timeLabel(time)), .text(p.queues[q].id), .number(req, decimals: 2), .number(pl, decimals: 2),
                    .number(max(0, pl - req), decimals: 2), .number(max(0, req - pl), decimals: 2)
                ])
            }
        }
        return t
    }

    /// Per queue: required and planned agent-hours, over, short intervals.
    public static func queueTable(_ r: ScheduleResult) -> Table {
        let p = r.problem
        let planned = r.schedule.planned(p)
        var t = Table(title: "Coverage by queue", columns: ["queue", "required_h", "planned_h", "over_h", "short_h", "short_intervals"])
        for q in p.queues.indices {
            var req = 0.0, pl = 0.0, over = 0.0, short = 0.0, n = 0
            for time in 0..<p.horizon {
                let a = p.queues[q].requirement[time], b = planned[q][time]
                req += a; pl += b; over += max(0, b - a)
                if a - b > 1e-6 { short += a - b; n += 1 }
            }
            let h = p.hoursPerPeriod
            t.rows.append([
                .text(p.queues[q].id), .number(req * h, decimals: 1), .number(pl * h, decimals: 1), .number(over * h, decimals: 1),
                .number(short * h, decimals: 1), .int(n)
            ])
        }
        return t
    }
}

extension ScoreReport {
    public func ruleTable() -> Table {
        var t = Table(title: "Score by rule", columns: ["rule", "kind", "weight", "penalty", "findings", "what it checks"])
        for r in rules {
            t.rows.append([.text(r.rule), .text(r.kind.rawValue), .number(r.weight, decimals: 2), .number(r.penalty, decimals: 3), .int(r.findings), .text(r.summary)])
        }
        t.rows.append([.text("total"), .text(""), .null, .number(result.objective, decimals: 3), .int(rules.reduce(0) { $0 + $1.findings }), .text("objective = sum of penalties")])
        return t
    }

    public func partTable() -> Table {
        let p = result.problem
        var t = Table(title: "Parts (independent components)", columns: ["days", "queues", "lp_bound", "objective", "gap_pct", "proven", "seconds", "method"])
        for c in result.components {
            let days =
                c.component.days.count == 1
                ? Civil.formatDate(day: p.firstDay + Int64(c.component.days[0]))
                : Civil.formatDate(day: p.firstDay + Int64(c.component.days.first!)) + ".." + Civil.formatDate(day: p.firstDay + Int64(c.component.days.last!))
            let qs = c.component.queues.count <= 3 ? c.component.queues.map { p.queues[$0].id }.joined(separator: " ") : "\(c.component.queues.count) queues"
            t.rows.append([
                .text(days), .text(qs), .number(c.bound, decimals: 2), .number(c.objective, decimals: 2),
                .number(c.objective > 0 ? 100 * (c.objective - c.bound) / c.objective : 0, decimals: 3), .text(c.proven ? "yes" : "no"),
                .number(c.seconds, decimals: 2), .text(c.method)
            ])
        }
        return t
    }

    public func shortTable() -> Table {
        var t = Table(title: "Short intervals", columns: ["interval_start", "queue", "required", "planned", "short", "why"])
        for s in short {
            t.rows.append([
                .text(result.problem.timeLabel(s.period)), .text(s.queue), .number(s.required, decimals: 2), .number(s.planned, decimals: 2),
                .number(s.required - s.planned, decimals: 2), .text(s.reason)
            ])
        }
        return t
    }

    public func text() -> String {
        var out = ScheduleText.summaryLine(result) + "\n\n" + ruleTable().renderText()
        for r in rules where !r.examples.isEmpty && r.rule != PaidHoursRule.id {
            out += "  \(r.rule): " + r.examples.joined(separator: "; ") + (r.findings > r.examples.count ? "; ..." : "") + "\n"
        }
        out += "\n" + partTable().renderText()
        if short.isEmpty {
            out += "\nNo short intervals: every queue has its required agents in every interval.\n"
        } else {
            out += "\n" + shortTable().renderText()
        }
        return out
    }

    /// `schedule explain --format json`.
    struct Explained: Encodable {
        struct Rule: Encodable {
            var rule: String
            var kind: String
            var weight: Double
            var penalty: JSONOutput.Rounded
            var findings: Int
            var examples: [String]
        }
        struct Short: Encodable {
            var interval_start: String
            var queue: String
            var required: Double
            var planned: JSONOutput.Rounded
            var why: String
        }
        var status: String
        var objective: JSONOutput.Rounded
        var lower_bound: JSONOutput.Rounded
        var gap: JSONOutput.Rounded
        var rules: [Rule]
        var short_intervals: [Short]
    }

    public func json() -> String {
        let p = result.problem
        return JSONOutput.render(
            Explained(
                status: ScheduleText.status(result), objective: .init(result.objective, 4), lower_bound: .init(result.lowerBound, 4), gap: .init(result.gap, 6),
                rules: rules.map { .init(rule: $0.rule, kind: $0.kind.rawValue, weight: $0.weight, penalty: .init($0.penalty, 4), findings: $0.findings, examples: $0.examples) },
                short_intervals: short.map { .init(interval_start: p.timeLabel($0.period), queue: $0.queue, required: $0.required, planned: .init($0.planned, 4), why: $0.reason) })
        )
    }
}
