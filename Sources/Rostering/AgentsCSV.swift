import PlanningCore

/// A bad agents file: names file, line, column and value (exit 65 in the CLI).
public typealias RosterInputError = InputError

/// Agents CSV: `agent_id,name,skills,contract,site[,time_zone][,unavailable][,preferred_start][,days_off_preference]
/// [,desired_days][,availability]` (optional columns in any order).
/// - skills `voice:1|chat:2` (channel:proficiency, 1 = fully proficient; larger = weaker, used when needed)
/// - time_zone `Asia/Shanghai` or `+08:00`: where the agent lives. Every time in the roster and in this file
///   (preferred_start, availability) is wall-clock time of the workspace time zone; exports also show each
///   shift in the agent's zone (iCalendar summary, HTML grid).
/// - unavailable `2026-03-02..2026-03-06;2026-03-20;every sun` (inclusive date ranges, single dates — time off,
///   credited against the weekly minimum — and recurring weekdays `every sat|sun`, which are not)
/// - preferred_start `07:00-09:00` (band of shift starts)
/// - days_off_preference `sat|sun` (weekdays the agent would rather have off)
/// - desired_days `mon|tue` (weekdays the agent would like to work)
/// - availability `mon-fri 08:00-18:00;sat 09:00-14:00` (recurring weekly windows: every shift lies inside
///   its weekday's window; weekdays without a window are unavailable; empty: any time)
/// - group `retail` or `retail|overflow` (the agent groups routers know the agent by, first = its routing
///   profile; empty: a group is derived from the skills)
public enum AgentsCSV {
    public static let required = ["agent_id", "name", "skills", "contract", "site"]
    public static let optional = ["time_zone", "unavailable", "preferred_start", "days_off_preference", "desired_days", "availability", "group"]
    static let weekdayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// `sat|sun`, `mon-fri`, `fri-mon` (wraps), `mon|wed-fri` -> weekdays (0 = Monday); nil when malformed.
    static func weekdays(_ text: String) -> Set<Int>? {
        var out = Set<Int>()
        for item in text.split(separator: "|") {
            let r = item.split(separator: "-", omittingEmptySubsequences: false).map { String($0).trimmingSpaces.lowercased() }
            guard r.count <= 2, let a = weekdayNames.firstIndex(of: r[0]), let b = r.count == 2 ? weekdayNames.firstIndex(of: r[1]) : a else { return nil }
            var d = a
            while true { out.insert(d); if d == b { break }; d = (d + 1) % 7 }
        }
        return out.isEmpty ? nil : out
    }

