import PlanningCore

/// The `[roster]` section of peakplan.toml: engine options, `[[roster.templates]]`, `[[roster.contracts]]`.
///
/// ```toml
/// [roster]
/// seed = 1
/// time_limit_seconds = 300      # wall-clock safety cap; the search stops after a fixed number of passes
/// late_end = "20:00"            # a shift ending after this is a late shift (fairness)
/// max_start_spread_hours = 2     # an agent's starts within a week lie within this (24 = no limit)
/// max_backward_rotation_hours = 2 # a shift starts at most this much earlier than the day before's (24 = no limit)
/// min_queue_block_minutes = 120  # an agent serves one queue at least this long before switching (0 = per interval)
/// presence_weight = 1            # the first agent on queues with requirement and nobody on them counts this much more
/// [roster.weights]               # optional, per soft rule id (defaults below)
/// coverage-shortfall = 1.0       # per short agent-interval
/// preferences = 0.5              # per preference missed
/// stable-start = 0.2             # per start more than an hour off the week's usual
/// fairness = 1.0                 # per point of weekend / late spread
/// [[roster.templates]]
/// name = "day8"
/// start_earliest = "06:00"
/// start_latest = "15:00"
/// start_step_minutes = 30
/// paid_hours = 8
/// break_minutes = 30             # unpaid
/// break_earliest_minutes = 180   # the break starts 3h-5h after the shift starts, placed by load
/// break_latest_minutes = 300     # (without these two: in the middle of the shift)
/// [[roster.contracts]]
/// name = "full_time"
/// min_hours_week = 32
/// max_hours_week = 40
/// max_consecutive_days = 5
/// days_off_per_week = 2
/// paired_days_off = true
/// min_rest_hours = 11
/// templates = ["day8"]
/// ```
/// Without `[[roster.templates]]` / `[[roster.contracts]]` the built-in ones below are used.
public struct RosterConfig: Sendable, Equatable {
    public var seed: UInt64 = 1
    /// Wall-clock safety cap of the improvement phase; the stopping rule is the engine's pass limit.
    public var timeLimitSeconds: Double = 300
    public var lateEndMinute: Int = 20 * 60
    /// Soft-rule weights by rule id (`[roster.weights]`); a rule not named keeps its default weight.
    public var weights: [String: Double] = [:]
    public var templates: [ShiftTemplate] = RosterConfig.builtInTemplates
    public var contracts: [Contract] = RosterConfig.builtInContracts
    /// Start limits and queue blocks (`max_start_spread_hours`, `max_backward_rotation_hours`, `min_queue_block_minutes`).
    public var workability = Workability()
    /// What the first agent on an otherwise empty pool of queues is worth per interval (`RosterProblem.presenceWeight`).
    public var presenceWeight: Double = 1
    /// Meetings, coaching, training placed in the shifts (`[[roster.activities]]`).
    public var activities: [RosterActivity] = []
    /// Templates that come from `[schedule]` (written there, not in `[roster]`).
    public var sharedTemplateIDs: Set<String> = []

    public init() {}

    /// Times and lengths in `[roster]` are in steps of this many minutes. The roster itself runs on the
    /// workspace grid (`RosterProblem.grid`): on a finer grid every configured time is a slot start; on a coarser
    /// one, starts off the grid are skipped and a shorter break takes its whole slot off the queues.
    public static let stepMinutes = 30

    public static let builtInTemplates: [ShiftTemplate] = [
        ShiftTemplate(
            name: "day8", startEarliest: 6 * 60, startLatest: 15 * 60, startStepMinutes: 30, paidHours: 8, breakMinutes: 30,
            breakWindow: 180...300),
        ShiftTemplate(
            name: "part6", startEarliest: 7 * 60, startLatest: 17 * 60, startStepMinutes: 30, paidHours: 6, breakMinutes: 30,
            breakWindow: 150...210),
        ShiftTemplate(name: "part4", startEarliest: 7 * 60, startLatest: 19 * 60, startStepMinutes: 30, paidHours: 4, breakMinutes: 0)
    ]
    public static let builtInContracts: [Contract] = [
        Contract(
            name: "full_time", minHoursWeek: 32, maxHoursWeek: 40, maxConsecutiveDays: 5, daysOffPerWeek: 2, pairedDaysOff: true,
            minRestHours: 11, templates: ["day8"]),
        Contract(
            name: "part_time", minHoursWeek: 16, maxHoursWeek: 24, maxConsecutiveDays: 5, daysOffPerWeek: 2, pairedDaysOff: false,
            minRestHours: 11, templates: ["part6", "part4"]),
        Contract(
            name: "flex", minHoursWeek: 12, maxHoursWeek: 30, maxConsecutiveDays: 4, daysOffPerWeek: 3, pairedDaysOff: false,
            minRestHours: 12, templates: ["day8", "part6", "part4"])
    ]

