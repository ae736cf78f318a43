import PlanningCore

/// The `[schedule]` table of `peakplan.toml` (or of a `--rules FILE.toml`), parsed and validated here; every
/// error names its line and key. Times and lengths are minutes until a time grid is known (`problem(...)`).
///
/// ```toml
/// [schedule]
/// node_limit = 2000               # work limit: branch-and-bound nodes per part (0 = time-sliced search)
/// time_limit_seconds = 600         # wall-clock safety cap of one solve (reported when it stops the search)
/// relative_gap = 0.001             # a part stops searching within this gap of its bound
/// soft_understaffing_cost = 1000   # --soft: cost per short agent-hour on hard queues
/// soft_headcount_cost = 1000       # --soft: cost per shift above a head-count limit
/// break_placement = "implicit"     # or "explicit" (one column per break placement)
///
/// [schedule.weights]               # optional, per rule id (default 1)
/// paid-hours = 1.0
///
/// [[schedule.templates]]
/// id = "8h"
/// length = "8h30m"                 # span, breaks included ("8h", "45m", "8h30m" or minutes)
/// start_every = "30m"
/// earliest_start = "07:00"
/// latest_end = "24:00"             # with overnight = true it may be past midnight ("06:00" = next day)
/// overnight = false
/// breaks = [{ length = "30m", earliest = "3h", latest = "4h30m", paid = false }]   # offsets from the shift start
///
/// [[schedule.groups]]
/// id = "voice-team"
/// skills = ["voice", "chat:2"]     # queue[:level], level 1 = primary
/// cost_per_paid_hour = 1.0
/// templates = ["8h"]               # optional, default every template
/// max_agents_per_day = 120         # optional head-count limits
/// max_shifts_per_week = 500
///
/// [[schedule.queues]]              # optional, per queue
/// id = "email"
/// understaffing = "soft"           # "hard" (default) or "soft"
/// understaffing_cost = 40          # per short agent-hour, with "soft"
/// ```
public struct ScheduleConfig: Sendable, Equatable {
    public struct Break: Sendable, Equatable {
        public var lengthMinutes: Int, earliestMinutes: Int, latestMinutes: Int
        public var paid: Bool
        public var line: Int?
    }

    public struct Template: Sendable, Equatable {
        public var id: String
        public var lengthMinutes: Int
        public var startEveryMinutes: Int
        public var earliestStartMinute: Int
        /// Minutes after the start day's midnight (past 24:00 for overnight templates).
        public var latestEndMinute: Int
        public var overnight: Bool
        public var breaks: [Break]
        public var line: Int?
        public var key: String
    }

    /// A configured agent group: the shared `AgentGroup` and the line it was declared on.
    @dynamicMemberLookup
    public struct Group: Sendable, Equatable {
        public var group: AgentGroup
        public var line: Int?
        public subscript<T>(dynamicMember key: KeyPath<AgentGroup, T>) -> T { group[keyPath: key] }
    }

    public struct Queue: Sendable, Equatable {
        public var id: String
        public var understaffing: Understaffing
        public var line: Int?
    }

    /// Wall-clock safety cap; the stopping rule is `work`.
    public var timeLimitSeconds: Double = 600
    /// Deterministic work limit (nil: the older time-sliced search, `node_limit = 0`).
    public var work: WorkLimit? = WorkLimit()
    public var relativeGap: Double = 0.001
    public var settings = RuleSettings()
    public var templates: [Template] = []
    public var groups: [Group] = []
    public var queues: [Queue] = []

    public init() {}

