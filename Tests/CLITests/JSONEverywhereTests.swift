import Foundation
import Testing
import TestSupport

/// Issue 13, item 4: every `--format json` output of every command and flag combination parses as ONE JSON
/// document (an object or an array), through the built binaries, on one small workspace (28 days of 30-minute
/// voice history in UTC, the scheduling rules of `Hostile.rules`, 12 agents). A guard reads `--help` of both
/// executables and fails when a command offering `--format json` has no case here.
@Suite(.serialized) struct JSONEverywhereTests {
    static let instances = CLI.root + "/Datasets/benchmarks/scheduling/instances"
    static let simulation = CLI.root + "/Datasets/simulation"

    /// Commands with `--format json` that the test leaves out, and why.
    static let notRun: [String: String] = [
        "bench forecast": "backtests every model on the bundled real series: minutes in a debug build (one document: JSONDocument.sections)",
        "bench events": "reads the synthetic series of ../shared/datasets, which tests never read (one document: JSONDocument.sections)"
    ]

    /// The workspace and the input files the cases read.
    static func workspace() throws -> String {
        let ws = try CLI.workspace(zone: "UTC")
        let config = try String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8)
        try Hostile.write(config + "\n" + Hostile.rules, ws + "/peakplan.toml")
        try Hostile.write(Hostile.history(days: 28), ws + "/h.csv")
        try Hostile.write(Hostile.rules, ws + "/rules.toml")
        try Hostile.write(Hostile.requirements(), ws + "/req.csv")
        try Hostile.write("date,name,kind\n2026-02-16,\"Sale \"\"<b>\"\"\",sales\n", ws + "/ev.csv")
        try Hostile.write(
            "agent_id,name,skills,contract,site\n" + (1...12).map { "A\($0),\"Agent \($0), \"\"Z\"\"\",voice:1,full_time,main\n" }.joined(),
            ws + "/agents.csv")
        var demand = "interval_start,channel,volume,aht_seconds\n"
        for k in 16..<40 { demand += String(format: "2026-03-02T%02d:%02d:00,voice,%d,300\n", k / 2, (k % 2) * 30, 20 + k) }
        try Hostile.write(demand, ws + "/demand.csv")
        return ws
    }

    /// A step that prepares what later cases read (its output is not JSON).
    static func setUp(_ args: [String]) throws {
        let r = try CLI.run(args)
        #expect(r.code == 0, "setup \(args.joined(separator: " ")): \(r.err)")
    }

    /// The cases in order (a case may read what an earlier one stored); each runs with `--format json`.
    static func cases(_ ws: String) -> [(setUp: [String]?, args: [String])] {
        let w = ["--workspace", ws]
        let files = ["--rules", ws + "/rules.toml", "--requirements", ws + "/req.csv"]
        let erlangC = ["erlang", "--arrivals", "100", "--interval-seconds", "1800", "--aht", "180"]
        let erlangA = ["erlang", "--model", "a", "--arrivals", "100", "--aht", "180", "--patience", "60"]
        let erlangB = ["erlang", "--model", "b", "--arrivals", "50", "--aht", "180"]
        let sim = ["simulate", "--instance", simulation + "/erlang_c_check.json", "--replications", "2"]
        let roster = ["roster"] + w + ["--agents", ws + "/agents.csv", "--weeks", "1"]
        let list: [(setUp: [String]?, args: [String])] = [
            (nil, ["ingest"] + w + [ws + "/h.csv"]),
            (nil, ["ingest"] + w + [ws + "/h.csv"]),  // unchanged the second time
            (nil, ["history"] + w),
            (nil, ["history", "summary"] + w + ["--channel", "voice"]),
            (["events", "import"] + w + [ws + "/ev.csv"], ["events", "list"] + w),
            (nil, ["backtest"] + w + ["--models", "snaive-day,snaive-week", "--no-timings"]),
            (nil, ["backtest"] + w + ["--channel", "voice", "--models", "snaive-day", "--origins", "2"]),
            (nil, ["backtest"] + w + ["--channel", "voice", "--models", "snaive-day,snaive-week", "--summary", "--no-timings"]),
            (nil, ["backtest"] + w + ["--channel", "voice", "--models", "snaive-day", "--origin", "2026-02-22", "--by-event-kind"]),
            (nil, ["forecast"] + w + ["--horizon", "7d"]),
            (nil, ["forecast"] + w + ["--horizon", "7d", "--peaks", "--peak-margin", "0", "--no-store"]),
            (nil, ["forecast"] + w + ["--horizon", "7d", "--explain", "--no-store"]),
            (nil, ["forecast"] + w + ["--horizon", "7d", "--peaks", "--explain", "--no-store"]),
            (nil, ["forecast"] + w + ["--horizon", "1d", "--as-of", "2026-02-28T12:00", "--no-store"]),
            (nil, ["forecast"] + w + ["--horizon", "7d", "--aggregate", "60", "--model", "snaive-week", "--no-store"]),
            (nil, ["forecast"] + w + ["--horizon", "7d", "--save-model", ws + "/models", "--no-store"]),
            (nil, ["forecast"] + w + ["--from-model", ws + "/models/voice-30min-snaive-week.json", "--horizon", "1d"]),
            (nil, ["forecast"] + w + ["--from-model", "stored:voice", "--horizon", "1d"]),
            (nil, ["staff"] + w),
            (nil, ["staff"] + w + ["--quantile", "p90", "--no-store"]),
            (nil, ["staff"] + w + ["--input", ws + "/demand.csv", "--no-store"]),
            (nil, erlangC + ["--sl-target", "0.8"]),
            (nil, erlangC + ["--agents", "14"]),
            (nil, erlangC + ["--agents", "14", "--sl-target", "0.8", "--max-asa", "20", "--fractional"]),
            (nil, erlangA + ["--sl-target", "0.8", "--max-abandon", "0.03"]),
            (nil, erlangA + ["--agents", "12", "--sl-seconds", "20"]),
            (nil, erlangA + ["--sl-target", "0.8", "--fractional"]),
            (nil, erlangB + ["--agents", "3"]),
            (nil, erlangB + ["--agents", "0"]),
            (nil, erlangB + ["--max-abandon", "0.02", "--max-occupancy", "0.9"]),
            (nil, ["schedule"] + files),
            (nil, ["schedule"] + files + ["--view", "coverage"]),
            (nil, ["schedule"] + files + ["--view", "summary"]),
            (nil, ["schedule"] + files + ["--save", ws + "/solved.json"]),
            (nil, ["schedule", "explain"] + files),
            (nil, ["schedule"] + w + ["--soft"]),  // stored requirements; stores the schedule
            (nil, ["schedule"] + w + ["--soft", "--view", "summary", "--no-store"]),
            (nil, ["schedule", "explain"] + w + ["--soft"]),
            (nil, ["route", "--schedule", ws + "/solved.json"]),
            (nil, ["route", "--schedule", ws + "/solved.json", "--view", "groups"]),
            (nil, ["route"] + w),  // the stored schedule
            (nil, ["route"] + w + ["--view", "groups"]),
            (nil, roster),
            (roster + ["--format", "csv", "--out", ws + "/roster.csv"], roster + ["--replan", "--previous", ws + "/roster.csv"]),
            (nil, sim),
            (nil, sim + ["--by", "interval"]),
            (nil, sim + ["--by", "agent", "--policy", "overflow", "--overflow-delay", "10"]),
            (["plan"] + w + ["--horizon", "7d", "--agents", ws + "/agents.csv"], ["compare"] + w + ["baseline", "baseline"]),
            (nil, ["bench", "ingest", "--rows", "2000"]),
            (nil, ["bench", "schedule", instances + "/scale_1q_1w.json"]),
            (nil, ["bench", "roster", "--agents", "10", "--weeks", "1", "--data", CLI.types30, "--schedule-time-limit", "30"]),
            (nil, ["bench", "simulate", simulation + "/erlang_c_check.json", "--replications", "1", "--no-reference"]),
            (nil, ["bench", "simulate-speed", "--cases", "a", "--replications", "1"]),
            (nil, ["bench", "staffing", "--days", "2", "--repeats", "1"]),
            (nil, ["bench", "staffing-check", "--no-page", "--no-simulate"]),
            (nil, ["bench", "reality-replay", "--calls", Self.firstDaysCalls(ws), "--replications", "2"])
        ]
        return list
    }

    /// The bundled call records of the first day of each month (the replay on all of them takes minutes in a
    /// debug build; its figures are the benchmark's, here only the document's shape is checked).
    static func firstDaysCalls(_ ws: String) -> String {
        let path = ws + "/calls-first-days.csv"
        if !FileManager.default.fileExists(atPath: path) {
            let text = (try? String(contentsOfFile: CLI.root + "/Datasets/anonbank-calls-1999/calls.csv", encoding: .utf8)) ?? ""
            let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
            let kept = lines.prefix(1) + lines.dropFirst().filter { $0.count > 10 && $0.dropFirst(8).prefix(2) == "01" }
            try? (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        return path
    }

    /// The text is exactly one JSON document whose top level is an object or an array.
    static func isOneDocument(_ text: String) -> Bool {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
            let value = try? JSONSerialization.jsonObject(with: Data(text.utf8))
        else { return false }
        return value is [Any] || value is [String: Any]
    }

    @Test("the check itself: two documents, a fragment, nothing or a truncated document are refused")
    func checkRefuses() {
        #expect(Self.isOneDocument("[\n  {\"a\": 1}\n]\n") && Self.isOneDocument("{\"a\": [1, 2.5, null]}\n"))
        for bad in ["[]\n[]\n", "{\"a\": 1}\n{\"b\": 2}\n", "[1]\n{\"b\": 2}", "3\n", "\"x\"", "", "\n", "[\n  {\"a\": 1},\n", "{\"a\": nan}"] {
            #expect(!Self.isOneDocument(bad), "accepted \(bad.debugDescription)")
        }
    }

    @Test("every --format json output of every command and flag combination is one JSON document")
    func everyJSONOutputIsOneDocument() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        var covered = Set<String>()
        for c in Self.cases(ws) {
            if let s = c.setUp { try Self.setUp(s) }
            let r = try CLI.run(c.args + ["--format", "json"])
            let shown = c.args.joined(separator: " ").replacingOccurrences(of: ws, with: "WS").replacingOccurrences(of: CLI.root + "/", with: "")
            #expect(r.code == 0, "\(shown): exit \(r.code): \(r.err)")
            #expect(Self.isOneDocument(r.out), "\(shown) printed no single JSON document: \(r.out.prefix(300))")
            covered.insert(try Commands.path(of: c.args))
        }
        let offering = try Commands.offeringJSON()
        // The help reader found the commands (a change in the help layout must not make the guard vacuous).
        #expect(offering.isSuperset(of: ["ingest", "history summary", "events list", "schedule solve", "schedule explain", "erlang", "bench schedule"]))
        #expect(offering.count >= 20, "\(offering.sorted())")
        let missing = offering.subtracting(covered).subtracting(Self.notRun.keys)
        #expect(missing.isEmpty, "commands with --format json and no case in JSONEverywhereTests: \(missing.sorted())")
        #expect(offering.isSuperset(of: covered), "cases for commands without --format json: \(covered.subtracting(offering).sorted())")
    }
}