    /// Parses and validates `[roster]`; errors name the line and key (`roster.contracts[2].min_hours_week`).
    /// `schedule`: the `[schedule]` templates (on their grid); they join the roster's templates (in minutes, break
    /// windows kept) under their ids, so `[[roster.contracts]]` can name them: one template syntax for both.
    public static func parse(_ table: TOMLTable?, schedule: [ShiftTemplate] = []) throws(ConfigError) -> RosterConfig {
        var c = RosterConfig()
        guard let table else {
            c.addShared(schedule, own: false)
            return c
        }
        let known: Set<String> = [
            "seed", "time_limit_seconds", "late_end", "weights", "templates", "contracts", "max_start_spread_hours",
            "max_backward_rotation_hours", "min_queue_block_minutes", "activities", "presence_weight"
        ]
        for k in table.keys where !known.contains(k) {
            throw ConfigError(line: table.lines[k], key: "roster.\(k)", message: "unknown key (known: \(known.sorted().joined(separator: ", ")))")
        }
        var r = Reader(table: table, path: "roster")
        if let v = try r.int("seed") { guard v >= 0 else { throw r.error("seed", "must be >= 0") }; c.seed = UInt64(v) }
        if let v = try r.number("time_limit_seconds") { guard v > 0 else { throw r.error("time_limit_seconds", "must be > 0") }; c.timeLimitSeconds = v }
        if let v = try r.clock("late_end") { c.lateEndMinute = v }
        c.weights = try parseWeights(&r)
        c.workability = try parseWorkability(&r)
        c.activities = try parseActivities(&r)
        c.presenceWeight = try parsePresence(&r)
        let own = r.table["templates"] != nil
        if let arr = try r.tables("templates") {
            c.templates = []
            for (i, t) in arr.enumerated() { c.templates.append(try parseTemplate(t, index: i, defined: c.templates)) }
        }
        if let clash = schedule.first(where: { t in own && c.templates.contains { $0.name == t.id } }) {
            throw ConfigError(
                line: table.lines["templates"], key: "roster.templates",
                message: "template \"\(clash.id)\" is defined in [schedule] too: rename one (contracts name templates of both)")
        }
        c.addShared(schedule, own: own)
        if let arr = try r.tables("contracts") {
            c.contracts = []
            for (i, t) in arr.enumerated() {
                var tr = Reader(table: t, path: "roster.contracts[\(i + 1)]")
                try tr.onlyKeys(["name", "min_hours_week", "max_hours_week", "max_consecutive_days", "days_off_per_week", "paired_days_off", "min_rest_hours", "templates"])
                let name = try tr.requiredString("name")
                if c.contracts.contains(where: { $0.name == name }) { throw tr.error("name", "contract \"\(name)\" is defined twice") }
                let lo = try tr.number("min_hours_week") ?? 0, hi = try tr.number("max_hours_week") ?? 40
                guard lo >= 0 else { throw tr.error("min_hours_week", "must be >= 0") }
                guard hi >= lo else { throw tr.error("min_hours_week", "min_hours_week \(lo) is greater than max_hours_week \(hi)") }
                guard hi <= 84 else { throw tr.error("max_hours_week", "must be <= 84") }
                let consec = try tr.int("max_consecutive_days") ?? 6
                guard (1...14).contains(consec) else { throw tr.error("max_consecutive_days", "must be 1-14") }
                let off = try tr.int("days_off_per_week") ?? 1
                guard (0...6).contains(off) else { throw tr.error("days_off_per_week", "must be 0-6") }
                let paired = try tr.bool("paired_days_off") ?? false
                if paired && off < 2 { throw tr.error("paired_days_off", "needs days_off_per_week >= 2") }
                let rest = try tr.number("min_rest_hours") ?? 11
                guard rest >= 0, rest <= 48 else { throw tr.error("min_rest_hours", "must be 0-48") }
                guard let names = try tr.strings("templates"), !names.isEmpty else {
                    throw tr.error("templates", "contract \(name) allows no shift template: list at least one of \(c.templates.map(\.name).joined(separator: ", "))")
                }
                for n in names where !c.templates.contains(where: { $0.name == n }) {
                    throw tr.error("templates", "unknown template \"\(n)\" (defined: \(c.templates.map(\.name).joined(separator: ", ")))")
                }
                let maxPaid = Double(7 - off) * (names.compactMap { n in c.templates.first { $0.name == n }?.paidHours }.max() ?? 0)
                guard maxPaid >= lo else {
                    throw tr.error("min_hours_week", "\(lo) hours cannot be reached in \(7 - off) work days with templates \(names.joined(separator: ", "))")
                }
                c.contracts.append(
                    Contract(
                        name: name, minHoursWeek: lo, maxHoursWeek: hi, maxConsecutiveDays: consec, daysOffPerWeek: off,
                        pairedDaysOff: paired, minRestHours: rest, templates: names))
            }
        } else if r.table["templates"] != nil {
            // Own templates with the built-in contracts: the contracts must still name known templates.
            for k in c.contracts {
                for n in k.templates where !c.templates.contains(where: { $0.name == n }) {
                    throw ConfigError(
                        line: table.lines["templates"], key: "roster.contracts",
                        message: "built-in contract \(k.name) uses template \(n), which [[roster.templates]] does not define: define [[roster.contracts]] too")
                }
            }
        }
        return c
    }