    /// Parses and validates. `channels`: the staffed channels (a skill outside them is an error).
    /// Returns the agents and warnings (unknown columns; time off covering the whole horizon).
    /// `templates`: the shift templates the contracts name (to check that availability windows leave the
    /// contract's minimum hours reachable). `grid`: the roster's planning grid (the starts a template allows on it).
    public static func parse(
        _ text: String, file: String, channels: [String], contracts: [Contract],
        templates: [ShiftTemplate] = RosterConfig.builtInTemplates,
        horizon: ClosedRange<Int64>? = nil, grid: TimeGrid = .halfHour
    ) throws(RosterInputError) -> (agents: [Agent], warnings: [String]) {
        // The shared CSV reader: LF or CRLF, a UTF-8 BOM, RFC 4180 quotes.
        let lines = CSVText.lines(text).map(\.text)
        guard let headerLine = lines.first, !headerLine.trimmingSpaces.isEmpty else {
            throw RosterInputError(file: file, line: 1, column: nil, value: nil, message: "empty file: expected the header \(required.joined(separator: ","))")
        }
        let header = try fields(headerLine, file: file, line: 1).map { $0.trimmingSpaces.lowercased() }
        var col: [String: Int] = [:]
        var warnings: [String] = []
        for (i, h) in header.enumerated() {
            if col[h] != nil { throw RosterInputError(file: file, line: 1, column: h, value: nil, message: "column named twice") }
            col[h] = i
            if !required.contains(h) && !optional.contains(h) { warnings.append("\(file):1: unknown column \"\(h)\" ignored") }
        }
        for r in required where col[r] == nil {
            throw RosterInputError(file: file, line: 1, column: r, value: nil, message: "missing column (header must start with \(required.joined(separator: ",")))")
        }
        var agents: [Agent] = []
        var seen: [String: Int] = [:]
        for (n, raw) in lines.enumerated().dropFirst() {
            let lineNo = n + 1
            if raw.trimmingSpaces.isEmpty { continue }
            let f = try fields(raw, file: file, line: lineNo)
            guard f.count == header.count else {
                throw RosterInputError(file: file, line: lineNo, column: nil, value: nil, message: "\(f.count) fields, the header has \(header.count)")
            }
            let row = Row(fields: f, columns: col, file: file, line: lineNo)
            let agent = try row.agent(channels: channels, contracts: contracts, templates: templates, grid: grid, seen: &seen)
            if let h = horizon, h.allSatisfy({ agent.unavailable.contains($0) || agent.neverWorks(weekday: Civil.weekday(ofDay: $0)) }) {
                warnings.append(
                    "\(file):\(lineNo): agent \(agent.id): time off covers the whole horizon \(Civil.formatDate(day: h.lowerBound))..\(Civil.formatDate(day: h.upperBound)); the agent gets no shift"
                )
            }
            agents.append(agent)
        }
        guard !agents.isEmpty else {
            throw RosterInputError(
                file: file, line: 2, column: nil, value: nil,
                message: "the file has a header but no agents: add one row per agent (\(required.joined(separator: ",")))")
        }
        return (agents, warnings)
    }

    /// One agent row: its cells by column and the phases that read them (same checks and messages, in order).
    struct Row {
        var fields: [String]
        var columns: [String: Int]
        var file: String
        var line: Int

        func v(_ k: String) -> String { columns[k].map { fields[$0].trimmingSpaces } ?? "" }
        func bad(_ k: String, _ msg: String) -> RosterInputError { RosterInputError(file: file, line: line, column: k, value: v(k), message: msg) }

        func agent(channels: [String], contracts: [Contract], templates: [ShiftTemplate], grid: TimeGrid, seen: inout [String: Int]) throws(RosterInputError) -> Agent {
            let id = try identity(seen: &seen)
            let skills = try self.skills(channels: channels)
            let contract = try self.contract(contracts)
            let (unavailable, everyOff) = try timeOff()
            let (band, daysOff, desired) = try preferences()
            let windows = try availability()
            let tz = v("time_zone")
            if !tz.isEmpty, (try? ZoneRules(tz)) == nil {
                throw bad("time_zone", "unknown time zone: give an IANA name such as Asia/Shanghai or a fixed offset such as +08:00")
            }
            var agent = Agent(
                id: id, name: v("name"), skills: skills, contract: contract.name, site: v("site"), timeZone: tz.isEmpty ? nil : tz,
                unavailable: unavailable, preferredStart: band, preferredDaysOff: daysOff, line: line,
                unavailableWeekdays: everyOff, windows: windows, desiredDays: desired)
            try checkReachable(agent, contract, templates: templates, grid: grid)
            agent.line = line
            agent.groups = try groups()
            return agent
        }

        /// group `a|b`: labels, each once.
        func groups() throws(RosterInputError) -> [String] {
            let text = v("group")
            guard !text.isEmpty else { return [] }
            var out: [String] = []
            for g in text.split(separator: "|", omittingEmptySubsequences: false).map({ String($0).trimmingSpaces }) {
                guard !g.isEmpty else { throw bad("group", "empty group name in \"\(text)\": write group names separated by |, e.g. retail|overflow") }
                if let why = InputRules.problem(withName: g, use: .identifier) { throw bad("group", "group \(why); fix: " + InputRules.nameFix) }
                guard !out.contains(g) else { throw bad("group", "group \(g) is listed twice") }
                out.append(g)
            }
            return out
        }

