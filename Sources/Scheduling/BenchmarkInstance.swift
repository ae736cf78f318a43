import Foundation
import PlanningCore

/// Reader for the shared benchmark format `wfm-shift-benchmark/1` (Datasets/benchmarks/README.md):
/// requirements per queue, day and 30-minute period; shift templates with break windows; template sets; agent
/// groups with skills and cost per paid hour. Breaks are unpaid. Day 0 is placed on Monday 2026-06-01, the start
/// of a month, as the format's `day0_is_month_start` says.
public struct BenchmarkInstance: Decodable, Sendable {
    public var format: String
    public var name: String
    public var interval_minutes: Int
    public var periods_per_day: Int
    public var days: Int
    public var shift_window: Window
    public var shift_templates: [Template]
    public var template_sets: [String: [String]]
    public var queues: [Queue]
    public var agent_groups: [Group]

    public struct Window: Decodable, Sendable { public var earliest_start_period: Int; public var latest_end_period: Int }
    public struct Break: Decodable, Sendable { public var duration_periods: Int; public var earliest_offset: Int; public var latest_offset: Int }
    public struct Template: Decodable, Sendable { public var id: String; public var span_periods: Int; public var breaks: [Break] }
    public struct Queue: Decodable, Sendable { public var id: String; public var requirements: [[Double]] }
    public struct Group: Decodable, Sendable { public var id: String; public var skills: [String]; public var cost_per_paid_hour: Double }

    public static let formatName = "wfm-shift-benchmark/1"
    public static let firstDay: Int64 = Civil.daysFromCivil(year: 2026, month: 6, day: 1)

    public struct FormatError: Error, CustomStringConvertible, Sendable {
        public var message: String
        public var description: String { message }
    }

    public static func decode(_ data: Data) throws(FormatError) -> BenchmarkInstance {
        let inst: BenchmarkInstance
        do { inst = try JSONDecoder().decode(BenchmarkInstance.self, from: data) } catch {
            throw FormatError(message: "not a \(formatName) instance: \(error)")
        }
        guard inst.format == formatName else { throw FormatError(message: "format is \"\(inst.format)\", expected \"\(formatName)\"") }
        guard IntervalLength.isAllowed(inst.interval_minutes), inst.periods_per_day * inst.interval_minutes == TimeGrid.minutesPerDay else {
            throw FormatError(message: "interval_minutes \(inst.interval_minutes) with periods_per_day \(inst.periods_per_day) is not a day grid")
        }
        for q in inst.queues {
            guard q.requirements.count == inst.days, q.requirements.allSatisfy({ $0.count == inst.periods_per_day }) else {
                throw FormatError(message: "queue \(q.id): requirements must be \(inst.days) rows of \(inst.periods_per_day) numbers")
            }
            guard q.requirements.allSatisfy({ $0.allSatisfy { $0 >= 0 && $0.isFinite } }) else {
                throw FormatError(message: "queue \(q.id): requirements must be finite and non-negative")
            }
        }
        return inst
    }

    /// The scheduling problem: `templateSet` picks a template set (default "all"); `dedicatedOnly` keeps only
    /// single-skill groups.
    public func problem(templateSet: String = "all", dedicatedOnly: Bool = false) throws(FormatError) -> ScheduleProblem {
        guard let allowed = template_sets[templateSet] else {
            throw FormatError(message: "instance \(name) has no template set \"\(templateSet)\" (has: \(template_sets.keys.sorted().joined(separator: ", ")))")
        }
        let templates = shift_templates.filter { allowed.contains($0.id) }.map { t in
            ShiftTemplate(id: t.id, spanPeriods: t.span_periods, startStep: 1, earliestStart: shift_window.earliest_start_period,
                          latestEnd: shift_window.latest_end_period,
                          breaks: t.breaks.map { BreakRule(durationPeriods: $0.duration_periods, earliestOffset: $0.earliest_offset, latestOffset: $0.latest_offset, paid: false) },
                          grid: TimeGrid(validMinutes: interval_minutes) ?? .halfHour)
        }
        let qs = queues.map { QueueSpec(id: $0.id, requirement: $0.requirements.flatMap { $0 }) }
        let gs = agent_groups.filter { !dedicatedOnly || $0.skills.count == 1 }.map {
            AgentGroupSpec(id: $0.id, skills: $0.skills.map { Skill(queue: $0) }, costPerPaidHour: $0.cost_per_paid_hour)
        }
        return ScheduleProblem(name: name + (templateSet == "all" ? "" : "/" + templateSet) + (dedicatedOnly ? "/dedicated" : ""),
                               intervalMinutes: interval_minutes, firstDay: Self.firstDay, days: days, queues: qs, groups: gs, templates: templates)
    }
}
