import PlanningCore

/// Planned time off the queues that is not a break: team meetings, coaching, training (`[[roster.activities]]`).
/// The roster places each one inside the agent's shifts where load allows (after the shifts and queue blocks are
/// chosen: in the slots where taking the agent off its queue opens the least requirement, ties earliest), so it
/// is planned shrinkage the roster shows by name and time, and the requirement is not uplifted for it again
/// (`RosterProblem.plannedActivityShare`; the total shrinkage stays the configured one, see `FloorRequirement`).
///
/// ```toml
/// [[roster.activities]]
/// name = "team_meeting"
/// minutes = 30                 # on the 30-minute step
/// per = "week"                 # "week": once per agent and week worked; "day": every shift
/// window_start = "10:00"       # it lies inside this clock window of the shift's day
/// window_end = "16:00"
/// weekdays = ["Tue", "Wed", "Thu"]   # optional: only on these days
/// ```
public struct RosterActivity: Sendable, Equatable {
    public var name: String
    public var minutes: Int
    public var perWeek: Bool
    /// Clock window (minutes after midnight) the activity lies in, start inclusive, end exclusive.
    public var windowStart: Int, windowEnd: Int
    /// Weekdays it may be on (0 = Monday); nil: any.
    public var weekdays: Set<Int>?

    public init(name: String, minutes: Int, perWeek: Bool, windowStart: Int, windowEnd: Int, weekdays: Set<Int>? = nil) {
        self.name = name; self.minutes = minutes; self.perWeek = perWeek; self.windowStart = windowStart; self.windowEnd = windowEnd
        self.weekdays = weekdays
    }

    /// Names an activity cannot take: the roster's other activity kinds.
    public static let reservedNames: Set<String> = ["work", "break"]
}

extension RosterProblem {
    /// The slot code of activity k in `RosterShift.channels` (-1 is the break; activities are -2, -3, ...).
    public static func activityCode(_ k: Int) -> Int { -2 - k }
    /// The activity a slot code stands for (nil for a queue or the break).
    public func activity(code c: Int) -> RosterActivity? { c <= -2 && -2 - c < activities.count ? activities[-2 - c] : nil }
    /// What a slot of a shift is: its queue's name, "break", or the activity's name.
    public func label(code c: Int) -> String { c >= 0 ? channels[c] : c == -1 ? "break" : (activity(code: c)?.name ?? "activity") }

    /// The share of paid time the activities are planned to take: per agent with a contract, the activities' minutes
    /// in a week worked (a daily one on every work day the contract allows, or its weekdays if fewer) over the
    /// contract's maximum weekly minutes; the mean over those agents. The roster's requirement takes it off the
    /// planned shrinkage (the activities are placed, not uplifted for).
    public var plannedActivityShare: Double {
        guard !activities.isEmpty else { return 0 }
        var sum = 0.0, n = 0
        for a in agents.indices {
            guard let c = contract(of: a), c.maxHoursWeek > 0 else { continue }
            let workDays = 7 - c.daysOffPerWeek
            let minutes = activities.reduce(0) { acc, x in acc + x.minutes * (x.perWeek ? 1 : min(workDays, x.weekdays?.count ?? 7)) }
            sum += min(1, Double(minutes) / (c.maxHoursWeek * 60))
            n += 1
        }
        return n > 0 ? sum / Double(n) : 0
    }

    /// The share of the roster's worked slots (not the break) that are activities.
    public func placedActivityShare(_ r: Roster) -> Double {
        var act = 0, worked = 0
        for s in r.shifts where s.day >= 0 {
            for c in s.channels where c != -1 {
                worked += 1
                if c <= -2 { act += 1 }
            }
        }
        return worked > 0 ? Double(act) / Double(worked) : 0
    }
}

extension RosterState {
    /// An activity that found no place: the agent, the first day of the week (per week) or the shift's day.
    public struct Unplaced: Sendable, Equatable {
        public var agent: Int, day: Int, activity: String
    }

    /// Places every activity in the roster's shifts (see `RosterActivity`); returns the ones that found no slot run
    /// (no shift that week or day, no run of queue slots inside the window). A shift that already has the activity
    /// (a re-plan keeping a published one) keeps it.
    mutating func placeActivities() -> [Unplaced] {
        var missed: [Unplaced] = []
        for (k, act) in p.activities.enumerated() {
            let code = RosterProblem.activityCode(k)
            let len = max(1, p.grid.slotsCovering(minutes: act.minutes))
            for a in p.agents.indices {
                let groups: [[Int]] = act.perWeek ? (0..<p.weeks).map { w in Array((w * 7)..<min(days, w * 7 + 7)) } : (0..<days).map { [$0] }
                for ds in groups {
                    let worked = ds.filter { shift[a][$0] != nil && (act.weekdays?.contains(weekday[$0]) ?? true) }
                    // Per day: only shifts on its weekdays. Per week: any week with a shift.
                    if worked.isEmpty && (!act.perWeek || ds.allSatisfy { shift[a][$0] == nil }) { continue }
                    if worked.contains(where: { shift[a][$0]!.channels.contains(code) }) { continue }
                    guard let at = cheapest(a, days: worked, length: len, activity: act) else {
                        missed.append(Unplaced(agent: a, day: ds[0], activity: act.name))
                        continue
                    }
                    let first = p.firstSlot(day: at.day, start: shift[a][at.day]!.start)
                    for i in at.offset..<(at.offset + len) {
                        let c = shift[a][at.day]!.channels[i]
                        if first + i < slots { cover[c][first + i] -= 1 }
                        shift[a][at.day]!.channels[i] = code
                    }
                }
            }
        }
        return missed
    }