    /// Parses the table found at `schedule` (its keys, not the root).
    public static func parse(_ table: TOMLTable, prefix: String = "schedule.") throws(ConfigError) -> ScheduleConfig {
        var c = ScheduleConfig()
        var r = TableReader(table, prefix)
        if let x = try r.double("time_limit_seconds") {
            guard x > 0, x <= Double(TimeGrid.secondsPerDay) else { throw r.error("time_limit_seconds", "\(x) must be in (0, \(TimeGrid.secondsPerDay)]") }
            c.timeLimitSeconds = x
        }
        if let x = try r.int("node_limit") {
            guard x >= 0, x <= 10_000_000 else { throw r.error("node_limit", "\(x) must be in [0, 10000000] (0: time-sliced search)") }
            c.work = x == 0 ? nil : WorkLimit(nodes: x)
        }
        if let x = try r.double("relative_gap") {
            guard x >= 0, x < 1 else { throw r.error("relative_gap", "\(x) must be in [0, 1)") }
            c.relativeGap = x
        }
        if let x = try r.double("soft_understaffing_cost") {
            guard x > 0 else { throw r.error("soft_understaffing_cost", "\(x) must be > 0") }
            c.settings.softUnderstaffingCost = x
        }
        if let x = try r.double("soft_headcount_cost") {
            guard x > 0 else { throw r.error("soft_headcount_cost", "\(x) must be > 0") }
            c.settings.headcountExcessCost = x
        }
        if let s = try r.string("break_placement") {
            guard let b = BreakPlacement(rawValue: s) else { throw r.error("break_placement", "\"\(s)\" is not a break placement; use implicit or explicit") }
            c.settings.breakPlacement = b
        }
        if let w = try r.table("weights") { c.settings.weights.merge(try weights(w, prefix: prefix)) { _, new in new } }
        if let ts = try r.tableArray("templates") { c.templates = try templates(ts, prefix: prefix) }
        if let gs = try r.tableArray("groups") { c.groups = try groups(gs, prefix: prefix) }
        if let qs = try r.tableArray("queues") { c.queues = try queues(qs, prefix: prefix) }
        for (i, g) in c.groups.enumerated() {
            for t in g.templates ?? [] where !c.templates.contains(where: { $0.id == t }) {
                throw ConfigError(line: g.line, key: prefix + "groups[\(i)].templates",
                                  message: "template \"\(t)\" is not declared (templates: \(c.templates.map(\.id).joined(separator: ", ")))")
            }
        }
        try r.rejectUnknown()
        return c
    }

    /// `[schedule.weights]`: a weight > 0 per known rule id.
    static func weights(_ w: TOMLTable, prefix: String) throws(ConfigError) -> [String: Double] {
        var out: [String: Double] = [:]
        var wr = TableReader(w, prefix + "weights.")
        for k in w.keys {
            guard RuleRegistry.ids.contains(k) else {
                throw wr.error(k, "unknown rule id; rules are \(RuleRegistry.ids.joined(separator: ", "))")
            }
            guard let x = try wr.double(k), x > 0 else { throw wr.error(k, "a weight must be a number > 0") }
            out[k] = x
        }
        return out
    }

