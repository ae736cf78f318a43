import Foundation
import PlanningCore
import Testing
import TestSupport

@Suite(.serialized) struct RosterCLITests {
    /// A workspace with a two-channel staffing requirement for 2026-03-02..15 and an agents file.
    static func setUp() throws -> (ws: String, agents: String) {
        let ws = try CLI.workspace()
        var demand = "interval_start,channel,volume,aht_seconds\n"
        for d in 2...15 {
            for k in 0..<48 {
                let h = Double(k) / 2
                let base = max(0, exp(-pow((h - 11) / 3, 2)) + 0.7 * exp(-pow((h - 16) / 3, 2)))
                let stamp = String(format: "2026-03-%02dT%02d:%02d:00", d, k / 2, (k % 2) * 30)
                demand += "\(stamp),voice,\(String(format: "%.1f", base * 40)),300\n\(stamp),chat,\(String(format: "%.1f", base * 15)),300\n"
            }
        }
        try demand.write(toFile: ws + "/demand.csv", atomically: true, encoding: .utf8)
        let staff = try CLI.run(["staff", "--workspace", ws, "--input", ws + "/demand.csv"])
        precondition(staff.code == 0, staff.err)
        var agents = "agent_id,name,skills,contract,site,time_zone,unavailable,preferred_start,days_off_preference\n"
        for i in 1...14 {
            let skills = i % 3 == 0 ? "chat:1|voice:2" : "voice:1|chat:2"
            let contract = ["full_time", "full_time", "part_time", "flex"][i % 4]
            agents += "A\(i),Agent \(i),\(skills),\(contract),north,,\(i == 5 ? "2026-03-04..2026-03-05" : ""),\(i % 5 == 0 ? "07:00-09:00" : ""),\(i % 4 == 0 ? "sat|sun" : "")\n"
        }
        try agents.write(toFile: ws + "/agents.csv", atomically: true, encoding: .utf8)
        return (ws, ws + "/agents.csv")
    }

