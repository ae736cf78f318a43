import PlanningCore
@testable import Reports
import Testing
@testable import Rostering

/// Issue 12: agents and roster files as Excel writes them (CRLF, BOM), empty files, and names that would
/// inject into calendars, spreadsheets or reports.
@Suite struct HostileInputTests {
    static let header = "agent_id,name,skills,contract,site\n"

    func parse(_ text: String) throws(RosterInputError) -> [Agent] {
        try AgentsCSV.parse(text, file: "agents.csv", channels: ["voice", "chat", "ps", "in"], contracts: RosterConfig.builtInContracts).agents
    }

    func message(_ text: String) -> String {
        do { _ = try parse(text); return "" } catch { return error.description }
    }

    @Test("an agents file with CRLF line ends and a BOM reads like the LF one")
    func crlfAndBOM() throws {
        let lf = Self.header + "A1,Ann,ps:1|in:2,full_time,north\nA2,\"Bo, Jr\",voice:1,part_time,south\n"
        let crlf = "\u{FEFF}" + lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try parse(lf), b = try parse(crlf)
        #expect(a.map(\.id) == ["A1", "A2"] && b.map(\.id) == a.map(\.id))
        #expect(b.map(\.name) == ["Ann", "Bo, Jr"] && b[0].skills.map(\.channel) == ["ps", "in"])
        // Blank CRLF lines and a last line without a line end.
        #expect(try parse(crlf + "\r\n\r\nA3,Cy,chat:1,flex,west").count == 3)
    }

    @Test("a header-only agents file is a clear error, not a crash")
    func headerOnly() {
        #expect(message(Self.header) == "agents.csv:2: the file has a header but no agents: add one row per agent (agent_id,name,skills,contract,site)")
        #expect(message(Self.header.replacingOccurrences(of: "\n", with: "\r\n")).contains("no agents"))
        #expect(message("").contains("empty file"))
    }

    @Test("names that inject: control characters, formulas, path separators", arguments: [
        ("A\u{1B}[2J,Ann,voice:1,full_time,n\n", "column agent_id", "control character (U+001B)"),
        ("../A1,Ann,voice:1,full_time,n\n", "column agent_id", "path separator"),
        ("=A1,Ann,voice:1,full_time,n\n", "column agent_id", "formula"),
        ("A1,\"Ann\rATTENDEE:mailto:x@evil\",voice:1,full_time,n\n", "column name", "control character (U+000D)"),
        ("A1,@SUM(1),voice:1,full_time,n\n", "column name", "formula"),
        ("A1,+Ann,voice:1,full_time,n\n", "column name", "formula"),
        ("A1,Ann\u{07},voice:1,full_time,n\n", "column name", "U+0007"),
        ("A1,Ann,voice:1,full_time,-north\n", "column site", "formula"),
    ])
    func badNames(_ row: String, _ column: String, _ fragment: String) {
        let m = message(Self.header + row)
        #expect(m.hasPrefix("agents.csv:2: \(column)"), "\(m)")
        #expect(m.contains(fragment) && m.contains("fix:"), "\(m)")
        #expect(!m.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "the message echoes no control character: \(m)")
    }

    @Test("a previous roster with CRLF line ends reads back")
    func previousRosterCRLF() throws {
        let (p, r) = try ExportTests.solved()
        let csv = RosterExport.csv(r, p)
        let lf = try RosterExport.parsePrevious(csv, file: "prev.csv", p)
        let crlf = try RosterExport.parsePrevious("\u{FEFF}" + csv.replacingOccurrences(of: "\n", with: "\r\n"), file: "prev.csv", p)
        #expect(lf.roster.shifts.count == r.shifts.count && crlf.roster.shifts.count == lf.roster.shifts.count)
        #expect(crlf.warnings == lf.warnings)
    }

    @Test("iCalendar TEXT: a bare CR, CRLF or LF never ends the content line; controls are dropped (RFC 5545 3.3.11)")
    func iCalendarEscape() {
        #expect(RosterExport.escape("Ann\rATTENDEE:mailto:x@evil") == "Ann\\nATTENDEE:mailto:x@evil")
        #expect(RosterExport.escape("a\r\nb\nc") == "a\\nb\\nc")
        #expect(RosterExport.escape("a;b,c\\d") == "a\\;b\\,c\\\\d")
        #expect(RosterExport.escape("bell\u{07}esc\u{1B}") == "bell esc ")
        #expect(!RosterExport.escape("x\ry\u{0B}z").unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test("report.md shows raw HTML from names as text, like index.html")
    func markdownEscapesHTML() {
        var doc = ReportDocument(title: "Plan <b>", subtitle: "s")
        var t = Table(title: "Agents <i>", columns: ["name"])
        t.rows = [[.text("<img src=x onerror=alert(1)>")], [.text("a|b\nc")]]
        doc.sections = [.init(title: "<script>x</script>", paragraphs: ["Channel <svg onload=alert(1)> and `code`"], tables: [t])]
        let md = doc.renderMarkdown().text
        #expect(!md.contains("<img") && !md.contains("<script") && !md.contains("<svg") && !md.contains("<b>") && !md.contains("<i>"))
        #expect(md.contains("&lt;img src=x onerror=alert(1)&gt;") && md.contains("`code`") && md.contains("| a\\|b c |"))
    }

    @Test("a number beyond Int64 renders without trapping; non-finite numbers are empty / null")
    func hugeNumbersRender() {
        let t = Table(columns: ["v"], rows: [[.number(9.3e18, decimals: 0)], [.number(-1e300, decimals: 0)], [.number(.infinity, decimals: 0)], [.number(.nan, decimals: 1)]])
        let lines = t.renderCSV().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "v" && lines[1] == "9300000000000000000" && lines[2].hasPrefix("-1000") && lines[2].count > 300)
        #expect(lines[3] == "" && lines[4] == "")
        #expect(t.renderJSON().contains("{\"v\": null}"))
        #expect(Cell.number(5e18, decimals: 0).plain == "5000000000000000000")
    }

    @Test("spreadsheet-safe free text")
    func spreadsheetSafe() {
        #expect(InputRules.spreadsheetSafe("=cmd|' /C calc'!A0") == "'=cmd|' /C calc'!A0")
        #expect(InputRules.spreadsheetSafe("month start — +28%") == "month start — +28%")
        #expect(InputRules.spreadsheetSafe("a\r\nb") == "a  b")
        #expect(InputRules.problem(withName: "语音 voice-1.2_x", use: .identifier) == nil)
    }
}
