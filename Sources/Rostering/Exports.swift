import PlanningCore
import Reports

/// Text renderings of a roster (pure: the CLI writes them).
public enum RosterExport {
    /// One activity of a shift: work on a channel or the unpaid break; minutes from horizon start.
    public struct Activity: Sendable, Equatable {
        public var kind: String, start: Int, end: Int, channel: String
    }

    /// The shift's slots merged into activities. On a grid coarser than the template's times (a 30-minute
    /// break on a 60-minute grid), the break keeps its own length and work resumes when it ends, and the last
    /// activity ends with the shift: activity times are the shift's real times, only coverage is per slot.
    public static func activities(_ s: RosterShift, _ p: RosterProblem) -> [Activity] {
        var out: [Activity] = []
        let base = s.startMinute, slot = p.grid.minutes
        let end = p.endMinute(s)
        let breakEnd = p.templates.indices.contains(s.template)
            ? p.templates[s.template].breakOffset(on: p.grid).map { base + $0 + p.templates[s.template].breakMinutes } : nil
        for (k, c) in s.channels.enumerated() {
            let kind = c < 0 ? "break" : "work", ch = c < 0 ? "" : p.channels[c]
            var st = base + p.grid.startMinute(ofSlot: k), en = min(st + slot, end)
            if c < 0, let breakEnd { en = min(en, breakEnd) }
            if let last = out.last, last.kind == "break", c >= 0 { st = last.end }
            guard st < en else { continue }
            if let last = out.last, last.kind == kind, last.channel == ch, last.end == st { out[out.count - 1].end = en }
            else { out.append(Activity(kind: kind, start: st, end: en, channel: ch)) }
        }
        return out
    }

    /// UTC seconds of a workspace wall-clock second (the earlier instant when clocks go back; in a gap, the
    /// offset before it).
    public static func utc(_ local: Int64, in z: ZoneRules) -> Int64 {
        switch z.resolve(local: local) {
        case .unique(let u): return u
        case .ambiguous(let first, _): return first
        case .gap(let gapStart, _): return local - Int64(z.offset(atUTC: gapStart - TimeGrid.secondsPerDay))
        }
    }

    /// The agent's own clock when the agent's `time_zone` differs from the workspace zone (`p.zone`): its name
    /// and a map from a minute from horizon start (workspace wall clock) to the agent's wall-clock seconds.
    /// nil when either zone is unknown or they are the same.
    public static func agentClock(_ a: Int, _ p: RosterProblem) -> (zone: String, local: (Int) -> Int64)? {
        guard let ws = p.zone, let name = p.agents[a].timeZone, let az = try? ZoneRules(name), az.name != ws.name else { return nil }
        let first = p.startDay
        return (name, { minute in az.local(fromUTC: utc(LocalDateTime.localSeconds(firstDay: first, minute: minute), in: ws)) })
    }

    /// `HH:MM` of wall-clock seconds.
    static func clock(_ localSeconds: Int64) -> String { String(Civil.formatLocal(localSeconds).dropFirst(11).prefix(5)) }

    /// Local wall time `YYYY-MM-DDTHH:MM:SS` of a minute from horizon start.
    public static func local(_ minute: Int, _ p: RosterProblem) -> String { Civil.formatLocal(LocalDateTime.localSeconds(firstDay: p.startDay, minute: minute)) }

    public static let csvHeader = "agent_id,name,date,shift_start,shift_end,activity,start,end,channel"

    /// Long CSV: one row per agent shift and activity.
    public static func csv(_ r: Roster, _ p: RosterProblem) -> String {
        var s = csvHeader + "\n"
        for sh in sorted(r) {
            let a = p.agents[sh.agent]
            let head = [CSV.quote(a.id), CSV.quote(a.name), p.date(sh.day), local(sh.startMinute, p), local(p.endMinute(sh), p)].joined(separator: ",")
            for act in activities(sh, p) {
                s += head + ",\(act.kind),\(local(act.start, p)),\(local(act.end, p)),\(CSV.quote(act.channel))\n"
            }
        }
        return s
    }

    static func sorted(_ r: Roster) -> [RosterShift] { r.shifts.sorted { ($0.agent, $0.day) < ($1.agent, $1.day) } }

