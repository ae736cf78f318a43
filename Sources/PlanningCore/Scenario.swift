/// A what-if scenario from `[scenarios.NAME]` in peakplan.toml, applied by `peakplan plan --scenario NAME`
/// to a copy of the workspace, so its results sit beside the baseline's.
///
///     [scenarios.card_rush]
///     description = "+20% voice on days 1-5"
///     [[scenarios.card_rush.volume]]     # forecast volume change (repeatable)
///     channel = "voice"                  # optional: every channel
///     from = "2000-01-01"                # optional date range (inclusive)
///     to = "2000-01-14"
///     days_of_month = [1, 2, 3, 4, 5]    # optional
///     change = 0.20                      # +20%
///     [[scenarios.card_rush.aht]]        # handle-time change: channel, from, to, days_of_month, change
///     [[scenarios.card_rush.events]]     # added calendar events: date, name, kind, channel, lead_days, lag_days,
///                                        # change: the day's total change against a normal day (0.5 = +50%),
///                                        # replacing the effect learnt from history (see EventSize)
///     [scenarios.card_rush.service]      # target overrides: service_level, answer_seconds, max_occupancy, shrinkage
///     [[scenarios.card_rush.cross_training]]  # skills added to / removed from a [schedule] agent group
///     group = "sales"
///     add = ["pe:2"]                     # queue[:level]
///     remove = ["ps"]
public struct Scenario: Equatable, Sendable {
    /// A change of one agent group's skills in `[schedule]`.
    public struct CrossTraining: Equatable, Sendable {
        public var group: String
        /// Skills to add (`queue[:level]` in the file).
        public var add: [Skill]
        /// Queues to remove (a `:level` suffix in the file is ignored).
        public var remove: [String]
    }

    public struct Change: Equatable, Sendable {
        public var channel: String?
        public var fromDay: Int64?
        public var toDay: Int64?
        public var daysOfMonth: [Int]
        public var change: Double

        /// Whether the change applies on a local day to a channel.
        public func applies(day: Int64, channel ch: String) -> Bool {
            if let c = channel, c != ch { return false }
            if let f = fromDay, day < f { return false }
            if let t = toDay, day > t { return false }
            if !daysOfMonth.isEmpty && !daysOfMonth.contains(Civil.civilFromDays(day).day) { return false }
            return true
        }
    }

    /// An event's stated size: the event day's total change against a normal day (the forecast of that day
    /// without this event), whatever effect the history shows for it. One meaning everywhere; precedence:
    /// a scenario's size > a planner override (`peakplan forecast adjust`) > the learnt effect.
    public struct EventSize: Equatable, Sendable {
        public var event: CalendarEvent
        /// Relative change of the day's total, e.g. 1.5 for +150% (the day is 2.5 normal days).
        public var change: Double
        public init(event: CalendarEvent, change: Double) {
            self.event = event
            self.change = change
        }
    }

    public var name: String
    public var description: String
    public var volume: [Change] = []
    public var aht: [Change] = []
    public var events: [CalendarEvent] = []
    /// Added events with a stated size (`change` in `[[scenarios.NAME.events]]`).
    public var eventSizes: [EventSize] = []
    public var serviceLevel: Double?
    public var answerSeconds: Double?
    public var maxOccupancy: Double?
    public var shrinkage: Double?
    public var crossTraining: [CrossTraining] = []

    public static func names(in config: WorkspaceConfig) -> [String] {
        config.sections["scenarios"]?.keys ?? []
    }