        /// agent_id (unique, a safe identifier) and the name, site and contract labels.
        func identity(seen: inout [String: Int]) throws(RosterInputError) -> String {
            let id = v("agent_id")
            guard !id.isEmpty else { throw bad("agent_id", "empty agent id") }
            if let why = InputRules.problem(withName: id, use: .identifier) { throw bad("agent_id", "agent id \(why); fix: " + InputRules.nameFix) }
            for k in ["name", "site", "contract"] {
                if let why = InputRules.problem(withName: v(k), use: .label) { throw bad(k, "\(k) \(why); fix: " + InputRules.nameFix) }
            }
            if let first = seen[id] { throw bad("agent_id", "duplicate agent id (first on line \(first))") }
            seen[id] = line
            return id
        }

        /// skills `voice:1|chat:2`: staffed channels, proficiency 1-9, each once.
        func skills(channels: [String]) throws(RosterInputError) -> [Skill] {
            var skills: [Skill] = []
            for part in v("skills").split(separator: "|") {
                let kv = part.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
                guard kv.count <= 2, !kv[0].isEmpty else { throw bad("skills", "expected channel:proficiency separated by | (e.g. voice:1|chat:2)") }
                let prof = kv.count == 2 ? Int(kv[1]) : 1
                guard let prof, (1...9).contains(prof) else { throw bad("skills", "proficiency of \(kv[0]) must be an integer 1-9 (1 = fully proficient)") }
                guard channels.contains(kv[0]) else {
                    throw bad("skills", "unknown skill \"\(kv[0])\": no staffing requirement for that channel (staffed: \(channels.joined(separator: ", ")))")
                }
                if skills.contains(where: { $0.channel == kv[0] }) { throw bad("skills", "skill \(kv[0]) listed twice") }
                skills.append(Skill(queue: kv[0], level: prof))
            }
            guard !skills.isEmpty else { throw bad("skills", "an agent needs at least one skill") }
            return skills
        }

        /// A defined contract that allows some template.
        func contract(_ contracts: [Contract]) throws(RosterInputError) -> Contract {
            let contractName = v("contract")
            guard let contract = contracts.first(where: { $0.name == contractName }) else {
                throw bad("contract", "unknown contract (defined: \(contracts.map(\.name).joined(separator: ", ")); add [[roster.contracts]] to peakplan.toml)")
            }
            guard !contract.templates.isEmpty else { throw bad("contract", "contract \(contract.name) allows no shift template") }
            return contract
        }

        /// unavailable: dated days and ranges (leave), and recurring weekdays (`every sun`).
        func timeOff() throws(RosterInputError) -> (Set<Int64>, Set<Int>) {
            var unavailable = Set<Int64>()
            var everyOff = Set<Int>()
            for part in v("unavailable").split(separator: ";") {
                let item = part.trimmingSpaces
                if item.lowercased().hasPrefix("every") {
                    guard let days = weekdays(String(item.dropFirst(5)).trimmingSpaces) else {
                        throw bad("unavailable", "recurring time off \"\(item)\": expected every followed by weekdays (e.g. every sun, every sat|sun, every mon-wed)")
                    }
                    everyOff.formUnion(days); continue
                }
                let r = part.components(separatedBy: "..").map { $0.trimmingSpaces }
                guard r.count <= 2, let a = Civil.parseDate(r[0]), let b = r.count == 2 ? Civil.parseDate(r[1]) : a else {
                    throw bad("unavailable", "expected dates YYYY-MM-DD, ranges YYYY-MM-DD..YYYY-MM-DD or every WEEKDAYS (e.g. every sun), separated by ;")
                }
                guard b >= a, b - a <= 3660 else { throw bad("unavailable", "range \(part) ends before it starts or is longer than 10 years") }
                for d in a...b { unavailable.insert(d) }
            }
            return (unavailable, everyOff)
        }