    static func num(_ d: Double) -> String { d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null" }

    /// `roster --format json`: summary metrics, soft-rule penalties by rule, shifts with activities.
    struct Document: Encodable {
        struct Summary: Encodable {
            var agents, weeks: Int
            var start: String
            var shifts: Int
            var paid_hours: Double
            var shortfall_pct: JSONOutput.Rounded
            var hard_violations, fairness_spread, weekend_spread, late_spread: Int
            var weekend_gini, late_gini, preferences_met_pct: JSONOutput.Rounded
        }
        struct Shift: Encodable {
            struct Activity: Encodable {
                var activity, start, end: String
                var channel: String?
            }
            var agent_id, name, date, template, shift_start, shift_end: String
            var activities: [Activity]
        }
        var summary: Summary
        var penalties: JSONOutput.OrderedObject<JSONOutput.Rounded>
        var shifts: [Shift]
    }

    /// JSON: summary metrics, soft-rule penalties by rule, shifts with activities (one shift per line).
    public static func json(_ r: Roster, _ p: RosterProblem, metrics m: RosterEngine.Metrics, soft: [Violation]) -> String {
        var byRule: [String: Double] = [:]
        for v in soft { byRule[v.rule, default: 0] += v.penalty }
        let summary = Document.Summary(
            agents: p.agents.count, weeks: p.weeks, start: p.date(0), shifts: m.shifts, paid_hours: m.paidHours, shortfall_pct: .init(m.shortfallPct, 3),
            hard_violations: m.hardViolations, fairness_spread: m.fairness.spread, weekend_spread: m.fairness.weekendSpread, late_spread: m.fairness.lateSpread,
            weekend_gini: .init(m.fairness.weekendGini, 4), late_gini: .init(m.fairness.lateGini, 4), preferences_met_pct: .init(m.preferencesMetPct, 2))
        let shifts = sorted(r).map { sh in
            let a = p.agents[sh.agent]
            return Document.Shift(
                agent_id: a.id, name: a.name, date: p.date(sh.day), template: p.templates[sh.template].name, shift_start: local(sh.startMinute, p),
                shift_end: local(p.endMinute(sh), p),
                activities: activities(sh, p).map { .init(activity: $0.kind, start: local($0.start, p), end: local($0.end, p), channel: $0.channel.isEmpty ? nil : $0.channel) })
        }
        let doc = Document(summary: summary, penalties: .init(byRule.keys.sorted().map { ($0, .init(byRule[$0]!, 3)) }), shifts: shifts)
        return JSONOutput.render(doc, layout: .sections)
    }

    /// One iCalendar (RFC 5545) document for an agent: a VEVENT per shift, times in UTC (`toUTC` maps
    /// local wall seconds to UTC seconds), CRLF line ends, lines folded at 75 octets.
    public static func iCalendar(agent a: Int, _ r: Roster, _ p: RosterProblem, dtstamp: Int64, toUTC: (Int64) -> Int64) -> String {
        func utc(_ t: Int64) -> String {
            let s = Civil.formatLocal(t)  // YYYY-MM-DDTHH:MM:SS
            return s.filter { $0 != "-" && $0 != ":" } + "Z"
        }
        let agent = p.agents[a]
        let own = agentClock(a, p)
        /// `HH:MM` of a minute from horizon start, on the agent's clock when it has its own zone.
        func hm(_ minute: Int) -> String { own.map { clock($0.local(minute)) } ?? String(local(minute, p).suffix(8).prefix(5)) }
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PeakPlan//Roster 0.1//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + escape("Roster " + agent.name)]
        for sh in sorted(r) where sh.agent == a {
            let acts = activities(sh, p)
            let chans = acts.filter { $0.kind == "work" }.map(\.channel).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
            let startLocal = LocalDateTime.localSeconds(firstDay: p.startDay, minute: sh.startMinute)
            let endLocal = LocalDateTime.localSeconds(firstDay: p.startDay, minute: p.endMinute(sh))
            lines += ["BEGIN:VEVENT", "UID:" + escape("\(agent.id)-\(p.date(sh.day))@peakplan"), "DTSTAMP:" + utc(dtstamp),
                      "DTSTART:" + utc(toUTC(startLocal)), "DTEND:" + utc(toUTC(endLocal)),
                      "SUMMARY:" + escape("Shift \(hm(sh.startMinute))-\(hm(p.endMinute(sh)))" + (own.map { " \($0.zone)" } ?? "") + (chans.isEmpty ? "" : " (\(chans.joined(separator: ", ")))")),
                      "DESCRIPTION:" + escape(acts.map { "\($0.kind) \(hm($0.start))-\(hm($0.end))\($0.channel.isEmpty ? "" : " " + $0.channel)" }.joined(separator: "\n")
                                              + (own == nil ? "" : "\n(times in \(own!.zone); roster times \(local(sh.startMinute, p).suffix(8).prefix(5))-\(local(p.endMinute(sh), p).suffix(8).prefix(5)) \(p.zone?.name ?? ""))")),
                      "TRANSP:OPAQUE", "END:VEVENT"]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// TEXT escaping (RFC 5545 3.3.11): backslash, semicolon and comma escaped, a line break (LF, CRLF or a
    /// bare CR) written as `\n`, other control characters (not allowed in TEXT) as spaces. Works on Unicode
    /// scalars: CRLF is one Swift Character, and a bare CR must never end the content line.
    static func escape(_ s: String) -> String {
        var o = String.UnicodeScalarView()
        var it = s.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        while let u = pending ?? it.next() {
            pending = nil
            switch u {
            case "\\": o.append(contentsOf: "\\\\".unicodeScalars)
            case ";": o.append(contentsOf: "\\;".unicodeScalars)
            case ",": o.append(contentsOf: "\\,".unicodeScalars)
            case "\n": o.append(contentsOf: "\\n".unicodeScalars)
            case "\r":
                o.append(contentsOf: "\\n".unicodeScalars)
                if let nx = it.next(), nx != "\n" { pending = nx }
            default:
                if u.value < 0x20 || u.value == 0x7F || (0x80...0x9F).contains(u.value) { o.append(" ") } else { o.append(u) }
            }
        }
        return String(o)
    }

    /// Folds a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence.
    static func fold(_ line: String) -> String {
        var out = "", count = 0, limit = 75
        for ch in line.unicodeScalars {
            let n = String(ch).utf8.count
            if count + n > limit { out += "\r\n "; count = 1; limit = 75 }
            out.unicodeScalars.append(ch); count += n
        }
        return out
    }

    /// A printable HTML grid: agents x days, each cell the shift times (or off / time off).
    public static func html(_ r: Roster, _ p: RosterProblem, title: String) -> String {
        func h(_ s: String) -> String { s.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;").replacingAll("\"", "&quot;") }
        var cell: [Int: RosterShift] = [:]
        for s in r.shifts { cell[s.agent * 1000 + s.day] = s }
        var s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(h(title))</title><style>\n"
        s += "body{font:12px sans-serif}table{border-collapse:collapse}th,td{border:1px solid #999;padding:2px 4px;text-align:center;white-space:nowrap}"
        s += "td.off{color:#999}td.leave{background:#eee;color:#666}td.late{background:#fde9c8}th.we{background:#e8eef8}"
        s += "@media print{@page{size:landscape}body{font-size:9px}thead{display:table-header-group}}\n</style></head><body>\n"
        s += "<h1>\(h(title))</h1>\n"
        if let z = p.zone { s += "<p>Times in \(h(z.name)); an agent with another time zone sees its own times below them.</p>\n" }
        s += "<table>\n<thead><tr><th>agent</th><th>contract</th><th>time zone</th>"
        for d in 0..<p.days {
            let wd = p.weekday(d)
            s += "<th\(p.weekend.contains(wd) ? " class=\"we\"" : "")>\(Civil.weekdayNames[wd])<br>\(p.date(d).suffix(5))</th>"
        }
        s += "<th>hours</th></tr></thead>\n<tbody>\n"
        for (a, agent) in p.agents.enumerated() {
            let own = agentClock(a, p)
            s += "<tr><th>\(h(agent.name)) (\(h(agent.id)))</th><td>\(h(agent.contract))</td><td>\(h(agent.timeZone ?? p.zone?.name ?? ""))</td>"
            var hours = 0.0
            for d in 0..<p.days {
                if let sh = cell[a * 1000 + d] {
                    hours += p.paidHours(sh)
                    let mine = own.map { "<br><small>\(clock($0.local(sh.startMinute)))-\(clock($0.local(p.endMinute(sh))))</small>" } ?? ""
                    s += "<td\(p.isLate(sh) ? " class=\"late\"" : "")>\(formatClock(sh.start))-\(formatClock(LocalDateTime.wrap(minuteOfDay: sh.start + p.templates[sh.template].lengthMinutes)))\(mine)</td>"
                } else if p.isUnavailable(agent: a, day: d) { s += "<td class=\"leave\">time off</td>" } else { s += "<td class=\"off\">off</td>" }
            }
            s += "<td>\(RosterExport.num(hours))</td></tr>\n"
        }
        s += "</tbody></table>\n</body></html>\n"
        return s
    }

