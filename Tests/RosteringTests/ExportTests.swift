import PlanningCore
@testable import Reports
import Testing
@testable import Rostering

@Suite struct ExportTests {
    static func solved() throws -> (RosterProblem, Roster) {
        let p = EngineTests.problem(agents: 8, weeks: 1, seed: 5)
        return (p, try RosterEngine(problem: p).solve().roster)
    }

    /// Strict RFC 5545 structure: CRLF only, lines <= 75 octets, unfolded properties, required VEVENT fields.
    @Test func iCalendarStructure() throws {
        let (p, r) = try Self.solved()
        var q = p
        q.agents[0].name = "Zoë 張偉 " + String(repeating: "long name ", count: 12)
        let a = r.shifts[0].agent
        let text = RosterExport.iCalendar(agent: a, r, q, dtstamp: 1_772_000_000, toUTC: { $0 - 7200 })
        let bytes = Array(text.utf8)
        for (i, b) in bytes.enumerated() where b == 10 { #expect(i > 0 && bytes[i - 1] == 13) }
        #expect(text.hasSuffix("\r\n"))
        let physical = text.components(separatedBy: "\r\n").dropLast()
        for l in physical { #expect(l.utf8.count <= 75, "line over 75 octets: \(l)") }
        var logical: [String] = []
        for l in physical { if l.hasPrefix(" ") { logical[logical.count - 1] += l.dropFirst() } else { logical.append(l) } }
        #expect(logical.first == "BEGIN:VCALENDAR" && logical.last == "END:VCALENDAR")
        #expect(logical.contains("VERSION:2.0") && logical.contains { $0.hasPrefix("PRODID:") })
        let events = logical.filter { $0 == "BEGIN:VEVENT" }.count
        #expect(events == r.shifts.filter { $0.agent == a }.count && events > 0)
        for key in ["UID:", "DTSTAMP:", "DTSTART:", "DTEND:", "SUMMARY:"] { #expect(logical.filter { $0.hasPrefix(key) }.count == events) }
        let start = try #require(logical.first { $0.hasPrefix("DTSTART:") })
        #expect(start.count == "DTSTART:20260302T060000Z".count && start.hasSuffix("Z"))
        #expect(logical.contains { $0.hasPrefix("X-WR-CALNAME:Roster Zoë 張偉 long name") })
    }

    @Test func foldingNeverSplitsAUTF8Sequence() {
        let line = "SUMMARY:" + String(repeating: "張", count: 60)
        let folded = RosterExport.fold(line)
        for part in folded.components(separatedBy: "\r\n") { #expect(part.utf8.count <= 75) }
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
    }

    @Test func csvRoundTripsThroughPrevious() throws {
        let (p, r) = try Self.solved()
        let csv = RosterExport.csv(r, p)
        #expect(csv.hasPrefix(RosterExport.csvHeader + "\n"))
        let back = try RosterExport.parsePrevious(csv, file: "r.csv", p)
        #expect(RosterExport.diff(r, back.roster, p).isEmpty)
        #expect(back.history.isEmpty)
    }

    @Test func htmlGridHasAgentsByDays() throws {
        let (p, r) = try Self.solved()
        let h = RosterExport.html(r, p, title: "Roster <test>")
        #expect(h.contains("<title>Roster &lt;test&gt;</title>"))
        #expect(h.components(separatedBy: "<tr><th>").count - 2 == p.agents.count)  // + the header row
        #expect(h.components(separatedBy: "</th><th").count >= 7)
    }

    /// An agent in another time zone sees its own shift times in the iCalendar summary and the HTML grid;
    /// DTSTART/DTEND stay the same instants (UTC).
    @Test func agentTimeZoneInExports() throws {
        let solved = try Self.solved()
        var p = solved.0
        let r = solved.1
        let ws = try ZoneRules("+02:00")
        p.zone = ws
        let a = r.shifts[0].agent
        p.agents[a].timeZone = "+08:00"
        let toUTC = { (l: Int64) in RosterExport.utc(l, in: ws) }
        let text = RosterExport.iCalendar(agent: a, r, p, dtstamp: 1_772_000_000, toUTC: toUTC).replacingOccurrences(of: "\r\n ", with: "")
        let first = r.shifts.filter { $0.agent == a }.min { $0.day < $1.day }!
        let shifted = (first.start + 6 * 60) % 1440
        let summary = try #require(text.components(separatedBy: "\r\n").first { $0.hasPrefix("SUMMARY:") })
        #expect(summary.hasPrefix("SUMMARY:Shift \(formatClock(shifted))-") && summary.contains(" +08:00"), "\(summary)")
        var q = p
        q.agents[a].timeZone = nil
        let plain = RosterExport.iCalendar(agent: a, r, q, dtstamp: 1_772_000_000, toUTC: toUTC).replacingOccurrences(of: "\r\n ", with: "")
        #expect(plain.contains("SUMMARY:Shift \(formatClock(first.start))-"))
        let starts = { (t: String) in t.components(separatedBy: "\r\n").filter { $0.hasPrefix("DTSTART:") } }
        #expect(starts(text) == starts(plain))
        let html = RosterExport.html(r, p, title: "t")
        #expect(html.contains("<td>+08:00</td>") && html.contains("<small>\(formatClock(shifted))-"))
    }
}
