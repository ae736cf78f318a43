/// The workspace configuration, `peakplan.toml`. All defaults live here, in one place.
///
/// Versioned by `format_version`; a file from a newer PeakPlan is refused with a clear message.
public struct WorkspaceConfig: Equatable, Sendable {
    public static let currentFormatVersion = 1
    public static let fileName = "peakplan.toml"

    public var formatVersion: Int = WorkspaceConfig.currentFormatVersion
    /// IANA name (`Asia/Shanghai`) or fixed offset (`+02:00`, `UTC`). Timestamps in files are wall-clock
    /// times in this zone.
    public var timeZone: String = "UTC"
    /// Planning interval in minutes; also used for a channel whose interval cannot be detected from its rows.
    public var intervalMinutes: Int = 30
    /// Non-business weekdays, ISO order 0 = Monday ... 6 = Sunday.
    public var weekend: [Int] = [5, 6]
    public var service = ServiceTargets()
    public var channels: [ChannelConfig] = []
    public var rules: [CalendarRule] = [.monthStart(name: "month start", firstDay: 1, lastDay: 5)]
    /// Tables owned and validated by other modules (`[staffing]`, `[schedule]`, `[roster]`, `[routing]`, `[plan]`,
    /// `[scenarios]`), kept raw here with their line numbers; each owner parses its own table.
    public var sections: [String: TOMLTable] = [:]
    public static let delegatedSections = ["staffing", "schedule", "roster", "routing", "plan", "scenarios"]

    public init() {}

    public func channel(named n: String) -> ChannelConfig? { channels.first { $0.name == n } }

    public static let weekdayKeys = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public func zone() throws(ConfigError) -> ZoneRules {
        do { return try ZoneRules(timeZone) } catch {
            throw ConfigError(line: nil, key: "time_zone", message: error.description)
        }
    }
}

public struct ConfigError: Error, CustomStringConvertible, Equatable, Sendable {
    public var line: Int?
    public var key: String
    public var message: String
    public init(line: Int?, key: String, message: String) { self.line = line; self.key = key; self.message = message }
    public var description: String {
        (line.map { "line \($0), " } ?? "") + "key \(key): \(message)"
    }
}

extension WorkspaceConfig {
    /// Reads a configuration from TOML text. Unknown keys are errors (a typo must not be silently ignored).
    public static func parse(_ text: String) throws(ConfigError) -> WorkspaceConfig {
        let root: TOMLTable
        do { root = try TOML.parse(text) } catch {
            throw ConfigError(line: error.line, key: "-", message: error.message)
        }
        var c = WorkspaceConfig()
        var r = Reader(table: root, prefix: "")
        guard let v = try r.int("format_version") else {
            throw ConfigError(line: nil, key: "format_version", message: "missing: the file must start with format_version = \(currentFormatVersion)")
        }
        guard v >= 1 && v <= currentFormatVersion else {
            throw ConfigError(line: r.line("format_version"), key: "format_version",
                              message: "version \(v) is not supported by this PeakPlan (supports 1...\(currentFormatVersion)); upgrade PeakPlan")
        }
        c.formatVersion = v
        if let tz = try r.string("time_zone") {
            c.timeZone = tz
            do { _ = try ZoneRules(tz) } catch {
                throw ConfigError(line: r.line("time_zone"), key: "time_zone", message: error.description)
            }
        }
        if let im = try r.int("interval_minutes") {
            guard IntervalLength.isAllowed(im) else {
                throw ConfigError(line: r.line("interval_minutes"), key: "interval_minutes",
                                  message: "\(im) is not a supported interval; use one of \(IntervalLength.allowedText)")
            }
            c.intervalMinutes = im
        }
        if let w = try r.stringArray("weekend") { c.weekend = try weekend(w, line: r.line("weekend")) }
        if let t = try r.table("service") { c.service = try service(t, defaults: c.service) }
        if let chans = try r.tableArray("channels") { c.channels = try channels(chans) }
        if let cal = try r.table("calendar") {
            var cr = Reader(table: cal, prefix: "calendar.")
            if let rules = try cr.tableArray("rules") {
                c.rules = []
                for (ix, t) in rules.enumerated() { c.rules.append(try calendarRule(t, ix: ix)) }
            }
            try cr.rejectUnknown()
        }
        for name in delegatedSections {
            if let t = try r.table(name) { c.sections[name] = t }
        }
        try r.rejectUnknown()
        return c
    }