    /// Parses a roster CSV written by `csv(_:_:)` back into shifts: shifts inside the horizon (to keep on
    /// replan) and before it (fixed history). Unknown agents are skipped with a warning.
    public static func parsePrevious(_ text: String, file: String, _ p: RosterProblem) throws(RosterInputError) -> (roster: Roster, history: [RosterShift], warnings: [String]) {
        let lines = CSVText.lines(text).map(\.text)
        guard let head = lines.first, try AgentsCSV.fields(head, file: file, line: 1) == csvHeader.split(separator: ",").map(String.init) else {
            throw RosterInputError(file: file, line: 1, column: nil, value: nil, message: "expected the roster CSV header \(csvHeader)")
        }
        let index = Dictionary(p.agents.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen = Set<String>(), warnings: [String] = [], unknown = Set<String>()
        var inside: [RosterShift] = [], before: [RosterShift] = []
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let f = try AgentsCSV.fields(line, file: file, line: n + 1)
            guard f.count == 9 else { throw RosterInputError(file: file, line: n + 1, column: nil, value: nil, message: "\(f.count) fields, expected 9") }
            guard let a = index[f[0]] else { if unknown.insert(f[0]).inserted { warnings.append("\(file):\(n + 1): agent \(f[0]) is not in the agents file; its shifts are ignored") }; continue }
            let key = f[0] + "|" + f[3]
            guard seen.insert(key).inserted else { continue }
            guard case .success(let st) = Civil.parseTimestamp(f[3]), case .success(let en) = Civil.parseTimestamp(f[4]) else {
                throw RosterInputError(file: file, line: n + 1, column: "shift_start", value: f[3], message: "expected YYYY-MM-DDTHH:MM:SS")
            }
            let rel = LocalDateTime.minute(firstDay: p.startDay, localSeconds: st.localSeconds)
            let len = Int(LocalDateTime.minutes(seconds: en.localSeconds - st.localSeconds))
            let (day, start) = LocalDateTime.split(minute: rel)
            let allowed = (p.contract(of: a)?.templates ?? []).compactMap { p.templateIndex($0) }
            guard let tm = allowed.first(where: { p.templates[$0].lengthMinutes == len && p.starts($0).contains(start) })
                    ?? allowed.first(where: { p.templates[$0].lengthMinutes == len })
                    ?? p.templates.indices.first(where: { p.templates[$0].lengthMinutes == len }) else {
                warnings.append("\(file):\(n + 1): shift of \(len) minutes matches no template; ignored"); continue
            }
            let sh = RosterShift(agent: a, day: day, template: tm, start: start, channels: [])
            if day < 0 { before.append(sh) } else if day < p.days { inside.append(sh) }
        }
        return (Roster(shifts: inside), before, warnings)
    }