    /// Parses scenario `name`; errors name the line and key.
    public static func parse(_ config: WorkspaceConfig, name: String) throws(ConfigError) -> Scenario {
        guard let all = config.sections["scenarios"] else {
            throw ConfigError(line: nil, key: "scenarios.\(name)", message: "no [scenarios] in peakplan.toml; add [scenarios.\(name)]")
        }
        guard case .table(let t)? = all[name] else {
            throw ConfigError(line: all.line, key: "scenarios.\(name)",
                              message: "no scenario \"\(name)\" (have: \(all.keys.joined(separator: ", ")))")
        }
        if let why = InputRules.problem(withName: name, use: .identifier) {
            throw ConfigError(line: all.line, key: "scenarios.\(name)", message: "scenario name \(why) (it names the scenario's folder): " + InputRules.nameFix)
        }
        let prefix = "scenarios.\(name)."
        var s = Scenario(name: name, description: "")
        func err(_ k: String, _ line: Int?, _ m: String) -> ConfigError { ConfigError(line: line ?? t.line, key: prefix + k, message: m) }
        for k in t.keys {
            let v = t[k]!
            let line = t.lines[k]
            switch (k, v) {
            case ("description", .string(let d)): s.description = d
            case ("volume", .array(let a)), ("aht", .array(let a)):
                var list: [Change] = []
                for (i, e) in a.enumerated() {
                    guard case .table(let ct) = e else { throw err(k, line, "expected [[\(prefix)\(k)]] tables") }
                    list.append(try change(ct, key: "\(prefix)\(k)[\(i)]"))
                }
                if k == "volume" { s.volume = list } else { s.aht = list }
            case ("events", .array(let a)):
                for (i, e) in a.enumerated() {
                    guard case .table(let et) = e else { throw err(k, line, "expected [[\(prefix)events]] tables") }
                    let (ev, change) = try event(et, key: "\(prefix)events[\(i)]")
                    s.events.append(ev)
                    // A stated size: the event day's total change against a normal day (it replaces the learnt effect).
                    if let c = change { s.eventSizes.append(EventSize(event: ev, change: c)) }
                }
            case ("cross_training", .array(let a)):
                for (i, e) in a.enumerated() {
                    guard case .table(let ct) = e else { throw err(k, line, "expected [[\(prefix)cross_training]] tables") }
                    s.crossTraining.append(try crossTraining(ct, key: "\(prefix)cross_training[\(i)]"))
                }
            case ("service", .table(let st)):
                for sk in st.keys {
                    let sl = st.lines[sk]
                    guard let x = number(st[sk]!) else { throw ConfigError(line: sl, key: prefix + "service." + sk, message: "expected a number") }
                    switch sk {
                    case "service_level", "max_occupancy":
                        guard x > 0 && x <= 1 else { throw ConfigError(line: sl, key: prefix + "service." + sk, message: "\(x) must be in (0, 1]") }
                        if sk == "service_level" { s.serviceLevel = x } else { s.maxOccupancy = x }
                    case "answer_seconds":
                        guard x >= 0 else { throw ConfigError(line: sl, key: prefix + "service." + sk, message: "\(x) must be >= 0") }
                        s.answerSeconds = x
                    case "shrinkage":
                        guard x >= 0 && x < 1 else { throw ConfigError(line: sl, key: prefix + "service." + sk, message: "\(x) must be in [0, 1)") }
                        s.shrinkage = x
                    default: throw ConfigError(line: sl, key: prefix + "service." + sk, message: "unknown key; use service_level, answer_seconds, max_occupancy or shrinkage")
                    }
                }
            default:
                throw err(k, line, "unknown key or wrong type; use description, [[volume]], [[aht]], [[events]], [[cross_training]] or [service]")
            }
        }
        if s.volume.isEmpty && s.aht.isEmpty && s.events.isEmpty && s.serviceLevel == nil && s.answerSeconds == nil
            && s.maxOccupancy == nil && s.shrinkage == nil && s.crossTraining.isEmpty {
            throw err("", nil, "the scenario changes nothing: give [[volume]], [[aht]], [[events]], [[cross_training]] or [service]")
        }
        return s
    }

    static func crossTraining(_ t: TOMLTable, key: String) throws(ConfigError) -> CrossTraining {
        var c = CrossTraining(group: "", add: [], remove: [])
        for k in t.keys {
            let v = t[k]!, line = t.lines[k]
            switch (k, v) {
            case ("group", .string(let g)): c.group = g
            case ("add", .array(let a)), ("remove", .array(let a)):
                for e in a {
                    guard case .string(let q) = e, !q.isEmpty else { throw ConfigError(line: line, key: "\(key).\(k)", message: "expected strings such as \"pe:2\"") }
                    let parts = q.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                    if k == "add" {
                        guard parts.count <= 2, !parts[0].isEmpty, parts.count == 1 || Int(parts[1]).map({ $0 >= 1 }) == true else {
                            throw ConfigError(line: line, key: "\(key).add", message: "\"\(q)\" is not queue[:level] (level an integer >= 1)")
                        }
                        c.add.append(Skill(queue: parts[0], level: parts.count == 2 ? Int(parts[1])! : 1))
                    } else {
                        c.remove.append(parts[0])
                    }
                }
            default: throw ConfigError(line: line, key: "\(key).\(k)", message: "unknown key or wrong type; use group, add, remove")
            }
        }
        guard !c.group.isEmpty else { throw ConfigError(line: t.line, key: "\(key).group", message: "missing: the [schedule] group whose skills change") }
        guard !c.add.isEmpty || !c.remove.isEmpty else { throw ConfigError(line: t.line, key: "\(key)", message: "give add = [...] or remove = [...]") }
        return c
    }

