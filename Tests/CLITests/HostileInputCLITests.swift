import Foundation
import Testing
import TestSupport

/// Issue 12, item 5: bad and hostile inputs through the built binary. Every case is a clear error with its
/// documented exit code (or a documented acceptance) and leaves the store unchanged.
enum Hostile {
    /// `days` days (from 2026-02-01, at most 28) of 30-minute history for `channel`, with a daily shape.
    static func history(days: Int, channel: String = "voice", lineEnd: String = "\n") -> String {
        var s = "timestamp,channel,volume,aht_seconds" + lineEnd
        for d in 1...days {
            for k in 0..<48 {
                let h = Double(k) / 2
                let v = max(0, 30 * exp(-pow((h - 12) / 4, 2)) + Double((d * 7 + k) % 5))
                s += String(format: "2026-02-%02dT%02d:%02d:00,%@,%.0f,180", d, k / 2, (k % 2) * 30, channel, v) + lineEnd
            }
        }
        return s
    }

    /// A workspace (UTC) with `days` days of voice history.
    static func workspace(days: Int) throws -> String {
        let ws = try CLI.workspace(zone: "UTC")
        try history(days: days).write(toFile: ws + "/h.csv", atomically: true, encoding: .utf8)
        let r = try CLI.run(["ingest", "--workspace", ws, ws + "/h.csv"])
        precondition(r.code == 0, r.err)
        return ws
    }

    static let rules = """
        [schedule]
        time_limit_seconds = 30
        [[schedule.templates]]
        id = "day"
        length = "8h"
        start_every = "1h"
        earliest_start = "06:00"
        latest_end = "22:00"
        [[schedule.groups]]
        id = "voice-team"
        skills = ["voice"]
        templates = ["day"]

        """

    /// One day of requirements for voice and chat (chat has no group in `rules`).
    static func requirements(lineEnd: String = "\n") -> String {
        var s = "interval_start,queue,required" + lineEnd
        for k in 16..<40 {
            let t = String(format: "2026-03-02T%02d:%02d:00", k / 2, (k % 2) * 30)
            s += "\(t),voice,\(3 + k % 3)" + lineEnd + "\(t),chat,2" + lineEnd
        }
        return s
    }

    static func write(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8) }

    static func isJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

}

@Suite(.serialized) struct HostileInputCLITests {
    static let ws28: String = try! Hostile.workspace(days: 28)

    // MARK: 1. one CSV reader: CRLF and BOM everywhere

    @Test("staff --input, schedule --requirements and the agents file accept CRLF and a BOM like LF")
    func crlfEverywhere() throws {
        let ws = try CLI.workspace(zone: "UTC")
        defer { try? FileManager.default.removeItem(atPath: ws) }
        var demand = "interval_start,channel,volume,aht_seconds\r\n"
        for k in 16..<40 { demand += String(format: "2026-03-02T%02d:%02d:00,voice,%d,300\r\n", k / 2, (k % 2) * 30, 20 + k) }
        try Hostile.write("\u{FEFF}" + demand, ws + "/demand.csv")
        let staff = try CLI.run(["staff", "--workspace", ws, "--input", ws + "/demand.csv", "--format", "csv"])
        #expect(staff.code == 0, "\(staff.err)")
        #expect(staff.out.split(separator: "\n").count == 25)
        try Hostile.write(Hostile.rules, ws + "/rules.toml")
        let lf = Hostile.requirements(), crlf = "\u{FEFF}" + Hostile.requirements(lineEnd: "\r\n")
        try Hostile.write(lf, ws + "/req-lf.csv"); try Hostile.write(crlf, ws + "/req-crlf.csv")
        let a = try CLI.run(["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req-lf.csv", "--format", "csv", "--queue", "voice"])
        let b = try CLI.run(["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req-crlf.csv", "--format", "csv", "--queue", "voice"])
        #expect(a.code == 0 && b.code == 0, "\(a.err)\n\(b.err)")
        #expect(a.out == b.out && !a.out.isEmpty)
    }

