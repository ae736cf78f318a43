import PlanningCore

/// One shift of one agent, with the channel served in each slot (-1 = unpaid break).
public struct RosterShift: Sendable, Equatable {
    public var agent: Int
    /// Day index from the horizon start (negative: history before the horizon).
    public var day: Int
    public var template: Int
    /// Start in minutes after the day's local midnight.
    public var start: Int
    /// Channel index per slot of the shift, -1 in the break, `RosterProblem.activityCode(k)` (-2 - k) in activity k.
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
    /// What makes a roster workable beyond the contracts: start-time limits and queue blocks (`[roster]`).
    public var workability: Workability = Workability()
    /// Meetings, coaching, training placed in the shifts (`[[roster.activities]]`; slot codes -2, -3, ...).
    public var activities: [RosterActivity] = []

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
    /// Template `tm`'s roster break (`ShiftTemplate.rosterBreak`: unpaid, else paid) on the roster's grid: `length` slots starting between slot offsets `earliest`
    /// and `latest` of the shift (both inclusive; the engine places it by load), nil without one.
    public func breakWindow(_ tm: Int) -> BreakWindow? {
        let t = templates[tm]
        guard let b = t.rosterBreak, let first = breakSlots(tm) else { return nil }
        let n = lengthSlots(tm), len = first.count
        let last = grid.slot(ofMinute: b.latestOffset * t.grid.minutes)
        return BreakWindow(length: len, earliest: first.lowerBound, latest: max(first.lowerBound, min(last, n - len)))
    }
    /// The unpaid break a rostered shift takes: its run of slots off the queues (nil without one).
    public func breakPlacement(_ s: RosterShift) -> Range<Int>? {
        guard let k0 = s.channels.firstIndex(of: -1) else { return nil }
        var k1 = k0
        while k1 < s.channels.count && s.channels[k1] == -1 { k1 += 1 }
        return k0..<k1
    }
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

/// A template's unpaid break on the roster grid: `length` slots starting at an offset in `earliest...latest`.
public struct BreakWindow: Sendable, Equatable {
    public var length: Int, earliest: Int, latest: Int
    public init(length: Int, earliest: Int, latest: Int) { self.length = length; self.earliest = earliest; self.latest = latest }
}

/// Limits that make a roster workable for the people on it (`[roster]`; nil = no limit):
/// - `maxStartSpreadMinutes`: the latest minus the earliest start of an agent's shifts within a roster week;
/// - `maxBackwardRotationMinutes`: how much earlier a shift may start than the agent's shift the day before
///   (later is always allowed: forward rotation);
/// - `minQueueBlockMinutes`: an agent serves one queue for at least this long before switching (a shorter
///   piece only when the break leaves less); the router's shares then stay put from one interval to the next.
public struct Workability: Sendable, Equatable {
    public var maxStartSpreadMinutes: Int?
    public var maxBackwardRotationMinutes: Int?
    public var minQueueBlockMinutes: Int
    public init(maxStartSpreadMinutes: Int? = 120, maxBackwardRotationMinutes: Int? = 120, minQueueBlockMinutes: Int = 120) {
        self.maxStartSpreadMinutes = maxStartSpreadMinutes; self.maxBackwardRotationMinutes = maxBackwardRotationMinutes
        self.minQueueBlockMinutes = minQueueBlockMinutes
    }
    /// No limits: any start on any day, a queue per interval (what the roster did before these limits).
    public static let unconstrained = Workability(maxStartSpreadMinutes: nil, maxBackwardRotationMinutes: nil, minQueueBlockMinutes: 0)
}