    /// Applies the cross-training changes to the `[schedule]` agent groups: removed queues leave a group's skills,
    /// added ones replace any skill on the same queue (level 1 unless `queue:level`). Errors name the scenario key
    /// when a group is unknown or a removed skill is not the group's.
    public func applyCrossTraining(to groups: inout [AgentGroup]) throws(ConfigError) {
        for (i, c) in crossTraining.enumerated() {
            let key = "scenarios.\(name).cross_training[\(i)]"
            guard let gi = groups.firstIndex(where: { $0.id == c.group }) else {
                throw ConfigError(line: nil, key: key + ".group", message: "no [[schedule.groups]] with id \"\(c.group)\" (groups: \(groups.map(\.id).joined(separator: ", ")))")
            }
            var skills = groups[gi].skills
            for r in c.remove {
                guard skills.contains(where: { $0.queue == r }) else {
                    let has = skills.map { $0.level == 1 ? $0.queue : "\($0.queue):\($0.level)" }.joined(separator: ", ")
                    throw ConfigError(line: nil, key: key + ".remove", message: "group \(c.group) has no skill \(r) (has: \(has))")
                }
                skills.removeAll { $0.queue == r }
            }
            for a in c.add {
                skills.removeAll { $0.queue == a.queue }
                skills.append(a)
            }
            groups[gi].skills = skills
        }
    }

    static func number(_ v: TOMLValue) -> Double? {
        switch v { case .integer(let i): return Double(i); case .double(let d): return d; default: return nil }
    }

    static func change(_ t: TOMLTable, key: String) throws(ConfigError) -> Change {
        var c = Change(channel: nil, fromDay: nil, toDay: nil, daysOfMonth: [], change: .nan)
        for k in t.keys {
            let v = t[k]!, line = t.lines[k]
            switch (k, v) {
            case ("channel", .string(let s)): c.channel = s
            case ("from", .string(let s)), ("to", .string(let s)):
                guard let d = Civil.parseDate(s) else { throw ConfigError(line: line, key: "\(key).\(k)", message: "\"\(s)\" is not a date: write YYYY-MM-DD") }
                if k == "from" { c.fromDay = d } else { c.toDay = d }
            case ("days_of_month", .array(let a)):
                for e in a {
                    guard case .integer(let d) = e, (1...31).contains(d) else { throw ConfigError(line: line, key: "\(key).days_of_month", message: "days of the month are integers 1-31") }
                    c.daysOfMonth.append(d)
                }
            case ("change", _):
                guard let x = number(v), x > -1, x < 100 else { throw ConfigError(line: line, key: "\(key).change", message: "a relative change such as 0.2 (+20%) or -0.1, above -1") }
                c.change = x
            default: throw ConfigError(line: line, key: "\(key).\(k)", message: "unknown key or wrong type; use channel, from, to, days_of_month, change")
            }
        }
        guard !c.change.isNaN else { throw ConfigError(line: t.line, key: "\(key).change", message: "missing: the relative change, e.g. 0.2 for +20%") }
        if let f = c.fromDay, let to = c.toDay, f > to { throw ConfigError(line: t.line, key: "\(key).from", message: "from is after to") }
        return c
    }

    static func event(_ t: TOMLTable, key: String) throws(ConfigError) -> (CalendarEvent, Double?) {
        var day: Int64?, name: String?, kind = EventKind.custom, channel: String?, lead = 0, lag = 0, change: Double?
        for k in t.keys {
            let v = t[k]!, line = t.lines[k]
            switch (k, v) {
            case ("date", .string(let s)):
                guard let d = Civil.parseDate(s) else { throw ConfigError(line: line, key: "\(key).date", message: "\"\(s)\" is not a date: write YYYY-MM-DD") }
                day = d
            case ("name", .string(let s)): name = s
            case ("kind", .string(let s)):
                guard let kd = EventKind(rawValue: s) else { throw ConfigError(line: line, key: "\(key).kind", message: "use one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))") }
                kind = kd
            case ("channel", .string(let s)): channel = s
            case ("lead_days", .integer(let i)), ("lag_days", .integer(let i)):
                guard (0...366).contains(i) else { throw ConfigError(line: line, key: "\(key).\(k)", message: "0-366 days") }
                if k == "lead_days" { lead = i } else { lag = i }
            case ("change", _):
                guard let x = number(v), x > -1, x < 100 else { throw ConfigError(line: line, key: "\(key).change", message: "the day's total change against a normal day, such as 0.5 (+50%), above -1") }
                change = x
            default: throw ConfigError(line: line, key: "\(key).\(k)", message: "unknown key or wrong type; use date, name, kind, channel, lead_days, lag_days, change")
            }
        }
        guard let d = day, let n = name, !n.isEmpty else { throw ConfigError(line: t.line, key: key, message: "an event needs a date and a name") }
        if let why = InputRules.problem(withName: n, use: .label) { throw ConfigError(line: t.line, key: "\(key).name", message: "event name \(why): " + InputRules.nameFix) }
        return (CalendarEvent(day: d, name: n, kind: kind, channel: channel, leadDays: lead, lagDays: lag), change)
    }
}