    /// One `[[roster.templates]]` table; `defined`: the templates before it (a name may not repeat).
    static func parseTemplate(_ t: TOMLTable, index i: Int, defined: [ShiftTemplate]) throws(ConfigError) -> ShiftTemplate {
        var tr = Reader(table: t, path: "roster.templates[\(i + 1)]")
        try tr.onlyKeys([
            "name", "start_earliest", "start_latest", "start_step_minutes", "paid_hours", "break_minutes", "break_earliest_minutes",
            "break_latest_minutes"
        ])
        let name = try tr.requiredString("name")
        if defined.contains(where: { $0.name == name }) { throw tr.error("name", "template \"\(name)\" is defined twice") }
        let e = try tr.clock("start_earliest") ?? 0, l = try tr.clock("start_latest") ?? e
        guard l >= e else { throw tr.error("start_latest", "is before start_earliest") }
        let step = try tr.int("start_step_minutes") ?? 30
        guard step > 0, step % RosterConfig.stepMinutes == 0 else { throw tr.error("start_step_minutes", "must be a positive multiple of \(RosterConfig.stepMinutes)") }
        guard let paid = try tr.number("paid_hours") else { throw tr.error("paid_hours", "is required") }
        guard paid > 0, paid <= 16, Int((paid * 60).rounded()) % RosterConfig.stepMinutes == 0 else {
            throw tr.error("paid_hours", "must be > 0 and <= 16 in steps of half an hour")
        }
        let br = try tr.int("break_minutes") ?? 0
        guard br >= 0, br % RosterConfig.stepMinutes == 0, br <= 120 else { throw tr.error("break_minutes", "must be 0-120 in steps of \(RosterConfig.stepMinutes)") }
        let window = try breakWindow(&tr, paidHours: paid, breakMinutes: br)
        return
            (ShiftTemplate(
                name: name, startEarliest: e, startLatest: l, startStepMinutes: step, paidHours: paid, breakMinutes: br,
                breakWindow: window))
    }

    /// `max_start_spread_hours`, `max_backward_rotation_hours`, `min_queue_block_minutes` (defaults: `Workability()`).
    static func parseWorkability(_ r: inout Reader) throws(ConfigError) -> Workability {
        var w = Workability()
        for (key, path) in [("max_start_spread_hours", \Workability.maxStartSpreadMinutes), ("max_backward_rotation_hours", \Workability.maxBackwardRotationMinutes)] {
            guard let h = try r.number(key) else { continue }
            guard h >= 0, (h * 60).rounded() == h * 60 else { throw r.error(key, "must be a number of hours >= 0 in whole minutes (24 or more: no limit)") }
            w[keyPath: path] = h >= 24 ? nil : Int((h * 60).rounded())
        }
        if let v = try r.int("min_queue_block_minutes") {
            guard v >= 0, v <= 24 * 60 else { throw r.error("min_queue_block_minutes", "must be 0-1440 minutes (0: a queue per interval)") }
            w.minQueueBlockMinutes = v
        }
        return w
    }

    /// `presence_weight`: 0-100, default 1.
    static func parsePresence(_ r: inout Reader) throws(ConfigError) -> Double {
        guard let v = try r.number("presence_weight") else { return 1 }
        guard v >= 0, v <= 100 else { throw r.error("presence_weight", "must be 0-100 (0: off)") }
        return v
    }

