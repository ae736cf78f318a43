import PlanningCore

/// A shift template: a start window, paid hours and an unpaid break.
public struct ShiftTemplate: Sendable, Equatable {
    public var name: String
    /// Minutes after local midnight.
    public var startEarliest: Int
    public var startLatest: Int
    public var startStepMinutes: Int
    public var paidHours: Double
    /// Unpaid break length in minutes (placed in the middle of the shift).
    public var breakMinutes: Int

    public init(name: String, startEarliest: Int, startLatest: Int, startStepMinutes: Int = 30, paidHours: Double, breakMinutes: Int) {
        self.name = name; self.startEarliest = startEarliest; self.startLatest = startLatest
        self.startStepMinutes = startStepMinutes; self.paidHours = paidHours; self.breakMinutes = breakMinutes
    }

    /// Shift length in minutes, break included.
    public var lengthMinutes: Int { Int((paidHours * Double(TimeGrid.minutesPerHour)).rounded()) + breakMinutes }
    /// Start minutes the template allows on a grid: every `startStepMinutes` from `startEarliest` through
    /// `startLatest` that is a slot start of the grid.
    public func starts(on grid: TimeGrid) -> [Int] {
        stride(from: startEarliest, through: startLatest, by: max(startStepMinutes, 1)).filter { grid.isOnGrid(minute: $0) }
    }
    /// Break offset from shift start in minutes (the middle, rounded down to a slot start), nil without a break.
    public func breakOffset(on grid: TimeGrid) -> Int? {
        guard breakMinutes > 0 else { return nil }
        return grid.startMinute(ofSlot: grid.slot(ofMinute: lengthMinutes / 2 - breakMinutes / 2))
    }
    /// Slots a shift of this template spans on a grid (a partly worked last slot counts).
    public func lengthSlots(on grid: TimeGrid) -> Int { grid.slotsCovering(minutes: lengthMinutes) }
    /// Slots of the shift (from its first slot) taken by the unpaid break: every slot the break touches.
    public func breakSlots(on grid: TimeGrid) -> Range<Int>? {
        breakOffset(on: grid).map { grid.slot(ofMinute: $0)..<grid.slotsCovering(minutes: $0 + breakMinutes) }
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
    /// Channel -> proficiency (1 = fully proficient, 2, 3 ... = less; the engine prefers low numbers).
    public var skills: [(channel: String, proficiency: Int)]
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

    public init(id: String, name: String, skills: [(channel: String, proficiency: Int)], contract: String, site: String = "",
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

/// One shift of one agent, with the channel served in each slot (-1 = unpaid break).
public struct RosterShift: Sendable, Equatable {
    public var agent: Int
    /// Day index from the horizon start (negative: history before the horizon).
    public var day: Int
    public var template: Int
    /// Start in minutes after the day's local midnight.
    public var start: Int
    /// Channel index per slot of the shift, -1 in the break.
    public var channels: [Int]

    public init(agent: Int, day: Int, template: Int, start: Int, channels: [Int]) {
        self.agent = agent; self.day = day; self.template = template; self.start = start; self.channels = channels
    }
    /// Absolute minutes from horizon start.
    public var startMinute: Int { LocalDateTime.minute(day: day, minuteOfDay: start) }
}

/// Everything the roster is built from.
public struct RosterProblem: Sendable {
    /// Day number (days since 1970-01-01) of the first horizon day.
    public var startDay: Int64
    public var weeks: Int
    public var channels: [String]
    /// The planning grid the roster runs on (the workspace interval).
    public var grid: TimeGrid
    /// required[channel][slot] over the horizon (slot = `grid.index(day:slot:)`, day * slotsPerDay + slot of day).
    public var required: [[Int]]
    public var agents: [Agent]
    public var contracts: [Contract]
    public var templates: [ShiftTemplate]
    /// Previously published shifts before the horizon (fixed history for rest and consecutive days).
    public var history: [RosterShift]
    /// Weekdays counted as weekend (0 = Monday).
    public var weekend: Set<Int>
    /// A shift ending after this minute of day counts as late.
    public var lateEndMinute: Int
    /// The workspace time zone the roster's times are in (wall clock); with it, exports also show each shift
    /// in the agent's own `time_zone`. nil: times are shown as they are.
    public var zone: ZoneRules?

    public init(startDay: Int64, weeks: Int, channels: [String], required: [[Int]], agents: [Agent], contracts: [Contract],
                templates: [ShiftTemplate], history: [RosterShift] = [], weekend: Set<Int> = [5, 6], lateEndMinute: Int = 20 * 60,
                zone: ZoneRules? = nil, grid: TimeGrid = .halfHour) {
        self.zone = zone; self.grid = grid
        self.startDay = startDay; self.weeks = weeks; self.channels = channels; self.required = required; self.agents = agents
        self.contracts = contracts; self.templates = templates; self.history = history; self.weekend = weekend; self.lateEndMinute = lateEndMinute
    }

    public var days: Int { weeks * 7 }
    public var slots: Int { grid.slots(days: days) }
    /// Start minutes template `tm` allows on the roster's grid.
    public func starts(_ tm: Int) -> [Int] { templates[tm].starts(on: grid) }
    /// Slot index (from the horizon start) of a shift's first slot.
    public func firstSlot(_ s: RosterShift) -> Int { grid.slot(ofMinute: s.startMinute) }
    /// Slot index of the first slot of a shift starting `start` minutes after the midnight of horizon day `day`.
    public func firstSlot(day: Int, start: Int) -> Int { grid.slot(ofMinute: LocalDateTime.minute(day: day, minuteOfDay: start)) }
    public func lengthSlots(_ tm: Int) -> Int { templates[tm].lengthSlots(on: grid) }
    public func breakSlots(_ tm: Int) -> Range<Int>? { templates[tm].breakSlots(on: grid) }
    public func contract(of a: Int) -> Contract? { contracts.first { $0.name == agents[a].contract } }
    public func templateIndex(_ name: String) -> Int? { templates.firstIndex { $0.name == name } }
    public func channelIndex(_ name: String) -> Int? { channels.firstIndex(of: name) }
    /// Dated time off or a weekday the agent never works.
    public func isUnavailable(agent a: Int, day: Int) -> Bool {
        isOnLeave(agent: a, day: day) || agents[a].neverWorks(weekday: weekday(day))
    }
    /// Dated time off (leave, sick days): counts as paid leave against the weekly minimum.
    public func isOnLeave(agent a: Int, day: Int) -> Bool { agents[a].unavailable.contains(startDay + Int64(day)) }
    public func weekday(_ day: Int) -> Int { Civil.weekday(ofDay: startDay + Int64(day)) }
    /// Available days of an agent in a week (not on time off).
    public func availableDays(agent a: Int, week: Int) -> Int { (0..<7).filter { !isUnavailable(agent: a, day: week * 7 + $0) }.count }
    /// Weekly minimum after time off: each day of dated time off is credited with a full shift's paid hours
    /// (the longest template the contract allows), so a sick day never forces extra shifts on other days.
    /// Recurring unavailability and availability windows are not leave: they earn no credit (the agents file
    /// is refused when they leave the minimum out of reach, see `AgentsCSV`).
    public func minHours(agent a: Int, week: Int) -> Double {
        guard let c = contract(of: a) else { return 0 }
        let day = c.templates.compactMap { n in templates.first { $0.name == n }?.paidHours }.max() ?? 0
        let leave = (0..<7).filter { isOnLeave(agent: a, day: week * 7 + $0) }.count
        return max(0, c.minHoursWeek - Double(leave) * day)
    }
}

/// A roster: the shifts over the horizon.
public struct Roster: Sendable, Equatable {
    public var shifts: [RosterShift]
    public init(shifts: [RosterShift] = []) { self.shifts = shifts }
}

/// A rule broken by a roster, named after its rule, agent and day.
public struct Violation: Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var agent: String?
    /// Date `YYYY-MM-DD` (nil for horizon-wide findings).
    public var date: String?
    public var message: String
    /// Penalty (soft rules: weight x amount; hard rules: 1).
    public var penalty: Double

    public init(rule: String, agent: String?, date: String?, message: String, penalty: Double = 1) {
        self.rule = rule; self.agent = agent; self.date = date; self.message = message; self.penalty = penalty
    }
    public var description: String {
        [rule, agent.map { "agent \($0)" }, date, message].compactMap { $0 }.joined(separator: ": ")
    }
}

/// One channel's staffing requirement as staffing stores it: whole agents per interval of the channel's own
/// length, interval starts in UTC seconds.
public struct StaffingRequirement: Sendable, Equatable {
    public var intervalMinutes: Int
    public var rows: [(utc: Int64, agents: Int)]
    public init(intervalMinutes: Int, rows: [(utc: Int64, agents: Int)]) { self.intervalMinutes = intervalMinutes; self.rows = rows }
    public static func == (a: Self, b: Self) -> Bool {
        a.intervalMinutes == b.intervalMinutes && a.rows.map(\.utc) == b.rows.map(\.utc) && a.rows.map(\.agents) == b.rows.map(\.agents)
    }
}

extension RosterProblem {
    /// The roster's requirement per channel and slot of `grid` over `days` days from `startDay` (wall clock of
    /// `zone`): each staffing interval fills every slot it spans (the larger value wins where intervals meet),
    /// so a 60-minute requirement keeps both halves of its hour on a 30-minute grid and equals the staffing
    /// requirement slot by slot on a 60-minute grid. `covered`: staffing intervals inside the horizon.
    public static func required(_ staffing: [StaffingRequirement], grid: TimeGrid, startDay: Int64, days: Int,
                                zone: ZoneRules) -> (required: [[Int]], covered: Int) {
        var covered = 0
        let required = staffing.map { s in
            var req = Requirement<Int>(queue: "", grid: grid, firstDay: startDay, days: days)
            covered += req.lay(s.rows.map { .init(localStart: zone.local(fromUTC: $0.utc), minutes: s.intervalMinutes, value: $0.agents) })
            return req.perSlot
        }
        return (required, covered)
    }
}