    /// A workspace planning on `interval` minutes, with a staffing requirement of that interval for 2026-03-02..15.
    static func setUp(interval: Int) throws -> (ws: String, agents: String) {
        let ws = try CLI.workspace(extra: ["--interval", String(interval)])
        // No shrinkage: this test is about the grid; the roster's requirement is then staffing's own agents.
        let config = try String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8)
        precondition(config.contains("shrinkage = 0.3 "))
        try config.replacingOccurrences(of: "shrinkage = 0.3 ", with: "shrinkage = 0 ").write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        var demand = "interval_start,channel,volume,aht_seconds\n"
        for d in 2...15 {
            for m in stride(from: 0, to: 24 * 60, by: interval) {
                let h = Double(m) / 60
                let base = max(0, exp(-pow((h - 11) / 3, 2)) + 0.7 * exp(-pow((h - 16) / 3, 2)))
                let stamp = String(format: "2026-03-%02dT%02d:%02d:00", d, m / 60, m % 60)
                demand += "\(stamp),voice,\(String(format: "%.1f", base * 40 * Double(interval) / 30)),300\n"
            }
        }
        try demand.write(toFile: ws + "/demand.csv", atomically: true, encoding: .utf8)
        let staff = try CLI.run(["staff", "--workspace", ws, "--input", ws + "/demand.csv"])
        precondition(staff.code == 0, staff.err)
        var agents = "agent_id,name,skills,contract,site\n"
        for i in 1...12 { agents += "A\(i),Agent \(i),voice:1,\(["full_time", "full_time", "part_time", "flex"][i % 4]),north\n" }
        try agents.write(toFile: ws + "/agents.csv", atomically: true, encoding: .utf8)
        return (ws, ws + "/agents.csv")
    }

    /// `interval_minutes = 60` and `= 15`: the roster runs on the workspace grid end to end (the requirement
    /// itself is compared slot by slot with staffing's in RosteringTests.GridTests).
    @Test(arguments: [60, 15])
    func rostersOnTheWorkspaceInterval(interval: Int) throws {
        let (ws, agents) = try Self.setUp(interval: interval)
        let base = ["roster", "--workspace", ws, "--agents", agents, "--weeks", "1", "--start", "2026-03-02"]
        let j = try CLI.run(base + ["--format", "json"])
        #expect(j.code == 0, "\(j.err)")
        let doc = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        let summary = doc?["summary"] as? [String: Any]
        #expect(summary?["hard_violations"] as? Int == 0)
        #expect((summary?["shifts"] as? Int ?? 0) > 10)
        // Demand in every hour the agents can work: the roster covers most of it (a half-empty requirement
        // would leave half the staffing need unplanned).
        #expect((summary?["shortfall_pct"] as? Double ?? 100) < 60, "\(summary ?? [:])")
        let c = try CLI.run(base + ["--format", "csv"])
        #expect(c.code == 0, "\(c.err)")
        let rows = c.out.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(!rows.isEmpty)
        for r in rows {
            // shift_start HH:MM on the grid; the break is its 30 minutes, whatever the grid.
            let minute = Int(r[3].dropFirst(14).prefix(2))!
            #expect(minute % interval == 0, "\(r[3]) on the \(interval)-minute grid")
            if r[5] == "break" {
                let a = Civil.parseTimestamp(String(r[6])), b = Civil.parseTimestamp(String(r[7]))
                if case .success(let x) = a, case .success(let y) = b { #expect(y.localSeconds - x.localSeconds == 30 * 60) } else { Issue.record("bad break times \(r)") }
            }
        }
    }

    @Test func summaryCsvJsonAndExports() throws {
        let (ws, agents) = try Self.setUp()
        let base = ["roster", "--workspace", ws, "--agents", agents, "--weeks", "2", "--start", "2026-03-02"]
        let t = try CLI.run(base)
        #expect(t.code == 0, "\(t.err)")
        #expect(t.out.contains("hard violations") && t.out.contains("coverage shortfall %") && t.out.contains("preferences met %"))
        let c = try CLI.run(base + ["--format", "csv", "--ical-dir", ws + "/ical", "--html", ws + "/roster.html"])
        #expect(c.code == 0, "\(c.err)")
        #expect(c.out.hasPrefix("agent_id,name,date,shift_start,shift_end,activity,start,end,channel\n"))
        #expect(c.out.contains(",work,") && c.out.contains(",break,"))
        // The search stops on work (passes), not time: the same roster whatever the machine's load.
        let again = try CLI.run(base + ["--format", "csv"])
        #expect(again.out == c.out, "same inputs and seed give the same roster")
        #expect(!again.err.contains("safety cap"), "\(again.err)")
        let j = try CLI.run(base + ["--format", "json"])
        #expect(j.code == 0 && j.out.contains("\"hard_violations\": 0"))
        #expect(try JSONSerialization.jsonObject(with: Data(j.out.utf8)) is [String: Any])
        let files = try FileManager.default.contentsOfDirectory(atPath: ws + "/ical").sorted()
        #expect(files.count == 14 && files.contains("A1.ics"))
        let html = try String(contentsOfFile: ws + "/roster.html", encoding: .utf8)
        #expect(html.contains("<table>") && html.contains("Agent 14 (A14)"))
        try Self.parseWithICalendar(ws + "/ical/A1.ics")
    }

    /// Parses with Python's icalendar package (a real RFC 5545 parser) when it is installed; otherwise
    /// the strict structural check in RosteringTests.ExportTests is what covers the format.
    static func parseWithICalendar(_ path: String) throws {
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import icalendar"]
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return }
        probe.waitUntilExit()
        guard probe.terminationStatus == 0 else {
            // Not an error on machines without it (CI from a fresh clone): say so on stderr.
            FileHandle.standardError.write(Data("RosterCLITests: python3 icalendar is not installed (pip install icalendar): real-parser check skipped\n".utf8))
            return
        }
        let script = """
        import sys, icalendar
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
        assert cal['VERSION'] == '2.0' and cal.get('PRODID')
        ev = cal.walk('VEVENT')
        assert ev, 'no events'
        for e in ev:
            s, t = e.decoded('DTSTART'), e.decoded('DTEND')
            assert s.tzinfo is not None and t > s and e.get('UID') and e.get('DTSTAMP') and str(e.get('SUMMARY')).startswith('Shift ')
        print(len(ev), ev[0].decoded('DTSTART').isoformat())
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out; p.standardError = err
        try p.run(); p.waitUntilExit()
        let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "icalendar could not parse \(path): \(e)")
        #expect(o.contains("2026-03-0"), "first event \(o)")
    }

    @Test("replan with no change: no changed shift, queue block or break, the same file and the same shortfall")
    func replanWithNoChangeKeepsEverything() throws {
        let (ws, agents) = try Self.setUp()
        let base = ["roster", "--workspace", ws, "--weeks", "2", "--start", "2026-03-02", "--agents", agents]
        let first = try CLI.run(base + ["--format", "csv", "--out", ws + "/published.csv"])
        #expect(first.code == 0, "\(first.err)")
        let re = try CLI.run(base + ["--replan", "--previous", ws + "/published.csv", "--format", "csv"])
        #expect(re.code == 0 && re.err.contains("replan: 0 changed assignments"), "\(re.err)")
        #expect(re.out == (try String(contentsOfFile: ws + "/published.csv", encoding: .utf8)), "every shift, queue block and break kept")
        let a = try CLI.run(base + ["--format", "json"]), b = try CLI.run(base + ["--replan", "--previous", ws + "/published.csv", "--format", "json"])
        func shortfall(_ text: String) throws -> Double? {
            ((try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["summary"] as? [String: Any])?["shortfall_pct"] as? Double
        }
        #expect(try shortfall(a.out) != nil && shortfall(a.out) == shortfall(b.out))
        // The roster command stores its roster: routing the workspace routes it, and its planned agents are the
        // roster's allocation; --no-store leaves the store alone.
        #expect(a.err.contains("stored as run"), "\(a.err)")
        let route = try CLI.run(["route", "--workspace", ws, "--from", "roster", "--format", "csv"])
        #expect(route.code == 0 && route.out.contains(",plan"), "\(route.err)")
        let n = try CLI.run(base + ["--format", "json", "--no-store"])
        #expect(n.code == 0 && !n.err.contains("stored as run"))
    }

    @Test func replanAfterASickDayChangesOnlyThatDay() throws {
        let (ws, agents) = try Self.setUp()
        let base = ["roster", "--workspace", ws, "--weeks", "2", "--start", "2026-03-02"]
        let first = try CLI.run(base + ["--agents", agents, "--format", "csv", "--out", ws + "/published.csv"])
        #expect(first.code == 0, "\(first.err)")
        let published = try String(contentsOfFile: ws + "/published.csv", encoding: .utf8)
        // A1 falls sick on the first day A1 works.
        let row = try #require(published.split(separator: "\n").first { $0.hasPrefix("A1,") })
        let day = String(row.split(separator: ",")[2])
        let text = try String(contentsOfFile: agents, encoding: .utf8)
        let sick = text.replacingOccurrences(of: "A1,Agent 1,voice:1|chat:2,full_time,north,,,", with: "A1,Agent 1,voice:1|chat:2,full_time,north,,\(day),")
        #expect(sick != text)
        try sick.write(toFile: ws + "/agents2.csv", atomically: true, encoding: .utf8)
        let re = try CLI.run(base + ["--agents", ws + "/agents2.csv", "--replan", "--previous", ws + "/published.csv"])
        #expect(re.code == 0, "\(re.err)")
        let lines = re.out.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("Changed assignments") })
        let changes = lines[(start + 3)...].filter { !$0.isEmpty }
        #expect(!changes.isEmpty)
        #expect(changes.allSatisfy { $0.contains(day) }, "\(changes)")
        #expect(changes.contains { $0.hasPrefix("A1 ") && $0.hasSuffix("off") })
        // With CSV on stdout the diff goes to stderr, one line per changed assignment, and the roster keeps
        // every other published shift.
        let csv = try CLI.run(base + ["--agents", ws + "/agents2.csv", "--replan", "--previous", ws + "/published.csv", "--format", "csv"])
        #expect(csv.code == 0 && csv.err.contains("replan: \(changes.count) changed assignment"), "\(csv.err)")
        let diffLines = csv.err.components(separatedBy: "\n").filter { $0.hasPrefix("  ") && $0.contains(" -> ") }
        #expect(diffLines.count == changes.count && diffLines.allSatisfy { $0.contains(day) })
        let keep = { (t: String) in
            Set(t.split(separator: "\n").filter { !$0.contains(",\(day)T") && !$0.hasPrefix("agent_id") }.map { r in
                let f = r.split(separator: ",", omittingEmptySubsequences: false)
                return "\(f[0]) \(f[3]) \(f[4])"
            })
        }
        #expect(keep(csv.out) == keep(published))
    }

    @Test func badInputsExitWithTheirCodes() throws {
        let (ws, agents) = try Self.setUp()
        let text = try String(contentsOfFile: agents, encoding: .utf8)
        try (text + "A1,Again,voice:1,full_time,north,,,,\n").write(toFile: ws + "/dup.csv", atomically: true, encoding: .utf8)
        let dup = try CLI.run(["roster", "--workspace", ws, "--agents", ws + "/dup.csv", "--weeks", "1", "--start", "2026-03-02"])
        #expect(dup.code == 65 && dup.err.contains("dup.csv:16: column agent_id, value \"A1\": duplicate agent id"))
        try text.replacingOccurrences(of: "A2,Agent 2,voice:1|chat:2", with: "A2,Agent 2,fax:1").write(toFile: ws + "/skill.csv", atomically: true, encoding: .utf8)
        let skill = try CLI.run(["roster", "--workspace", ws, "--agents", ws + "/skill.csv", "--weeks", "1", "--start", "2026-03-02"])
        #expect(skill.code == 65 && skill.err.contains("column skills, value \"fax:1\": unknown skill"))
        let cfg = ws + "/peakplan.toml"
        let orig = try String(contentsOfFile: cfg, encoding: .utf8)
        try (orig + "\n[roster]\n[[roster.contracts]]\nname = \"full_time\"\nmin_hours_week = 50\nmax_hours_week = 40\ntemplates = [\"day8\"]\n").write(toFile: cfg, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["roster", "--workspace", ws, "--agents", agents, "--weeks", "1", "--start", "2026-03-02"])
        #expect(bad.code == 78 && bad.err.contains("roster.contracts[1].min_hours_week") && bad.err.contains("line "))
        try orig.write(toFile: cfg, atomically: true, encoding: .utf8)
        let usage = try CLI.run(["roster", "--workspace", ws, "--agents", agents, "--weeks", "9"])
        #expect(usage.code == 64)
        let missing = try CLI.run(["roster", "--workspace", ws, "--agents", ws + "/nope.csv", "--weeks", "1"])
        #expect(missing.code == 66)
    }

    @Test func benchRosterJSON() throws {
        let r = try CLI.run(["bench", "roster", "--agents", "30", "--weeks", "1", "--format", "json", "--data", CLI.types30, "--schedule-time-limit", "30",
                             "--no-workability-limits"])
        #expect(r.code == 0, "\(r.err)")
        let o = try #require(try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any])
        #expect(Set(o.keys) == ["agents", "weeks", "seconds", "hard_violations", "shortfall_pct", "fairness_spread", "preferences_met_pct",
                                "schedule_shortfall_pct", "shortfall_diff_pp", "schedule_seconds", "schedule_groups", "schedule_proven"])
        #expect(o["hard_violations"] as? Int == 0 && o["agents"] as? Int == 30)
        // The group-level schedule of the same requirement: a real figure, and the roster within 1 point of it.
        let roster = try #require(o["shortfall_pct"] as? Double), schedule = try #require(o["schedule_shortfall_pct"] as? Double)
        let diff = try #require(o["shortfall_diff_pp"] as? Double)
        #expect(schedule >= 0 && schedule < 100 && (o["schedule_groups"] as? Int ?? 0) > 0)
        #expect(abs(diff - (roster - schedule)) < 0.002)
        #expect(diff <= 1, "roster \(roster)% vs group-level \(schedule)%")
        // With the start limits and queue blocks (the default) the roster pays for workability, within a few points.
        let w = try CLI.run(["bench", "roster", "--agents", "30", "--weeks", "1", "--format", "json", "--data", CLI.types30, "--schedule-time-limit", "30"])
        let wo = try #require(try JSONSerialization.jsonObject(with: Data(w.out.utf8)) as? [String: Any])
        let limited = try #require(wo["shortfall_pct"] as? Double)
        #expect(limited >= roster - 0.5 && limited - schedule <= 6, "with limits \(limited)% vs group-level \(schedule)%")
        let t = try CLI.run(["bench", "roster", "--agents", "30", "--weeks", "1", "--data", CLI.types30, "--schedule-time-limit", "30"])
        #expect(t.code == 0 && t.out.contains("schedule_shortfall_pct") && t.out.contains("shortfall_diff_pp"))
    }
}
