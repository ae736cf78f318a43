import PlanningCore

/// What happens when a queue's requirement cannot be met in an interval.
public enum Understaffing: Sendable, Equatable {
    /// Coverage is a constraint: a plan short anywhere is infeasible.
    case hard
    /// Coverage may fall short at this cost per short agent-hour.
    case soft(costPerAgentHour: Double)
}

/// A queue with its requirement per absolute period of the horizon (period `day * periodsPerDay + p`).
public struct QueueSpec: Sendable, Equatable {
    public var id: String
    public var requirement: [Double]
    public var understaffing: Understaffing

    public init(id: String, requirement: [Double], understaffing: Understaffing = .hard) {
        self.id = id
        self.requirement = requirement
        self.understaffing = understaffing
    }
}

/// The scheduler's name for an agent group (`PlanningCore.AgentGroup`).
public typealias AgentGroupSpec = AgentGroup

/// Everything the scheduler needs: the time grid, requirements per queue and interval, templates and groups.
///
/// Time is a grid of `days × periodsPerDay` periods of `intervalMinutes`, local wall-clock time, day 0 being
/// the civil day `firstDay` (days since 1970-01-01). Shifts may run past the last day (overnight templates);
/// periods past the horizon carry no requirement.
public struct ScheduleProblem: Sendable {
    public var name: String
    public var intervalMinutes: Int
    public var firstDay: Int64
    public var days: Int
    public var queues: [QueueSpec]
    public var groups: [AgentGroupSpec]
    public var templates: [ShiftTemplate]

    public init(name: String, intervalMinutes: Int, firstDay: Int64, days: Int, queues: [QueueSpec],
                groups: [AgentGroupSpec], templates: [ShiftTemplate]) {
        self.name = name
        self.intervalMinutes = intervalMinutes
        self.firstDay = firstDay
        self.days = days
        self.queues = queues
        self.groups = groups
        self.templates = templates
    }

    public var periodsPerDay: Int { TimeGrid.slotsPerDay(minutes: intervalMinutes) }
    public var horizon: Int { days * periodsPerDay }
    public var hoursPerPeriod: Double { LocalDateTime.hours(minutes: intervalMinutes) }

    public func queueIndex(_ id: String) -> Int? { queues.firstIndex { $0.id == id } }
    public func templateIndex(_ id: String) -> Int? { templates.firstIndex { $0.id == id } }

    /// Template indices a group may work.
    public func templates(of g: Int) -> [Int] {
        guard let ids = groups[g].templates else { return Array(templates.indices) }
        return templates.indices.filter { ids.contains(templates[$0].id) }
    }

    /// Queue indices a group is skilled for, with their levels.
    public func skills(of g: Int) -> [(queue: Int, level: Int)] {
        groups[g].skills.compactMap { s in queueIndex(s.queue).map { ($0, s.level) } }
    }

    /// Weekday (0 = Monday) of horizon day `d`.
    public func weekday(ofDay d: Int) -> Int { Civil.weekday(ofDay: firstDay + Int64(d)) }

    /// Days a template's shifts may start on to reach `days` (ascending): those days, and for overnight templates
    /// also each day before one of them (a night shift starting the evening before covers the early hours).
    public func startDays(for template: ShiftTemplate, reaching days: [Int]) -> [Int] {
        guard template.latestEnd > periodsPerDay else { return days }
        return Array(Set(days + days.map { $0 - 1 }.filter { $0 >= 0 })).sorted()
    }

    /// Week number (Monday-based) of horizon day `d`, 0 for the week holding day 0.
    public func week(ofDay d: Int) -> Int { (d + weekday(ofDay: 0)) / 7 }

    /// Local start time of an absolute period, as seconds since 1970-01-01 (wall clock).
    public func localSeconds(ofPeriod t: Int) -> Int64 {
        LocalDateTime.localSeconds(firstDay: firstDay, minute: t * intervalMinutes)
    }

    /// `YYYY-MM-DDTHH:MM` of an absolute period's start.
    public func timeLabel(_ t: Int) -> String { String(Civil.formatLocal(localSeconds(ofPeriod: t)).prefix(16)) }

    /// Total required agent-hours.
    public var requiredAgentHours: Double {
        queues.reduce(0) { $0 + $1.requirement.reduce(0, +) } * hoursPerPeriod
    }
}