    /// `break_earliest_minutes` / `break_latest_minutes` of a template (both or neither), on the step grid, the break
    /// ending inside the shift.
    static func breakWindow(_ tr: inout Reader, paidHours: Double, breakMinutes br: Int) throws(ConfigError) -> ClosedRange<Int>? {
        let e = try tr.int("break_earliest_minutes"), l = try tr.int("break_latest_minutes")
        guard e != nil || l != nil else { return nil }
        guard let e, let l else {
            throw tr.error(e == nil ? "break_earliest_minutes" : "break_latest_minutes", "give both break_earliest_minutes and break_latest_minutes, or neither")
        }
        guard br > 0 else { throw tr.error("break_earliest_minutes", "a break window needs break_minutes > 0") }
        let length = Int((paidHours * 60).rounded()) + br
        for (k, v) in [("break_earliest_minutes", e), ("break_latest_minutes", l)] {
            guard v >= 0, v % RosterConfig.stepMinutes == 0, v + br <= length else {
                throw tr.error(k, "must be 0-\(length - br) minutes after the shift start in steps of \(RosterConfig.stepMinutes) (the break ends inside the shift)")
            }
        }
        guard l >= e else { throw tr.error("break_latest_minutes", "is before break_earliest_minutes") }
        return e...l
    }

    /// Adds the `[schedule]` templates (in minutes) to the roster's; with no `[[roster.templates]]` (`own` false) a
    /// shared template replaces a built-in one of the same name.
    mutating func addShared(_ schedule: [ShiftTemplate], own: Bool) {
        for t in schedule {
            if !own { templates.removeAll { $0.name == t.id } }
            templates.append(t.inMinutes)
            sharedTemplateIDs.insert(t.id)
        }
    }

    /// `[roster.weights]`: a number > 0 per soft rule id (hard rules have no weight: they always hold).
    static func parseWeights(_ r: inout Reader) throws(ConfigError) -> [String: Double] {
        guard let w = try r.table("weights") else { return [:] }
        var wr = Reader(table: w, path: "roster.weights")
        var out: [String: Double] = [:]
        let soft = RuleRegistry.softIDs
        for k in w.keys {
            guard soft.contains(k) else {
                let why = RuleRegistry.hard.contains { $0.id == k } ? "\(k) is a hard rule: it always holds and takes no weight" : "unknown rule id"
                throw wr.error(k, "\(why); weighted rules are \(soft.joined(separator: ", "))")
            }
            guard let x = try wr.double(k), x > 0 else { throw wr.error(k, "a weight must be a number > 0") }
            out[k] = x
        }
        return out
    }

    /// The `[roster]` reader: the shared `TOMLReader` plus roster clock times and a key whitelist.
    typealias Reader = TOMLReader
}

extension TOMLReader {
    init(table: TOMLTable, path: String) { self.init(table, prefix: path + ".") }

    func onlyKeys(_ keys: Set<String>) throws(ConfigError) {
        for k in table.keys where !keys.contains(k) { throw error(k, "unknown key (known: \(keys.sorted().joined(separator: ", ")))") }
    }
    mutating func number(_ k: String) throws(ConfigError) -> Double? { try double(k) }
    mutating func requiredString(_ k: String) throws(ConfigError) -> String {
        guard let v = raw(k) else { throw error(k, "is required") }
        guard case .string(let s) = v, !s.isEmpty else { throw error(k, "expected a non-empty string, found \(v.typeName)") }
        return s
    }
    mutating func strings(_ k: String) throws(ConfigError) -> [String]? { try stringArray(k) }
    mutating func clock(_ k: String) throws(ConfigError) -> Int? {
        guard let v = raw(k) else { return nil }
        guard case .string(let s) = v, let m = parseClock(s), m % RosterConfig.stepMinutes == 0 else {
            throw error(k, "expected a time \"HH:MM\" on the \(RosterConfig.stepMinutes)-minute grid")
        }
        return m
    }
    mutating func tables(_ k: String) throws(ConfigError) -> [TOMLTable]? { try tableArray(k) }
}

/// "HH:MM" -> minutes after midnight (00:00-24:00).
public func parseClock(_ s: String) -> Int? { LocalDateTime.parseClock(s) }

/// `HH:MM` of minutes after midnight.
public func formatClock(_ minutes: Int) -> String { LocalDateTime.clock(minuteOfDay: minutes) }