    /// A changed assignment between two rosters.
    public struct Change: Sendable, Equatable {
        public var agentID: String, date: String, before: String, after: String
    }

    /// Assignments (agent, day) whose shift differs; "off" where there is none.
    public static func diff(_ old: Roster, _ new: Roster, _ p: RosterProblem) -> [Change] {
        func key(_ s: RosterShift) -> Int { s.agent * 10_000 + s.day }
        func label(_ s: RosterShift?) -> String {
            guard let s else { return "off" }
            return "\(formatClock(s.start))-\(formatClock(LocalDateTime.wrap(minuteOfDay: s.start + p.templates[s.template].lengthMinutes)))"
        }
        let a = Dictionary(old.shifts.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        let b = Dictionary(new.shifts.map { (key($0), $0) }, uniquingKeysWith: { x, _ in x })
        var out: [Change] = []
        for k in Set(a.keys).union(b.keys).sorted() {
            let x = a[k], y = b[k]
            if x?.start == y?.start && x?.template == y?.template && (x == nil) == (y == nil) { continue }
            let s = (x ?? y)!
            out.append(Change(agentID: p.agents[s.agent].id, date: p.date(s.day), before: label(x), after: label(y)))
        }
        return out
    }
}

extension String {
    func replacingAll(_ a: String, _ b: String) -> String {
        guard contains(a) else { return self }
        return split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
