/// The workforce vocabulary the planning modules share: skills, agents, agent groups and contracts.
/// (Shift templates: `ShiftTemplate.swift`; requirements: `Requirement.swift`; time: `TimeGrid.swift`.)

/// A skill of an agent or an agent group: the queue (channel) served and the proficiency level, 1 = primary /
/// fully proficient; higher levels are weaker (the scheduler routes capacity to them after lower ones, the roster
/// prefers low levels).
public struct Skill: Sendable, Equatable, Hashable {
    public var queue: String
    public var level: Int
    public init(queue: String, level: Int = 1) { self.queue = queue; self.level = level }

    /// The roster's words for the same fields: the channel served and the proficiency level.
    public var channel: String { queue }
    public var proficiency: Int { level }
}

/// Agents who share skills, cost and limits. The model decides how many of them work each shift.
public struct AgentGroup: Sendable, Equatable {
    public var id: String
    public var skills: [Skill]
    public var costPerPaidHour: Double
    /// Template ids this group may work; nil = every template.
    public var templates: [String]?
    /// At most this many shifts start per day (agents on duty that day).
    public var maxAgentsPerDay: Int?
    /// At most this many shifts per week (Monday to Sunday).
    public var maxShiftsPerWeek: Int?

    public init(id: String, skills: [Skill], costPerPaidHour: Double = 1, templates: [String]? = nil,
                maxAgentsPerDay: Int? = nil, maxShiftsPerWeek: Int? = nil) {
        self.id = id
        self.skills = skills
        self.costPerPaidHour = costPerPaidHour
        self.templates = templates
        self.maxAgentsPerDay = maxAgentsPerDay
        self.maxShiftsPerWeek = maxShiftsPerWeek
    }
}

/// An employment contract: weekly hours, consecutive days, days off, rest, allowed templates.
public struct Contract: Sendable, Equatable {
    public var name: String
    public var minHoursWeek: Double
    public var maxHoursWeek: Double
    public var maxConsecutiveDays: Int
    public var daysOffPerWeek: Int
    public var pairedDaysOff: Bool
    public var minRestHours: Double
    public var templates: [String]

    public init(name: String, minHoursWeek: Double, maxHoursWeek: Double, maxConsecutiveDays: Int, daysOffPerWeek: Int,
                pairedDaysOff: Bool, minRestHours: Double, templates: [String]) {
        self.name = name; self.minHoursWeek = minHoursWeek; self.maxHoursWeek = maxHoursWeek
        self.maxConsecutiveDays = maxConsecutiveDays; self.daysOffPerWeek = daysOffPerWeek; self.pairedDaysOff = pairedDaysOff
        self.minRestHours = minRestHours; self.templates = templates
    }
}

/// A named agent.
public struct Agent: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Skills: queue (channel) and proficiency level (1 = fully proficient, 2, 3 ... = less; the roster prefers low numbers).
    public var skills: [Skill]
    public var contract: String
    public var site: String
    public var timeZone: String?
    /// Day numbers (days since 1970-01-01) the agent cannot work (dated time off: leave, sick days).
    public var unavailable: Set<Int64>
    /// Weekdays (0 = Monday) the agent never works (recurring unavailability, `every sun`).
    public var unavailableWeekdays: Set<Int>
    /// Weekday (0 = Monday) -> window of the day (minutes after local midnight) every shift must lie in.
    /// Empty: any time. Non-empty: weekdays without a window are unavailable.
    public var windows: [Int: ClosedRange<Int>]
    /// Weekdays (0 = Monday) the agent would like to work.
    public var desiredDays: Set<Int>
    /// Preferred start band in minutes after midnight.
    public var preferredStart: ClosedRange<Int>?
    /// Weekdays (0 = Monday) the agent would rather have off.
    public var preferredDaysOff: Set<Int>
    /// 1-based line in the agents file (0 when generated).
    public var line: Int
    /// The agent groups the agent belongs to for routing (the agents file's `group`, `a|b`); empty: derived from
    /// the skills.
    public var groups: [String] = []

    public init(id: String, name: String, skills: [Skill], contract: String, site: String = "",
                timeZone: String? = nil, unavailable: Set<Int64> = [], preferredStart: ClosedRange<Int>? = nil,
                preferredDaysOff: Set<Int> = [], line: Int = 0, unavailableWeekdays: Set<Int> = [], windows: [Int: ClosedRange<Int>] = [:],
                desiredDays: Set<Int> = []) {
        self.id = id; self.name = name; self.skills = skills; self.contract = contract; self.site = site; self.timeZone = timeZone
        self.unavailable = unavailable; self.preferredStart = preferredStart; self.preferredDaysOff = preferredDaysOff; self.line = line
        self.unavailableWeekdays = unavailableWeekdays; self.windows = windows; self.desiredDays = desiredDays
    }

    /// True when the agent cannot work at all on this weekday (recurring unavailability or no window).
    public func neverWorks(weekday: Int) -> Bool {
        unavailableWeekdays.contains(weekday) || (!windows.isEmpty && windows[weekday] == nil)
    }

    /// True when a shift from `start` lasting `length` minutes (local, on a day of this weekday) lies in the
    /// agent's availability window of that weekday (always true without windows).
    public func fitsWindow(weekday: Int, start: Int, length: Int) -> Bool {
        guard !windows.isEmpty else { return true }
        guard let w = windows[weekday] else { return false }
        return start >= w.lowerBound && start + length <= w.upperBound
    }

    public static func == (a: Agent, b: Agent) -> Bool {
        a.id == b.id && a.name == b.name && a.skills.map { "\($0.channel):\($0.proficiency)" } == b.skills.map { "\($0.channel):\($0.proficiency)" }
            && a.contract == b.contract && a.site == b.site && a.timeZone == b.timeZone && a.unavailable == b.unavailable
            && a.preferredStart == b.preferredStart && a.preferredDaysOff == b.preferredDaysOff
            && a.unavailableWeekdays == b.unavailableWeekdays && a.windows == b.windows && a.desiredDays == b.desiredDays
    }
}