    /// `[[schedule.templates]]` with their break windows.
    static func templates(_ ts: [TOMLTable], prefix: String) throws(ConfigError) -> [Template] {
        var out: [Template] = []
        var seen = Set<String>()
        for (i, t) in ts.enumerated() {
            var tr = TableReader(t, prefix + "templates[\(i)].")
            guard let id = try tr.string("id"), !id.isEmpty else { throw ConfigError(line: t.line, key: tr.prefix + "id", message: "every template needs an id") }
            guard seen.insert(id).inserted else { throw tr.error("id", "template \"\(id)\" is declared twice") }
            guard let length = try tr.minutes("length") else { throw ConfigError(line: t.line, key: tr.prefix + "length", message: "missing: the span of the shift, breaks included, e.g. \"8h30m\"") }
            guard length > 0, length <= TimeGrid.minutesPerDay else { throw tr.error("length", "must be between 1 minute and 24 hours") }
            let every = try tr.minutes("start_every") ?? 30
            guard every > 0 else { throw tr.error("start_every", "must be > 0") }
            let overnight = try tr.bool("overnight") ?? false
            let earliest = try tr.clock("earliest_start") ?? 0
            let day = TimeGrid.minutesPerDay
            guard earliest < day else { throw tr.error("earliest_start", "must be before 24:00") }
            var latest = try tr.clock("latest_end") ?? (overnight ? earliest + day : day)
            if overnight && latest <= earliest { latest += day }
            if !overnight && latest > day { throw tr.error("latest_end", "is past midnight; set overnight = true for shifts that cross midnight") }
            guard latest - earliest >= length else {
                throw tr.error("latest_end", "leaves \(latest - earliest) minutes after earliest_start, less than the \(length)-minute length: no shift fits")
            }
            var breaks: [Break] = []
            if let bs = try tr.tableArray("breaks") {
                for (k, b) in bs.enumerated() {
                    var br = TableReader(b, tr.prefix + "breaks[\(k)].")
                    guard let len = try br.minutes("length"), len > 0 else { throw ConfigError(line: b.line == 0 ? tr.line("breaks") : b.line, key: br.prefix + "length", message: "missing or zero: the break length, e.g. \"30m\"") }
                    guard let e = try br.minutes("earliest") else { throw ConfigError(line: b.line == 0 ? tr.line("breaks") : b.line, key: br.prefix + "earliest", message: "missing: earliest break start after the shift start, e.g. \"3h\"") }
                    let l = try br.minutes("latest") ?? e
                    guard l >= e else { throw br.error("latest", "is before earliest") }
                    guard l + len <= length else { throw br.error("latest", "a break starting \(l) minutes in would end after the \(length)-minute shift") }
                    let line = b.line == 0 ? tr.line("breaks") : b.line
                    if let prev = breaks.last, e < prev.latestMinutes + prev.lengthMinutes {
                        throw ConfigError(line: line, key: br.prefix + "earliest",
                                          message: "break windows of one template must not overlap: this break may start at \(e) minutes, the previous one may end at \(prev.latestMinutes + prev.lengthMinutes)")
                    }
                    breaks.append(Break(lengthMinutes: len, earliestMinutes: e, latestMinutes: l, paid: try br.bool("paid") ?? false, line: line))
                    try br.rejectUnknown()
                }
            }
            out.append(Template(id: id, lengthMinutes: length, startEveryMinutes: every, earliestStartMinute: earliest,
                                        latestEndMinute: latest, overnight: overnight, breaks: breaks, line: t.line, key: tr.prefix.dropLast().description))
            try tr.rejectUnknown()
        }
        return out
    }

    /// `[[schedule.groups]]`: skills with levels, cost, templates, head-count limits.
    static func groups(_ gs: [TOMLTable], prefix: String) throws(ConfigError) -> [Group] {
        var out: [Group] = []
        var seen = Set<String>()
        for (i, t) in gs.enumerated() {
            var gr = TableReader(t, prefix + "groups[\(i)].")
            guard let id = try gr.string("id"), !id.isEmpty else { throw ConfigError(line: t.line, key: gr.prefix + "id", message: "every group needs an id") }
            guard seen.insert(id).inserted else { throw gr.error("id", "group \"\(id)\" is declared twice") }
            guard let sk = try gr.stringArray("skills"), !sk.isEmpty else { throw ConfigError(line: t.line, key: gr.prefix + "skills", message: "missing: the queues this group works, e.g. [\"voice\", \"chat:2\"]") }
            var skills: [Skill] = []
            for s in sk {
                let parts = s.split(separator: ":", maxSplits: 1).map(String.init)
                guard let q = parts.first, !q.isEmpty else { throw gr.error("skills", "empty skill") }
                var level = 1
                if parts.count == 2 {
                    guard let l = Int(parts[1]), l >= 1, l <= 9 else { throw gr.error("skills", "\"\(s)\": the level after ':' must be 1-9") }
                    level = l
                }
                guard !skills.contains(where: { $0.queue == q }) else { throw gr.error("skills", "queue \(q) is listed twice") }
                skills.append(Skill(queue: q, level: level))
            }
            let cost = try gr.double("cost_per_paid_hour") ?? 1
            guard cost > 0 else { throw gr.error("cost_per_paid_hour", "\(cost) must be > 0") }
            let tl = try gr.stringArray("templates")
            let perDay = try gr.int("max_agents_per_day")
            if let m = perDay, m < 0 { throw gr.error("max_agents_per_day", "must be >= 0") }
            let perWeek = try gr.int("max_shifts_per_week")
            if let m = perWeek, m < 0 { throw gr.error("max_shifts_per_week", "must be >= 0") }
            out.append(Group(group: AgentGroup(id: id, skills: skills, costPerPaidHour: cost, templates: tl, maxAgentsPerDay: perDay,
                                  maxShiftsPerWeek: perWeek), line: t.line))
            try gr.rejectUnknown()
        }
        return out
    }