    @Test("roster: an agents file as Excel writes it (CRLF, BOM) loads; header-only is exit 65, not a crash")
    func rosterAgentsCRLFAndHeaderOnly() throws {
        let (ws, agents) = try RosterCLITests.setUp()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let text = try String(contentsOfFile: agents, encoding: .utf8)
        try Hostile.write("\u{FEFF}" + text.replacingOccurrences(of: "\n", with: "\r\n"), ws + "/agents_crlf.csv")
        let lf = try CLI.run(["roster", "--workspace", ws, "--agents", agents, "--weeks", "1", "--start", "2026-03-02", "--format", "csv"])
        let crlf = try CLI.run(["roster", "--workspace", ws, "--agents", ws + "/agents_crlf.csv", "--weeks", "1", "--start", "2026-03-02", "--format", "csv"])
        #expect(lf.code == 0 && crlf.code == 0, "\(crlf.err)")
        #expect(lf.out == crlf.out)
        let header = String(text.prefix { $0 != "\n" })
        try Hostile.write(header + "\r\n", ws + "/header_only.csv")
        let empty = try CLI.run(["roster", "--workspace", ws, "--agents", ws + "/header_only.csv", "--weeks", "1", "--start", "2026-03-02"])
        #expect(empty.code == 65 && empty.err.contains("header_only.csv:2: the file has a header but no agents"), "\(empty.err)")
        // A bare CR in an agent name would inject an iCalendar line: refused where it enters.
        try Hostile.write(text.replacingOccurrences(of: "A3,Agent 3,", with: "A3,\"Agent 3\rATTENDEE:mailto:x@evil\","), ws + "/cr.csv")
        let cr = try CLI.run(["roster", "--workspace", ws, "--agents", ws + "/cr.csv", "--weeks", "1", "--start", "2026-03-02"])
        #expect(cr.code == 65 && cr.err.contains("column name") && cr.err.contains("control character"), "\(cr.err)")
    }

    // MARK: 2. crashes become exit codes