/// The command tree of both executables, read from their `--help`.
enum Commands {
    struct Node {
        var subcommands: [String] = []
        var defaultSubcommand: String?
        var offersJSON = false
    }

    nonisolated(unsafe) static var cache: [String: Node] = [:]

    /// What `--help` of the command at `path` says (path starts with "peakplan" or "bench").
    static func node(_ path: [String]) throws -> Node {
        let key = path.joined(separator: " ")
        if let n = cache[key] { return n }
        let args = (path.first == "bench" ? ["bench"] : []) + path.dropFirst() + ["--help"]
        let help = try CLI.run(Array(args)).out
        var n = Node()
        var inSubcommands = false
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("SUBCOMMANDS:") { inSubcommands = true; continue }
            if inSubcommands {
                if line.trimmingCharacters(in: .whitespaces).isEmpty { inSubcommands = false; continue }
                // An entry starts two spaces in; its description continues further in on the next lines.
                guard line.hasPrefix("  "), !line.hasPrefix("   ") else { continue }
                let words = line.split(separator: " ")
                n.subcommands.append(String(words[0]))
                if words.count > 1, words[1] == "(default)" { n.defaultSubcommand = String(words[0]) }
            } else if line.trimmingCharacters(in: .whitespaces).hasPrefix("--format <format>") {
                n.offersJSON = line.contains("json")
            }
        }
        cache[key] = n
        return n
    }

    /// The command a case runs, e.g. "schedule solve" for `schedule --rules ...` (solve is the default).
    static func path(of args: [String]) throws -> String {
        var path = args.first == "bench" ? ["bench"] : ["peakplan"]
        var rest = args.first == "bench" ? Array(args.dropFirst()) : args
        while true {
            let n = try node(path)
            if let next = rest.first, n.subcommands.contains(next) {
                path.append(next)
                rest.removeFirst()
            } else if let d = n.defaultSubcommand {
                path.append(d)
            } else {
                break
            }
        }
        return (path.first == "bench" ? path : Array(path.dropFirst())).joined(separator: " ")
    }

    /// Every command of both executables whose `--format` offers json.
    static func offeringJSON() throws -> Set<String> {
        var found = Set<String>()
        func walk(_ path: [String]) throws {
            let n = try node(path)
            if n.offersJSON { found.insert((path.first == "bench" ? path : Array(path.dropFirst())).joined(separator: " ")) }
            for s in n.subcommands { try walk(path + [s]) }
        }
        try walk(["peakplan"])
        try walk(["bench"])
        return found
    }
}