        /// preferred_start band, days_off_preference and desired_days (disjoint).
        func preferences() throws(RosterInputError) -> (ClosedRange<Int>?, Set<Int>, Set<Int>) {
            var band: ClosedRange<Int>? = nil
            let ps = v("preferred_start")
            if !ps.isEmpty {
                let r = ps.split(separator: "-").map { String($0).trimmingSpaces }
                guard r.count == 2, let a = parseClock(r[0]), let b = parseClock(r[1]), a <= b else { throw bad("preferred_start", "expected a band HH:MM-HH:MM") }
                band = a...b
            }
            var daysOff = Set<Int>()
            if !v("days_off_preference").isEmpty {
                guard let d = weekdays(v("days_off_preference")) else {
                    throw bad("days_off_preference", "expected weekdays mon..sun separated by | (e.g. sat|sun)")
                }
                daysOff = d
            }
            var desired = Set<Int>()
            if !v("desired_days").isEmpty {
                guard let d = weekdays(v("desired_days")) else { throw bad("desired_days", "expected weekdays mon..sun separated by | (e.g. mon|tue or mon-thu)") }
                desired = d
                let both = desired.intersection(daysOff).sorted()
                if !both.isEmpty {
                    throw bad("desired_days", "\(both.map { weekdayNames[$0] }.joined(separator: "|")) also in days_off_preference: name a weekday in one of the two")
                }
            }
            return (band, daysOff, desired)
        }

        /// availability: one window per weekday (`mon-fri 08:00-18:00;sat 09:00-14:00`).
        func availability() throws(RosterInputError) -> [Int: ClosedRange<Int>] {
            var windows: [Int: ClosedRange<Int>] = [:]
            for part in v("availability").split(separator: ";") {
                let item = part.trimmingSpaces
                let sp = item.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                guard sp.count == 2, let days = weekdays(sp[0]) else {
                    throw bad("availability", "window \"\(item)\": expected WEEKDAYS HH:MM-HH:MM separated by ; (e.g. mon-fri 08:00-18:00;sat 09:00-14:00)")
                }
                let r = sp[1].split(separator: "-").map { String($0) }
                guard r.count == 2, let a = parseClock(r[0]), let b = parseClock(r[1]), a < b else {
                    throw bad("availability", "window \"\(item)\": expected a time band HH:MM-HH:MM with the start before the end (00:00-24:00)")
                }
                for d in days {
                    if windows[d] != nil { throw bad("availability", "\(weekdayNames[d]) has two windows: give one window per weekday") }
                    windows[d] = a...b
                }
            }
            return windows
        }

        /// Recurring unavailability and windows earn no leave credit: the weekly minimum must stay reachable.
        func checkReachable(_ agent: Agent, _ contract: Contract, templates: [ShiftTemplate], grid: TimeGrid) throws(RosterInputError) {
            guard !agent.unavailableWeekdays.isEmpty || !agent.windows.isEmpty else { return }
            let allowed = contract.templates.compactMap { n in templates.first { $0.name == n } }
            let perDay = (0..<7).map { wd -> Double in
                agent.neverWorks(weekday: wd)
                    ? 0
                    : allowed.filter { t in t.starts(on: grid).contains { agent.fitsWindow(weekday: wd, start: $0, length: t.lengthMinutes) } }.map(\.paidHours).max() ?? 0
            }
            let best = perDay.sorted(by: >).prefix(max(0, 7 - contract.daysOffPerWeek)).reduce(0, +)
            if best + 1e-9 < contract.minHoursWeek {
                let col = agent.windows.isEmpty ? "unavailable" : "availability"
                throw bad(
                    col,
                    "leaves at most \(RosterExport.num(best)) paid hours a week within contract \(contract.name)'s templates, which needs at least \(RosterExport.num(contract.minHoursWeek)): widen the windows, drop recurring days or use another contract"
                )
            }
        }
    }

    /// RFC 4180 fields of one line (quotes, doubled quotes), by the shared CSV reader.
    static func fields(_ line: String, file: String, line n: Int) throws(RosterInputError) -> [String] {
        guard let f = CSVText.fields(line) else {
            throw RosterInputError(file: file, line: n, column: nil, value: nil, message: "malformed quotes: an unterminated quoted field, or text after a closing quote")
        }
        return f
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