    /// The run of `length` queue slots inside the activity's window on one of `days` where taking agent a off its
    /// queues opens the least requirement (then the most surplus left, then the earliest).
    private func cheapest(_ a: Int, days ds: [Int], length: Int, activity act: RosterActivity) -> (day: Int, offset: Int)? {
        var best: (day: Int, offset: Int, cost: Double)? = nil
        for d in ds {
            guard let s = shift[a][d] else { continue }
            let first = p.firstSlot(day: d, start: s.start)
            let n = s.channels.count
            guard n >= length else { continue }
            for o in 0...(n - length) {
                let clock = s.start + p.grid.startMinute(ofSlot: o)
                guard clock >= act.windowStart, clock + act.minutes <= act.windowEnd else { continue }
                var cost = 0.0, ok = true
                for i in o..<(o + length) {
                    let c = s.channels[i]
                    guard c >= 0 else { ok = false; break }
                    let t = first + i
                    let surplus = t < slots ? cover[c][t] - p.required[c][t] : 1
                    cost += (surplus <= 0 ? 1 : 0) - 1e-3 * Double(min(20, surplus))
                }
                if ok && (best == nil || cost < best!.cost - 1e-12) { best = (d, o, cost) }
            }
        }
        return best.map { ($0.day, $0.offset) }
    }
}

extension RosterConfig {
    /// `[[roster.activities]]` (see `RosterActivity`); errors name the table, line and key.
    static func parseActivities(_ r: inout Reader) throws(ConfigError) -> [RosterActivity] {
        guard let arr = try r.tables("activities") else { return [] }
        var out: [RosterActivity] = []
        for (i, t) in arr.enumerated() {
            var tr = Reader(table: t, path: "roster.activities[\(i + 1)]")
            try tr.onlyKeys(["name", "minutes", "per", "window_start", "window_end", "weekdays"])
            let name = try tr.requiredString("name")
            guard !RosterActivity.reservedNames.contains(name), !name.contains(",") else {
                throw tr.error("name", "\"\(name)\" is not an activity name (not work or break, no commas)")
            }
            if out.contains(where: { $0.name == name }) { throw tr.error("name", "activity \"\(name)\" is defined twice") }
            guard let minutes = try tr.int("minutes"), minutes > 0, minutes <= 8 * 60, minutes % RosterConfig.stepMinutes == 0 else {
                throw tr.error("minutes", "is required: 30-480 minutes in steps of \(RosterConfig.stepMinutes)")
            }
            let per =
                try tr.raw("per").map { v throws(ConfigError) -> String in
                    guard case .string(let s) = v, s == "week" || s == "day" else { throw tr.error("per", "expected \"week\" (once per agent and week) or \"day\" (every shift)") }
                    return s
                } ?? "week"
            let from = try tr.clock("window_start") ?? 0, to = try tr.clock("window_end") ?? 24 * 60
            guard to - from >= minutes else { throw tr.error("window_end", "the window \(formatClock(from))-\(formatClock(to)) is shorter than the activity's \(minutes) minutes") }
            var days: Set<Int>? = nil
            if let names = try tr.strings("weekdays") {
                var set = Set<Int>()
                for n in names {
                    guard let d = WorkspaceConfig.weekdayKeys.firstIndex(of: String(n.lowercased().prefix(3))) else {
                        throw tr.error("weekdays", "unknown weekday \"\(n)\" (Mon, Tue, Wed, Thu, Fri, Sat, Sun)")
                    }
                    set.insert(d)
                }
                guard !set.isEmpty else { throw tr.error("weekdays", "list at least one weekday, or leave the key out for any day") }
                days = set
            }
            out.append(RosterActivity(name: name, minutes: minutes, perWeek: per == "week", windowStart: from, windowEnd: to, weekdays: days))
        }
        return out
    }

    /// The activities as `[[roster.activities]]` tables (`parseActivities` of them gives them back).
    func activityTables() -> [TOMLTable] {
        activities.map { a in
            .build([
                ("name", .string(a.name)), ("minutes", .integer(a.minutes)), ("per", .string(a.perWeek ? "week" : "day")),
                ("window_start", .clock(a.windowStart)), ("window_end", .clock(a.windowEnd)),
                ("weekdays", a.weekdays.map { .strings(WorkspaceConfig.weekdayNames($0)) })
            ])
        }
    }
}