    /// `weekend = ["fri", "sat"]` as ISO weekday indices.
    static func weekend(_ w: [String], line: Int?) throws(ConfigError) -> [Int] {
        var days: [Int] = []
        for s in w {
            guard let ix = weekdayKeys.firstIndex(of: s.lowercased().prefix(3).description) else {
                throw ConfigError(line: line, key: "weekend", message: "\"\(s)\" is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
            }
            days.append(ix)
        }
        return Array(Set(days)).sorted()
    }

    /// `[service]`: targets over the defaults.
    static func service(_ s: TOMLTable, defaults: ServiceTargets) throws(ConfigError) -> ServiceTargets {
        var out = defaults
        var sr = Reader(table: s, prefix: "service.")
        if let x = try sr.double("service_level") { out.serviceLevel = try sr.fraction("service_level", x, openAtZero: true) }
        if let x = try sr.double("answer_seconds") { out.answerSeconds = try sr.nonNegative("answer_seconds", x) }
        if let x = try sr.double("max_occupancy") { out.maxOccupancy = try sr.fraction("max_occupancy", x, openAtZero: true) }
        if let x = try sr.double("shrinkage") {
            guard x >= 0 && x < 1 else { throw ConfigError(line: sr.line("shrinkage"), key: "service.shrinkage", message: "\(x) must be in [0, 1)") }
            out.shrinkage = x
        }
        try sr.rejectUnknown()
        return out
    }

    /// `[[channels]]`: names unique, kinds and intervals known.
    static func channels(_ chans: [TOMLTable]) throws(ConfigError) -> [ChannelConfig] {
        var seen = Set<String>()
        var out: [ChannelConfig] = []
        for (ix, t) in chans.enumerated() {
            var cr = Reader(table: t, prefix: "channels[\(ix)].")
            guard let name = try cr.string("name"), !name.isEmpty else {
                throw ConfigError(line: t.line, key: "channels[\(ix)].name", message: "every [[channels]] needs a name")
            }
            guard seen.insert(name).inserted else {
                throw ConfigError(line: cr.line("name"), key: "channels[\(ix)].name", message: "channel \"\(name)\" is declared twice")
            }
            var ch = ChannelConfig(name: name)
            if let k = try cr.string("kind") {
                guard let kind = ChannelKind(rawValue: k) else {
                    throw ConfigError(line: cr.line("kind"), key: "channels[\(ix)].kind",
                                      message: "\"\(k)\" is not a channel kind; use one of \(ChannelKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                ch.kind = kind
            }
            if let im = try cr.int("interval_minutes") {
                guard IntervalLength.isAllowed(im) else {
                    throw ConfigError(line: cr.line("interval_minutes"), key: "channels[\(ix)].interval_minutes",
                                      message: "\(im) is not a supported interval; use one of \(IntervalLength.allowedText)")
                }
                ch.intervalMinutes = im
            }
            if let x = try cr.double("service_level") { ch.serviceLevel = try cr.fraction("service_level", x, openAtZero: true) }
            if let x = try cr.double("answer_seconds") { ch.answerSeconds = try cr.nonNegative("answer_seconds", x) }
            try cr.rejectUnknown()
            out.append(ch)
        }
        return out
    }

    /// One `[[calendar.rules]]` entry: month_start or payday.
    static func calendarRule(_ t: TOMLTable, ix: Int) throws(ConfigError) -> CalendarRule {
        var rr = Reader(table: t, prefix: "calendar.rules[\(ix)].")
        guard let kind = try rr.string("kind") else {
            throw ConfigError(line: t.line, key: "calendar.rules[\(ix)].kind", message: "missing: use month_start or payday")
        }
        let name = try rr.string("name") ?? kind.replacingOccurrences(of: "_", with: " ")
        let rule: CalendarRule
        switch kind {
        case "month_start":
            let a = try rr.int("first_day") ?? 1
            guard let b = try rr.int("last_day") else {
                throw ConfigError(line: t.line, key: "calendar.rules[\(ix)].last_day", message: "missing: the last day of the month-start window, e.g. 5")
            }
            guard a >= 1, b >= a, b <= 31 else {
                throw ConfigError(line: rr.line("last_day") ?? t.line, key: "calendar.rules[\(ix)]",
                                  message: "first_day \(a) .. last_day \(b) must satisfy 1 <= first_day <= last_day <= 31")
            }
            rule = .monthStart(name: name, firstDay: a, lastDay: b)
        case "payday":
            guard let days = try rr.intArray("days"), !days.isEmpty else {
                throw ConfigError(line: t.line, key: "calendar.rules[\(ix)].days", message: "missing: days of the month, e.g. [10, 25] (-1 = last day)")
            }
            for d in days where !(d == -1 || (1...31).contains(d)) {
                throw ConfigError(line: rr.line("days"), key: "calendar.rules[\(ix)].days", message: "\(d) is not a day of the month (1-31, or -1 for the last day)")
            }
            var shift = CalendarRule.PaydayShift.previousBusinessDay
            if let s = try rr.string("shift") {
                guard let sh = CalendarRule.PaydayShift(rawValue: s) else {
                    throw ConfigError(line: rr.line("shift"), key: "calendar.rules[\(ix)].shift",
                                      message: "\"\(s)\" is not a shift; use none, previous_business_day or next_business_day")
                }
                shift = sh
            }
            rule = .payday(name: name, days: days, shift: shift)
        default:
            throw ConfigError(line: rr.line("kind"), key: "calendar.rules[\(ix)].kind", message: "\"\(kind)\" is not a rule kind; use month_start or payday")
        }
        try rr.rejectUnknown()
        return rule
    }

    /// The configuration as commented TOML; `parse(render())` gives back the same configuration.
    public func render() -> String {
        var s = """
        # PeakPlan workspace configuration. Edit freely; `peakplan` validates it on every command.
        format_version = \(formatVersion)

        # Wall-clock time zone of every timestamp in this workspace: an IANA name (Asia/Shanghai) or a
        # fixed offset (+02:00, UTC). IANA zones are DST-aware: times in a spring-forward gap are rejected,
        # and a repeated (fall-back) time without an offset is its first occurrence, then its second.
        time_zone = \(TOML.quote(timeZone))

        # Planning interval in minutes (\(IntervalLength.allowedText)); a channel's own interval is detected on ingest.
        interval_minutes = \(intervalMinutes)

        # Non-business days (payday rules move off them).
        weekend = [\(weekend.map { TOML.quote(WorkspaceConfig.weekdayKeys[$0]) }.joined(separator: ", "))]

        [service]
        service_level = \(fmt(service.serviceLevel))     # share answered within answer_seconds
        answer_seconds = \(fmt(service.answerSeconds))
        max_occupancy = \(fmt(service.maxOccupancy))
        shrinkage = \(fmt(service.shrinkage))         # share of paid time off the phones

        """
        if channels.isEmpty {
            s += """

            # Channels (queues). Channels seen on ingest but not listed here use the defaults above.
            # [[channels]]
            # name = "voice"
            # kind = "voice"            # voice, chat, email, social, app, backoffice
            # interval_minutes = 30     # optional: detected from the data when absent
            # service_level = 0.8       # optional override of [service]
            # answer_seconds = 20

            """
        }
        for ch in channels {
            s += "\n[[channels]]\nname = \(TOML.quote(ch.name))\nkind = \(TOML.quote(ch.kind.rawValue))\n"
            if let im = ch.intervalMinutes { s += "interval_minutes = \(im)\n" }
            if let x = ch.serviceLevel { s += "service_level = \(fmt(x))\n" }
            if let x = ch.answerSeconds { s += "answer_seconds = \(fmt(x))\n" }
        }
        s += """

        # Calendar rules: recurring days that move volume, beside the dated events of `peakplan events import`.
        [calendar]

        """
        for rule in rules {
            switch rule {
            case .monthStart(let n, let a, let b):
                s += "\n[[calendar.rules]]\nkind = \"month_start\"\nname = \(TOML.quote(n))\nfirst_day = \(a)\nlast_day = \(b)\n"
            case .payday(let n, let days, let shift):
                s += "\n[[calendar.rules]]\nkind = \"payday\"\nname = \(TOML.quote(n))\ndays = [\(days.map(String.init).joined(separator: ", "))]\nshift = \(TOML.quote(shift.rawValue))\n"
            }
        }
        if !rules.contains(where: { if case .payday = $0 { return true } else { return false } }) {
            s += """

            # [[calendar.rules]]
            # kind = "payday"
            # name = "payday"
            # days = [10, 25]                 # -1 = last day of the month
            # shift = "previous_business_day" # or next_business_day, none

            """
        }
        for name in WorkspaceConfig.delegatedSections {
            if let t = sections[name] { s += "\n" + TOML.render(t, path: [name]) }
        }
        return s
    }

    private func fmt(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}

/// The workspace file's reader: the shared `TOMLReader` with its range checks.
private typealias Reader = TOMLReader

private extension TOMLReader {
    init(table: TOMLTable, prefix: String) { self.init(table, prefix: prefix) }

    func fraction(_ k: String, _ x: Double, openAtZero: Bool) throws(ConfigError) -> Double {
        guard x > 0 && x <= 1 else { throw ConfigError(line: line(k), key: prefix + k, message: "\(x) must be in (0, 1]") }
        return x
    }

    func nonNegative(_ k: String, _ x: Double) throws(ConfigError) -> Double {
        guard x >= 0 else { throw ConfigError(line: line(k), key: prefix + k, message: "\(x) must be >= 0") }
        return x
    }

    func rejectUnknown() throws(ConfigError) {
        try rejectUnknown(hint: "see the comments in a fresh `peakplan init` file")
    }
}