    /// `[[schedule.queues]]`: hard or priced understaffing.
    static func queues(_ qs: [TOMLTable], prefix: String) throws(ConfigError) -> [Queue] {
        var out: [Queue] = []
        var seen = Set<String>()
        for (i, t) in qs.enumerated() {
            var qr = TableReader(t, prefix + "queues[\(i)].")
            guard let id = try qr.string("id"), !id.isEmpty else { throw ConfigError(line: t.line, key: qr.prefix + "id", message: "every queue entry needs an id") }
            guard seen.insert(id).inserted else { throw qr.error("id", "queue \"\(id)\" is declared twice") }
            var u = Understaffing.hard
            let mode = try qr.string("understaffing") ?? "hard"
            switch mode {
            case "hard": if qr.has("understaffing_cost") { throw qr.error("understaffing_cost", "only applies with understaffing = \"soft\"") }
            case "soft":
                guard let cost = try qr.double("understaffing_cost"), cost > 0 else {
                    throw ConfigError(line: qr.line("understaffing") ?? t.line, key: qr.prefix + "understaffing_cost", message: "a soft queue needs understaffing_cost > 0 (cost per short agent-hour)")
                }
                u = .soft(costPerAgentHour: cost)
            default: throw qr.error("understaffing", "\"\(mode)\" is not hard or soft")
            }
            _ = try qr.double("understaffing_cost")
            out.append(Queue(id: id, understaffing: u, line: t.line))
            try qr.rejectUnknown()
        }
        return out
    }

    /// Checks the config can describe a schedule at all (templates and groups present).
    public func requireComplete(prefix: String = "schedule.") throws(ConfigError) {
        if templates.isEmpty { throw ConfigError(line: nil, key: prefix + "templates", message: "no shift templates: add at least one [[schedule.templates]]") }
        if groups.isEmpty { throw ConfigError(line: nil, key: prefix + "groups", message: "no agent groups: add at least one [[schedule.groups]]") }
    }

    /// The scheduling problem on a grid of `intervalMinutes` from civil day `firstDay` for `days` days, with
    /// requirements per queue id (absolute periods). Lengths and times must sit on the grid.
    public func problem(name: String, intervalMinutes: Int, firstDay: Int64, days: Int,
                        requirements: [(queue: String, perPeriod: [Double])], prefix: String = "schedule.") throws(ConfigError) -> ScheduleProblem {
        try requireComplete(prefix: prefix)
        let iv = intervalMinutes
        func onGrid(_ m: Int, _ line: Int?, _ key: String, _ what: String) throws(ConfigError) -> Int {
            guard m % iv == 0 else {
                throw ConfigError(line: line, key: key, message: "\(what) \(Self.formatMinutes(m)) is not a multiple of the \(iv)-minute planning interval")
            }
            return m / iv
        }
        let grid = TimeGrid(validMinutes: iv) ?? .halfHour  // the configured interval, validated when read
        var tps: [ShiftTemplate] = []
        for t in templates {
            var brs: [BreakRule] = []
            for (k, b) in t.breaks.enumerated() {
                let bk = t.key + ".breaks[\(k)]"
                brs.append(BreakRule(durationPeriods: try onGrid(b.lengthMinutes, b.line, bk + ".length", "length"),
                                     earliestOffset: try onGrid(b.earliestMinutes, b.line, bk + ".earliest", "earliest"),
                                     latestOffset: try onGrid(b.latestMinutes, b.line, bk + ".latest", "latest"), paid: b.paid))
            }
            tps.append(ShiftTemplate(id: t.id, spanPeriods: try onGrid(t.lengthMinutes, t.line, t.key + ".length", "length"),
                                     startStep: try onGrid(t.startEveryMinutes, t.line, t.key + ".start_every", "start_every"),
                                     earliestStart: try onGrid(t.earliestStartMinute, t.line, t.key + ".earliest_start", "earliest_start"),
                                     latestEnd: try onGrid(t.latestEndMinute, t.line, t.key + ".latest_end", "latest_end"), breaks: brs,
                                     grid: grid))
        }
        // With overnight templates, a lead-in day without requirements lets night shifts that start the evening
        // before the first day cover its early hours.
        let leadIn = templates.contains { $0.overnight } ? 1 : 0
        let P = TimeGrid.slotsPerDay(minutes: iv)
        var qs: [QueueSpec] = []
        for (q, req) in requirements {
            let policy = queues.first { $0.id == q }?.understaffing ?? .hard
            qs.append(QueueSpec(id: q, requirement: [Double](repeating: 0, count: leadIn * P) + req, understaffing: policy))
        }
        let gs = groups.map(\.group)
        return ScheduleProblem(name: name, intervalMinutes: iv, firstDay: firstDay - Int64(leadIn), days: days + leadIn, queues: qs, groups: gs, templates: tps)
    }

