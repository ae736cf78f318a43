import PlanningCore

/// What the roster's exports share (activities, clocks, the CSV header) and reading a published roster CSV
/// back; the writers (CSV, JSON, iCalendar, HTML, the summary table) are in Reports (RosterWriters.swift).
public enum RosterExport {
    /// One activity of a shift: work on a channel, the unpaid break, or a planned activity by name (`RosterActivity`);
    /// minutes from horizon start.
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
            ? p.breakPlacement(s).map { base + p.grid.startMinute(ofSlot: $0.lowerBound) + p.templates[s.template].rosterBreakMinutes } : nil
        for (k, c) in s.channels.enumerated() {
            let kind = c >= 0 ? "work" : p.label(code: c), ch = c < 0 ? "" : p.channels[c]
            var st = base + p.grid.startMinute(ofSlot: k), en = min(st + slot, end)
            if c == -1, let breakEnd { en = min(en, breakEnd) }
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
    public static func clock(_ localSeconds: Int64) -> String { String(Civil.formatLocal(localSeconds).dropFirst(11).prefix(5)) }

    /// Local wall time `YYYY-MM-DDTHH:MM:SS` of a minute from horizon start.
    public static func local(_ minute: Int, _ p: RosterProblem) -> String { Civil.formatLocal(LocalDateTime.localSeconds(firstDay: p.startDay, minute: minute)) }

    public static let csvHeader = "agent_id,name,date,shift_start,shift_end,activity,start,end,channel"

    /// The roster's shifts by agent, then day (the order every export writes).
    public static func sorted(_ r: Roster) -> [RosterShift] { r.shifts.sorted { ($0.agent, $0.day) < ($1.agent, $1.day) } }

    /// A number as JSON writes it: integral values without a fraction, non-finite values as null.
    public static func num(_ d: Double) -> String { d.isFinite ? (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)) : "null" }

    /// Parses a roster CSV written by `csv(_:_:)` back into shifts: shifts inside the horizon (to keep on
    /// replan) and before it (fixed history). Unknown agents are skipped with a warning.
    public static func parsePrevious(_ text: String, file: String, _ p: RosterProblem) throws(RosterInputError) -> (roster: Roster, history: [RosterShift], warnings: [String]) {
        let lines = CSVText.lines(text).map(\.text)
        guard let head = lines.first, try AgentsCSV.fields(head, file: file, line: 1) == csvHeader.split(separator: ",").map(String.init) else {
            throw RosterInputError(file: file, line: 1, column: nil, value: nil, message: "expected the roster CSV header \(csvHeader)")
        }
        let index = Dictionary(p.agents.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [String: (inside: Bool, at: Int)] = [:], warnings: [String] = [], unknown = Set<String>()
        var inside: [RosterShift] = [], before: [RosterShift] = []
        var firstSlot: [String: Int] = [:]
        for (n, line) in lines.enumerated().dropFirst() where !line.isEmpty {
            let f = try AgentsCSV.fields(line, file: file, line: n + 1)
            guard f.count == 9 else { throw RosterInputError(file: file, line: n + 1, column: nil, value: nil, message: "\(f.count) fields, expected 9") }
            guard let a = index[f[0]] else { if unknown.insert(f[0]).inserted { warnings.append("\(file):\(n + 1): agent \(f[0]) is not in the agents file; its shifts are ignored") }; continue }
            let key = f[0] + "|" + f[3]
            if let at = seen[key] {
                // A further activity of a shift already read: its queue for the slots it covers.
                if at.inside { try keepQueue(&inside[at.at], row: f, line: n + 1, file: file, p, firstSlot: firstSlot[key]!) }
                continue
            }
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
            var sh = RosterShift(agent: a, day: day, template: tm, start: start, channels: [])
            if day < 0 { before.append(sh); seen[key] = (false, before.count - 1) } else if day < p.days {
                sh.channels = [Int](repeating: -1, count: p.lengthSlots(tm))
                firstSlot[key] = p.firstSlot(day: day, start: start)
                try keepQueue(&sh, row: f, line: n + 1, file: file, p, firstSlot: firstSlot[key]!)
                inside.append(sh); seen[key] = (true, inside.count - 1)
            } else { seen[key] = (false, -1) }
        }
        return (Roster(shifts: inside), before, warnings)
    }

    /// A work row's queue on the shift's slots it covers (the slots starting inside the row's times: on a grid
    /// coarser than the activity times, as `activities` writes them).
    static func keepQueue(_ sh: inout RosterShift, row f: [String], line: Int, file: String, _ p: RosterProblem, firstSlot: Int) throws(RosterInputError) {
        let c: Int
        if f[5] == "work", !f[8].isEmpty, let q = p.channelIndex(f[8]) { c = q }
        else if let k = p.activities.firstIndex(where: { $0.name == f[5] }) { c = RosterProblem.activityCode(k) }
        else { return }
        guard case .success(let a) = Civil.parseTimestamp(f[6]), case .success(let b) = Civil.parseTimestamp(f[7]) else {
            throw RosterInputError(file: file, line: line, column: "start", value: f[6], message: "expected YYYY-MM-DDTHH:MM:SS")
        }
        let from = p.grid.slotsCovering(minutes: LocalDateTime.minute(firstDay: p.startDay, localSeconds: a.localSeconds))
        let to = p.grid.slotsCovering(minutes: LocalDateTime.minute(firstDay: p.startDay, localSeconds: b.localSeconds))
        for t in from..<max(from, to) where t - firstSlot >= 0 && t - firstSlot < sh.channels.count { sh.channels[t - firstSlot] = c }
    }

    /// A changed assignment between two rosters.
    public struct Change: Sendable, Equatable {
        public var agentID: String, date: String, before: String, after: String
    }

    /// A shift's queue blocks and break, `ps 08:00-10:00,break 10:00-10:30,pe 10:30-12:00`.
    static func blocks(_ s: RosterShift, _ p: RosterProblem) -> String {
        func at(_ k: Int) -> String { formatClock(LocalDateTime.wrap(minuteOfDay: s.start + p.grid.startMinute(ofSlot: k))) }
        var out: [String] = []
        var k = 0
        while k < s.channels.count {
            let c = s.channels[k]
            var e = k
            while e < s.channels.count && s.channels[e] == c { e += 1 }
            out.append(p.label(code: c) + " \(at(k))-\(at(e))")
            k = e
        }
        return out.joined(separator: ",")
    }

    /// Assignments (agent, day) whose shift differs, or whose queue blocks differ; "off" where there is none.
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
            let s = (x ?? y)!
            if x?.start == y?.start && x?.template == y?.template && (x == nil) == (y == nil) {
                // Same shift: a change of queue blocks (when the old roster's queues are known) is a change too.
                if let x, let y, !x.channels.isEmpty, x.channels != y.channels {
                    out.append(Change(agentID: p.agents[s.agent].id, date: p.date(s.day), before: label(x) + " " + blocks(x, p), after: label(y) + " " + blocks(y, p)))
                }
                continue
            }
            out.append(Change(agentID: p.agents[s.agent].id, date: p.date(s.day), before: label(x), after: label(y)))
        }
        return out
    }
}
