import Foundation
import PlanningCore
import Reports
import Routing
import Scheduling
import Store

/// The solved schedule as stored (format peakplan-schedule/1): the problem's queues, groups and templates, the
/// shifts with their breaks, and the per-group allocation. Routing and the roster read it back instead of
/// solving again, so they work on exactly the schedule the user saw. JSON numbers round-trip exactly.
public struct ScheduleDocument: Codable, Sendable, Equatable {
    public static let format = "peakplan-schedule/1"

    public struct Queue: Codable, Sendable, Equatable { public var id: String; public var requirement: [Double] }
    public struct SkillLevel: Codable, Sendable, Equatable { public var queue: String; public var level: Int }
    public struct Group: Codable, Sendable, Equatable {
        public var id: String
        public var skills: [SkillLevel]
        public var costPerPaidHour: Double
        public var templates: [String]?
        public var maxAgentsPerDay: Int?
        public var maxShiftsPerWeek: Int?
    }
    public struct Shift: Codable, Sendable, Equatable {
        public var group: Int
        public var template: Int
        public var day: Int
        public var start: Int
        public var breakStarts: [Int]
        public var count: Int
    }

    public var formatVersion = ScheduleDocument.format
    public var name: String
    public var intervalMinutes: Int
    public var firstDay: Int64
    public var days: Int
    public var queues: [Queue]
    public var groups: [Group]
    public var templates: [ShiftTemplate]
    public var shifts: [Shift]
    /// allocation[g][k][t]: agents of group g on its k-th skill in period t.
    public var allocation: [[[Double]]]

    public init(problem p: ScheduleProblem, schedule s: ShiftSchedule) {
        name = p.name; intervalMinutes = p.intervalMinutes; firstDay = p.firstDay; days = p.days
        queues = p.queues.map { Queue(id: $0.id, requirement: $0.requirement) }
        groups = p.groups.map { g in
            Group(
                id: g.id, skills: g.skills.map { SkillLevel(queue: $0.queue, level: $0.level) }, costPerPaidHour: g.costPerPaidHour,
                templates: g.templates, maxAgentsPerDay: g.maxAgentsPerDay, maxShiftsPerWeek: g.maxShiftsPerWeek)
        }
        templates = p.templates
        shifts = s.shifts.map { Shift(group: $0.group, template: $0.template, day: $0.day, start: $0.start, breakStarts: $0.breakStarts, count: $0.count) }
        allocation = s.allocation
    }

    /// The problem (queues hard, as solved or priced: routing does not depend on it) and the schedule.
    public var problem: ScheduleProblem {
        ScheduleProblem(
            name: name, intervalMinutes: intervalMinutes, firstDay: firstDay, days: days,
            queues: queues.map { QueueSpec(id: $0.id, requirement: $0.requirement) },
            groups: groups.map { g in
                AgentGroupSpec(
                    id: g.id, skills: g.skills.map { Skill(queue: $0.queue, level: $0.level) }, costPerPaidHour: g.costPerPaidHour,
                    templates: g.templates, maxAgentsPerDay: g.maxAgentsPerDay, maxShiftsPerWeek: g.maxShiftsPerWeek)
            },
            templates: templates)
    }

    public var schedule: ShiftSchedule {
        ShiftSchedule(
            shifts: shifts.map { ShiftBlock(group: $0.group, template: $0.template, day: $0.day, start: $0.start, breakStarts: $0.breakStarts, count: $0.count) },
            allocation: allocation)
    }

    public func encoded() throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }

    public static func decode(_ text: String, source: String) throws -> ScheduleDocument {
        let d: ScheduleDocument
        do { d = try JSONDecoder().decode(ScheduleDocument.self, from: Data(text.utf8)) } catch {
            throw PlanError("\(source): not a \(format) document (\(error))", .dataError)
        }
        guard d.formatVersion == format else {
            throw PlanError("\(source): format \(d.formatVersion) is not \(format); re-run `peakplan schedule`", .dataError)
        }
        return d
    }
}

/// A solved schedule as the plan's stages pass it on.
public struct SolvedSchedule: Sendable {
    public var result: ScheduleResult
    /// Solved again with priced understaffing because the hard rules could not all be met.
    public var soft: Bool
    public var problem: ScheduleProblem { result.problem }

    public init(result: ScheduleResult, soft: Bool) { self.result = result; self.soft = soft }

    public var routing: RoutingTable { RoutingTable(problem: result.problem, schedule: result.schedule) }

    /// The store record: score, coverage per queue and interval, routing weights, and the schedule itself.
    public func record() -> Store.ScheduleRun {
        let p = result.problem, r = result
        let planned = r.schedule.planned(p)
        var coverage: [Store.ScheduleRun.Coverage] = []
        for q in p.queues.indices {
            for time in 0..<p.horizon where p.queues[q].requirement[time] > 0 || planned[q][time] > 1e-9 {
                coverage.append(.init(queue: p.queues[q].id, period: time, required: p.queues[q].requirement[time], planned: planned[q][time]))
            }
        }
        return Store.ScheduleRun(
            intervalMinutes: p.intervalMinutes, firstDay: p.firstDay, periods: p.horizon, status: ScheduleText.status(r), objective: r.objective,
            lowerBound: r.lowerBound, gap: r.gap, paidHours: r.schedule.paidAgentHours(p), requiredHours: r.coverage.requiredHours,
            shortIntervals: r.coverage.shortIntervals, shifts: r.schedule.shiftCount, seconds: r.seconds, soft: soft, coverage: coverage,
            weights: routing.rows.map { .init(period: $0.period, queue: $0.queue, group: $0.group, weight: $0.weight, planned: $0.plannedAgents) })
    }

    /// Stores the schedule (record and document) in one transaction; returns the run id.
    @discardableResult
    public func save(into store: Store) throws -> Int64 {
        try store.saveSchedule(record(), document: (ScheduleDocument.format, try ScheduleDocument(problem: problem, schedule: result.schedule).encoded()))
    }
}

/// A schedule read back from the store: what routing and the report use.
public struct StoredSchedule: Sendable {
    public var run: Store.ScheduleRun
    public var document: ScheduleDocument

    /// The newest stored schedule, or a clear error saying how to make one.
    public static func latest(_ store: Store, workspace: Workspace) throws -> StoredSchedule {
        guard let run = try store.latestSchedule() else {
            throw PlanError("no schedule stored in \(workspace.storePath): run `peakplan schedule --workspace \(workspace.directory)` or `peakplan plan` first", .noInput)
        }
        guard let doc = try store.scheduleDocument(runID: run.id) else {
            throw PlanError(
                "the newest schedule in \(workspace.storePath) (run \(run.id), \(run.createdAt)) was stored by an older PeakPlan without its shifts: run `peakplan schedule --workspace \(workspace.directory)` again",
                .noInput)
        }
        return StoredSchedule(run: run, document: try ScheduleDocument.decode(doc.json, source: "\(workspace.storePath) schedule run \(run.id)"))
    }

    public var routing: RoutingTable { RoutingTable(problem: document.problem, schedule: document.schedule) }

    /// "schedule run 12 (2026-12-07T05:40:00Z, optimal, 489 shifts)"
    public var label: String { "schedule run \(run.id) (\(run.createdAt), \(run.status)\(run.soft ? " with priced understaffing" : ""), \(run.shifts) shifts)" }
}