    /// The templates counted in minutes (`TimeGrid.minute`, any planning interval): what the roster shares.
    public var minuteTemplates: [ShiftTemplate] {
        templates.map { t in
            ShiftTemplate(id: t.id, spanPeriods: t.lengthMinutes, startStep: t.startEveryMinutes, earliestStart: t.earliestStartMinute,
                          latestEnd: t.latestEndMinute,
                          breaks: t.breaks.map { BreakRule(durationPeriods: $0.lengthMinutes, earliestOffset: $0.earliestMinutes, latestOffset: $0.latestMinutes, paid: $0.paid) },
                          grid: .minute)
        }
    }

    public static func formatMinutes(_ m: Int) -> String {
        let h = m / 60, mi = m % 60
        if h == 0 { return "\(mi)m" }
        return mi == 0 ? "\(h)h" : "\(h)h\(mi)m"
    }
}

/// The `[schedule]` reader: the shared `TOMLReader` plus lengths and clock times.
typealias TableReader = TOMLReader

extension TOMLReader {
    init(_ table: TOMLTable, _ prefix: String) { self.init(table, prefix: prefix) }

    /// A length: "8h", "30m", "8h30m", "1h15m" or an integer number of minutes.
    mutating func minutes(_ k: String) throws(ConfigError) -> Int? {
        guard let v = raw(k) else { return nil }
        switch v {
        case .integer(let i):
            guard i >= 0 else { throw error(k, "\(i) must be >= 0 minutes") }
            return i
        case .string(let s):
            guard let m = Self.parseDuration(s) else { throw error(k, "\"\(s)\" is not a length; write e.g. \"8h\", \"30m\" or \"8h30m\"") }
            return m
        default: throw typeError(k, "a length such as \"8h30m\"", v)
        }
    }

    /// A time of day "HH:MM" (00:00 ... 48:00), as minutes after midnight.
    mutating func clock(_ k: String) throws(ConfigError) -> Int? {
        guard let v = raw(k) else { return nil }
        guard case .string(let s) = v else { throw typeError(k, "a time such as \"07:30\"", v) }
        let parts = s.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]), h >= 0, h <= 48, m >= 0, m < 60, h * 60 + m <= 2 * TimeGrid.minutesPerDay else {
            throw error(k, "\"\(s)\" is not a time of day; write HH:MM, e.g. \"07:30\" (24:00 = midnight at the end of the day)")
        }
        return h * 60 + m
    }

    static func parseDuration(_ s: String) -> Int? {
        var total = 0, number = 0, any = false, digits = false
        for ch in s.lowercased() where ch != " " {
            if let d = ch.wholeNumberValue, ch.isASCII { number = number * 10 + d; digits = true; continue }
            guard digits else { return nil }
            switch ch {
            case "h": total += number * 60
            case "m": total += number
            default: return nil
            }
            number = 0; digits = false; any = true
        }
        if digits { return nil }
        return any ? total : nil
    }

    func rejectUnknown() throws(ConfigError) {
        try rejectUnknown(hint: "see `peakplan schedule --help` for the [schedule] keys")
    }
}