    @Test("a peakplan.toml or --rules file nested 100,000 levels deep is exit 78 with the line, not a stack overflow")
    func deepTOML() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let cfg = ws + "/peakplan.toml"
        let orig = try String(contentsOfFile: cfg, encoding: .utf8)
        try Hostile.write(orig + "\ndeep = " + String(repeating: "[", count: 100_000) + "\n", cfg)
        let r = try CLI.run(["history", "--workspace", ws])
        #expect(r.code == 78 && r.err.contains("line ") && r.err.contains("nested more than 32 levels"), "\(r.err)")
        try Hostile.write(orig + "\ndeep = " + String(repeating: "{a = ", count: 100_000) + "\n", cfg)
        #expect(try CLI.run(["history", "--workspace", ws]).code == 78)
        try Hostile.write("[" + Array(repeating: "a", count: 100_000).joined(separator: ".") + "]\n", cfg)
        let dotted = try CLI.run(["history", "--workspace", ws])
        #expect(dotted.code == 78 && dotted.err.contains("nested too deep"), "\(dotted.err)")
        try Hostile.write(orig, cfg)
        try Hostile.write("[schedule]\nx = " + String(repeating: "[", count: 100_000) + "\n", ws + "/rules.toml")
        try Hostile.write(Hostile.requirements(), ws + "/req.csv")
        let rules = try CLI.run(["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv"])
        #expect(rules.code == 78 && rules.err.contains("rules.toml: line 2"), "\(rules.err)")
        // A hexadecimal number in the config is refused too.
        try Hostile.write(orig.replacingOccurrences(of: "interval_minutes = 30", with: "interval_minutes = 0x1E"), cfg)
        #expect(try CLI.run(["history", "--workspace", ws]).code == 78)
    }

    @Test("JSON inputs nested 100,000 levels deep are exit 65, not a crash")
    func deepJSON() throws {
        let dir = NSTemporaryDirectory() + "peakplan-deep-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Hostile.write(String(repeating: "[", count: 100_000), dir + "/a.json")
        try Hostile.write(String(repeating: "{\"a\":", count: 100_000), dir + "/o.json")
        for f in ["a.json", "o.json"] {
            let i = try CLI.run(["schedule", "--instance", dir + "/" + f])
            #expect(i.code == 65, "\(i.err)")
            let m = try CLI.run(["forecast", "--workspace", Self.ws28, "--from-model", dir + "/" + f])
            #expect(m.code == 65, "\(m.err)")
        }
    }

    @Test("a 0-byte store is exit 74 and stays as it is; it is not silently re-created")
    func emptyStore() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let store = ws + "/peakplan.sqlite"
        try FileManager.default.removeItem(atPath: store)
        FileManager.default.createFile(atPath: store, contents: Data())
        let r = try CLI.run(["history", "--workspace", ws])
        #expect(r.code == 74 && r.err.contains("is empty (0 bytes)"), "\(r.err)")
        #expect(CLI.bytes(store).isEmpty)
    }

    // MARK: 3. exit codes

    @Test("a misspelt subcommand is named, with the nearest one")
    func subcommandTypo() throws {
        let r = try CLI.run(["histroy", "--workspace", "x"])
        #expect(r.code == 64 && r.err.contains("unknown subcommand 'histroy'; did you mean 'history'?"), "\(r.err)")
        let f = try CLI.run(["forcast"])
        #expect(f.code == 64 && f.err.contains("did you mean 'forecast'?"), "\(f.err)")
        let far = try CLI.run(["zzzzzzzz"])
        #expect(far.code == 64 && far.err.contains("unknown subcommand 'zzzzzzzz'") && !far.err.contains("did you mean"))
        #expect(try CLI.run(["--version"]).code == 0)
        #expect(try CLI.run(["help", "history"]).code == 0)
    }

    @Test("dshw beyond 7 days is a usage error (64), not an unexpected failure")
    func dshwHorizon() throws {
        let r = try CLI.run(["forecast", "--workspace", Self.ws28, "--model", "dshw", "--horizon", "14d", "--no-store"])
        #expect(r.code == 64 && r.err.contains("at most 7 days ahead"), "\(r.err)")
    }

    @Test("too little history: forecast and plan exit 65 naming the channel and what is needed; plan writes nothing")
    func shortHistory() throws {
        let ws = try Hostile.workspace(days: 10)
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let before = CLI.bytes(ws + "/peakplan.sqlite")
        let f = try CLI.run(["forecast", "--workspace", ws])
        #expect(f.code == 65 && f.err.contains("channel voice has 10 whole days of history") && f.err.contains("at least 14"), "\(f.err)")
        let p = try CLI.run(["plan", "--workspace", ws])
        #expect(p.code == 65 && p.err.contains("channel voice has 10 days of history") && p.err.contains("at least 14"), "\(p.err)")
        #expect(!FileManager.default.fileExists(atPath: ws + "/plan"))
        #expect(CLI.bytes(ws + "/peakplan.sqlite") == before)
    }

    @Test("plan --horizon 0d is a usage error before any stage writes", arguments: ["0d", "-3d", "400d", "0h", "14x", "abc"])
    func planHorizon(_ h: String) throws {
        let r = try CLI.run(["plan", "--workspace", Self.ws28, "--horizon", h])
        #expect(r.code == 64 && r.err.contains("--horizon"), "\(r.err)")
        #expect(!r.err.contains("Swift") && !FileManager.default.fileExists(atPath: Self.ws28 + "/plan"))
    }

    // MARK: 4. one JSON document, one CSV table (every JSON output: JSONEverywhereTests)

    @Test("forecast --peaks --explain: JSON is one document with two sections; CSV is refused naming the flags")
    func peaksExplain() throws {
        let j = try CLI.run(["forecast", "--workspace", Self.ws28, "--horizon", "7d", "--peaks", "--explain", "--peak-margin", "0", "--format", "json", "--no-store"])
        #expect(j.code == 0, "\(j.err)")
        let obj = try JSONSerialization.jsonObject(with: Data(j.out.utf8)) as? [String: Any]
        #expect(obj?["peaks"] is [Any] && obj?["effects"] is [Any], "\(j.out.prefix(300))")
        let c = try CLI.run(["forecast", "--workspace", Self.ws28, "--peaks", "--explain", "--format", "csv", "--no-store"])
        #expect(c.code == 64 && c.err.contains("--peaks and --explain"), "\(c.err)")
    }

    @Test("every --format csv output is one table: every row has the header's field count")
    func everyCSVIsOneTable() throws {
        let ws = Self.ws28
        try Hostile.write(Hostile.rules, ws + "/rules.toml")
        try Hostile.write(Hostile.requirements(), ws + "/req.csv")
        let runs: [[String]] = [
            ["ingest", "--workspace", ws, ws + "/h.csv"],
            ["history", "--workspace", ws],
            ["history", "export", "--workspace", ws],
            ["backtest", "--workspace", ws, "--models", "snaive-day,snaive-week", "--no-timings"],
            ["forecast", "--workspace", ws, "--horizon", "7d"],  // stored: staff reads it
            ["forecast", "--workspace", ws, "--horizon", "7d", "--peaks", "--peak-margin", "0", "--no-store"],
            ["forecast", "--workspace", ws, "--horizon", "7d", "--explain", "--no-store"],
            ["staff", "--workspace", ws, "--no-store"],
            ["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv"],
            ["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv", "--view", "summary"],
            ["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv", "--view", "coverage"],
            ["schedule", "explain", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv"],
            ["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv", "--save", ws + "/solved.json"],
            ["route", "--schedule", ws + "/solved.json"],
            ["route", "--schedule", ws + "/solved.json", "--view", "groups"],
        ]
        func fields(_ line: Substring) -> Int {
            var n = 1, quoted = false
            for c in line { if c == "\"" { quoted.toggle() } else if c == "," && !quoted { n += 1 } }
            return n
        }
        for args in runs {
            let r = try CLI.run(args + (args.contains("export") ? [] : ["--format", "csv"]))
            #expect(r.code == 0, "\(args.joined(separator: " ")): \(r.err)")
            let lines = r.out.split(separator: "\n")
            guard let header = lines.first else { Issue.record("\(args.joined(separator: " ")): no output"); continue }
            let n = fields(header)
            let bad = lines.filter { fields($0) != n }
            #expect(bad.isEmpty, "\(args.joined(separator: " ")): rows with another field count than the header: \(bad.prefix(2))")
        }
    }

    // MARK: 5. names

    @Test("events: names with control characters or formulas are refused (65) naming line and column")
    func eventNames() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let before = CLI.bytes(ws + "/peakplan.sqlite")
        for (row, fragment) in [("2026-03-02,=1+1,sales", "formula"), ("2026-03-02,\"Sale\u{1B}[31m\",sales", "control character"),
                                ("2026-03-02,Sale,sales,../x", "path separator")] {
            let header = row.split(separator: ",").count == 4 ? "date,name,kind,channel\n" : "date,name,kind\n"
            try Hostile.write(header + row + "\n", ws + "/ev.csv")
            let r = try CLI.run(["events", "import", "--workspace", ws, ws + "/ev.csv"])
            #expect(r.code == 65 && r.err.contains("ev.csv:2: column") && r.err.contains(fragment), "\(r.err)")
        }
        #expect(CLI.bytes(ws + "/peakplan.sqlite") == before)
    }

    @Test("a scenario named ../../x is a configuration error (78) and nothing is copied outside the workspace")
    func scenarioName() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        try Hostile.write(try String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8)
                          + "\n[scenarios.\"../../escape\"]\n[[scenarios.\"../../escape\".volume]]\nchange = 0.2\n", ws + "/peakplan.toml")
        let r = try CLI.run(["plan", "--workspace", ws, "--scenario", "../../escape"])
        #expect(r.code == 78 && r.err.contains("path separator"), "\(r.err)")
        #expect(!FileManager.default.fileExists(atPath: (ws as NSString).deletingLastPathComponent + "/escape"))
        #expect(!FileManager.default.fileExists(atPath: ws + "/scenarios"))
    }

    // MARK: 6. --out onto special files

    @Test("--out /dev/null and /dev/stdout write through the device; /dev/full is exit 73; a symlink stays a symlink; a file keeps its mode")
    func specialOutputs() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let null = try CLI.run(["history", "--workspace", ws, "--out", "/dev/null"])
        #expect(null.code == 0, "\(null.err)")
        var st = stat()
        #expect(stat("/dev/null", &st) == 0 && (st.st_mode & S_IFMT) == S_IFCHR)
        let full = try CLI.run(["history", "--workspace", ws, "--out", "/dev/full"])
        #expect(full.code == 73 && full.err.contains("/dev/full"), "\(full.err)")
        let stdout = try CLI.run(["history", "--workspace", ws, "--format", "csv", "--out", "/dev/stdout"])
        #expect(stdout.code == 0 && stdout.out.hasPrefix("channel,"), "\(stdout.err)")
        // A symlink: the target is replaced, the link stays.
        try Hostile.write("old\n", ws + "/target.csv")
        chmod(ws + "/target.csv", 0o600)
        try FileManager.default.createSymbolicLink(atPath: ws + "/link.csv", withDestinationPath: ws + "/target.csv")
        let link = try CLI.run(["history", "--workspace", ws, "--format", "csv", "--out", ws + "/link.csv"])
        #expect(link.code == 0, "\(link.err)")
        #expect(lstat(ws + "/link.csv", &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK)
        #expect(try String(contentsOfFile: ws + "/target.csv", encoding: .utf8).hasPrefix("channel,"))
        #expect(stat(ws + "/target.csv", &st) == 0 && st.st_mode & 0o777 == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws).filter { $0.contains(".tmp-") }.isEmpty)
    }

    // MARK: 7. queues no group serves

    @Test("schedule: a queue no group serves is a warning naming it; the rest is scheduled (and routed)")
    func unservedQueue() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        try Hostile.write(Hostile.rules, ws + "/rules.toml")
        try Hostile.write(Hostile.requirements(), ws + "/req.csv")
        let r = try CLI.run(["schedule", "--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv", "--format", "csv", "--save", ws + "/solved.json"])
        #expect(r.code == 0, "schedule: \(r.err)")
        #expect(r.err.contains("warning: no agent group serves queue chat"), "schedule: \(r.err)")
        #expect(!r.out.isEmpty && !r.out.contains(",chat,"))
        // Routing reads the saved schedule: the unserved queue is not in it either.
        let route = try CLI.run(["route", "--schedule", ws + "/solved.json", "--format", "csv"])
        #expect(route.code == 0, "route: \(route.err)")
        #expect(!route.out.isEmpty && !route.out.contains(",chat,"))
    }

    // MARK: 8. nothing stored when the output cannot be written; a failed plan leaves the previous one

    @Test("a plan that fails at a late stage leaves plan/ as it was and keeps none of its stages' runs")
    func failedPlanIsUndone() throws {
        let ws = try Hostile.workspace(days: 28)
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let ok = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(ok.code == 0, "\(ok.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: ws + "/plan").sorted()
        let forecast = CLI.bytes(ws + "/plan/forecast-voice.csv")
        let staffBefore = try CLI.run(["staff", "--workspace", ws, "--no-store", "--format", "csv"])
        #expect(staffBefore.code == 0 && staffBefore.out.split(separator: "\n").count == 7 * 48 + 1, "\(staffBefore.err)")
        // A header-only agents file is refused before any stage runs.
        try Hostile.write("agent_id,name,skills,contract,site\r\n", ws + "/empty.csv")
        let empty = try CLI.run(["plan", "--workspace", ws, "--horizon", "14d", "--agents", ws + "/empty.csv", "--force"])
        #expect(empty.code == 65 && empty.err.contains("empty.csv:2: the file has a header but no agents") && !empty.err.contains("plan: backtest"), "\(empty.err)")
        // An agent with an unknown skill fails the roster stage, after backtest, forecast and staff stored their runs.
        try Hostile.write("agent_id,name,skills,contract,site\nA1,Ann,fax:1,full_time,main\n", ws + "/agents.csv")
        let bad = try CLI.run(["plan", "--workspace", ws, "--horizon", "14d", "--agents", ws + "/agents.csv", "--force"])
        #expect(bad.code == 65 && bad.err.contains("unknown skill") && bad.err.contains("plan: staff done"), "\(bad.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws + "/plan").sorted() == files)
        #expect(CLI.bytes(ws + "/plan/forecast-voice.csv") == forecast)
        #expect(try FileManager.default.contentsOfDirectory(atPath: ws).filter { $0.hasPrefix("plan.") }.isEmpty)
        // The 14-day forecast and staffing of the failed plan were not kept: staff still reads the 7-day run.
        let staffAfter = try CLI.run(["staff", "--workspace", ws, "--no-store", "--format", "csv"])
        #expect(staffAfter.out == staffBefore.out)
    }

    @Test("forecast, staff and backtest with a bad --out: exit 73 and the store unchanged", arguments: [
        ["forecast", "--horizon", "7d"], ["staff"], ["backtest", "--models", "snaive-day"],
    ])
    func badOutStoresNothing(_ args: [String]) throws {
        let ws = try Hostile.workspace(days: 28)
        defer { try? FileManager.default.removeItem(atPath: ws) }
        if args[0] == "staff" { #expect(try CLI.run(["forecast", "--workspace", ws, "--horizon", "7d"]).code == 0) }
        let dump = { try CLI.run(["history", "export", "--workspace", ws]).out }
        _ = try dump()
        let before = CLI.bytes(ws + "/peakplan.sqlite")
        for out in [ws + "/no/such/dir/x.csv", "/dev/full"] {
            let r = try CLI.run([args[0], "--workspace", ws] + args.dropFirst() + ["--out", out])
            #expect(r.code == 73, "\(args) --out \(out): \(r.err)")
            #expect(CLI.bytes(ws + "/peakplan.sqlite") == before, "\(args) --out \(out) stored its run")
        }
    }
}
