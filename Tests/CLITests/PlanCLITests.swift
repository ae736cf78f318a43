import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct PlanCLITests {
    @Test("plan runs end to end, writes its outputs and report, and reuses them when nothing changed")
    func planEndToEnd() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        try (String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8) + "\n[staffing]\naht_seconds = 188\n")
            .write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.voice6]).code == 0)
        #expect(try CLI.run(["events", "import", "--workspace", ws, CLI.root + "/Datasets/anonbank-israel-1999/events-1999.csv"]).code == 0)
        let first = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(first.code == 0, "\(first.err)")
        #expect(first.out.contains("PeakPlan plan summary"))
        #expect(first.out.contains("voice"))
        for stage in ["checks", "backtest", "forecast", "staff", "report"] { #expect(first.out.contains("\n\(stage) "), "stage \(stage) timed") }
        let files = try FileManager.default.contentsOfDirectory(atPath: ws + "/plan")
        #expect(Set(["forecast-voice.csv", "peaks-voice.csv", "backtest-voice.csv", "staffing.csv", "report"]).isSubset(of: Set(files)))
        let html = try String(contentsOfFile: ws + "/plan/report/index.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("Forecast") && html.contains("Staffing requirement") && !html.contains("<script"))
        let staffing = try String(contentsOfFile: ws + "/plan/staffing.csv", encoding: .utf8)
        #expect(staffing.split(separator: "\n").count == 1 + 7 * 48)

        let again = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(again.code == 0 && again.err.contains("inputs unchanged"))
        #expect(again.out == first.out)

        let before = try files.filter { $0.hasSuffix(".csv") }.sorted().map { try String(contentsOfFile: ws + "/plan/" + $0, encoding: .utf8) }
        let forced = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--force"])
        #expect(forced.code == 0)
        let after = try files.filter { $0.hasSuffix(".csv") }.sorted().map { try String(contentsOfFile: ws + "/plan/" + $0, encoding: .utf8) }
        #expect(before == after, "re-running the whole plan gives identical outputs")

        // A changed input is noticed.
        try "date,name,kind\n2000-01-05,test event,custom\n".write(toFile: ws + "/ev.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["events", "import", "--workspace", ws, ws + "/ev.csv"]).code == 0)
        let changed = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(changed.code == 0 && !changed.err.contains("inputs unchanged"))
    }

    static let scheduleConfig = """

        [staffing]
        aht_seconds = 188

        [schedule]
        [[schedule.templates]]
        id = "day"
        length = "8h30m"
        start_every = "1h"
        earliest_start = "06:00"
        latest_end = "24:00"
        breaks = [{ length = "30m", earliest = "3h", latest = "5h" }]
        [[schedule.templates]]
        id = "night"
        length = "8h"
        start_every = "1h"
        earliest_start = "22:00"
        latest_end = "08:00"
        overnight = true
        [[schedule.groups]]
        id = "voice-team"
        skills = ["voice"]
        templates = ["day"]
        [[schedule.groups]]
        id = "night-desk"
        skills = ["voice"]
        cost_per_paid_hour = 1.2
        templates = ["night"]

        [plan]
        agents = "agents.csv"

        [scenarios.bad_training]
        [[scenarios.bad_training.cross_training]]
        group = "no-such-group"
        add = ["voice:2"]

        """

    @Test("with [schedule] and an agents file, plan also schedules, rosters and routes, and the report shows them")
    func planScheduleRosterRoute() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        try (String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8) + Self.scheduleConfig)
            .write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        var agents = "agent_id,name,skills,contract,site\n"
        for i in 1...40 { agents += "A\(i),Agent \(i),voice:1,\(i <= 32 ? "full_time" : "part_time"),main\n" }
        try agents.write(toFile: ws + "/agents.csv", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.voice6]).code == 0)
        let r = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(r.code == 0, "\(r.err)")
        for stage in ["schedule", "roster", "route"] { #expect(r.out.contains("\n\(stage) "), "stage \(stage) timed") }
        #expect(r.out.contains("gap to the bound") && r.out.contains("Routing table:") && r.out.contains("Roster: 40 agents, 1 week"))
        #expect(r.out.contains(" 0 hard violations"))
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: ws + "/plan"))
        #expect(Set(["schedule.csv", "coverage.csv", "routing.csv", "roster.csv", "roster.html", "schedule-explain.txt"]).isSubset(of: files))
        // Routing weights of each interval and queue sum to 1; every interval with a requirement has weights.
        let routing = try String(contentsOfFile: ws + "/plan/routing.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        var sums: [String: Double] = [:]
        var fallback = Set<String>()
        for f in routing {
            if f[5] == "fallback" { fallback.insert(String(f[0]) + "|" + String(f[1])); continue }
            sums[String(f[0]) + "|" + String(f[1]), default: 0] += Double(f[3])!
        }
        #expect(!sums.isEmpty && sums.values.allSatisfy { abs($0 - 1) < 1e-5 })
        #expect(fallback.isDisjoint(with: sums.keys), "a fallback row only where nobody is planned")
        let coverage = try String(contentsOfFile: ws + "/plan/coverage.csv", encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        let required = coverage.filter { Double($0[2])! > 0 }
        #expect(required.count > 300 && required.allSatisfy { sums[String($0[0]) + "|" + String($0[1])] != nil || fallback.contains(String($0[0]) + "|" + String($0[1])) })
        if r.out.contains(" 0 short intervals") { #expect(coverage.allSatisfy { Double($0[5])! < 1e-6 }) }
        // The roster CSV names only agents of the file; the report has the new sections as SVG.
        let roster = try String(contentsOfFile: ws + "/plan/roster.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!roster.isEmpty && roster.allSatisfy { $0.hasPrefix("A") })
        let html = try String(contentsOfFile: ws + "/plan/report/index.html", encoding: .utf8)
        for title in ["Schedule coverage", "Routing weights", "Roster"] { #expect(html.contains("<h2>\(title)</h2>"), "section \(title)") }
        #expect(html.contains("voice: planned minus required agents") && html.contains("Roster: agents x days") && !html.contains("<script"))
        let md = try String(contentsOfFile: ws + "/plan/report/report.md", encoding: .utf8)
        #expect(md.contains("figures/coverage-voice.svg") && md.contains("figures/roster-grid.svg") && md.contains("figures/routing-1.svg"))
        // Re-running every stage gives the same schedule, routing table and roster.
        let outputs = ["schedule.csv", "coverage.csv", "routing.csv", "roster.csv"]
        let before = try outputs.map { try String(contentsOfFile: ws + "/plan/" + $0, encoding: .utf8) }
        let forced = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--force"])
        #expect(forced.code == 0)
        #expect(try outputs.map { try String(contentsOfFile: ws + "/plan/" + $0, encoding: .utf8) } == before, "identical outputs run to run")
        // And with the machine loaded by other processes (one busy loop per core): the solver stops on work, not
        // on the clock, so the schedule, roster and routing table stay byte-identical.
        let load = (0 ..< max(2, ProcessInfo.processInfo.activeProcessorCount)).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "while :; do :; done"]
            try? p.run()
            return p
        }
        let loaded = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--force"])
        // SIGKILL: the test runner's children may inherit a blocked SIGTERM.
        for p in load { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        #expect(loaded.code == 0 && !loaded.err.contains("safety cap"), "\(loaded.err)")
        #expect(try outputs.map { try String(contentsOfFile: ws + "/plan/" + $0, encoding: .utf8) } == before, "identical outputs under load")
        // A cross-training change naming an unknown group is a configuration error.
        let bad = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--scenario", "bad_training"])
        #expect(bad.code == 78 && bad.err.contains("no [[schedule.groups]] with id \"no-such-group\""), "\(bad.err)")
        // A typo under [plan] is a configuration error naming line and key.
        let cfg = try String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8)
        try cfg.replacingOccurrences(of: "agents = \"agents.csv\"", with: "agents = \"agents.csv\"\nroster_week = 2")
            .write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        let typo = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(typo.code == 78 && typo.err.contains("plan.roster_week") && typo.err.contains("unknown key"), "\(typo.err)")
        try cfg.write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        // A missing agents file is named.
        let noAgents = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--agents", ws + "/missing.csv"])
        #expect(noAgents.code == 66 && noAgents.err.contains("missing.csv"))
    }

    @Test func planWithoutHistory() throws {
        let ws = try CLI.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let r = try CLI.run(["plan", "--workspace", ws])
        #expect(r.code == 65 && r.err.contains("no history"))
    }
}

@Suite(.serialized) struct ScenarioCLITests {
    @Test("a scenario (+20% voice on days 1-5) plans beside the baseline and compare shows its deltas")
    func scenarioAndCompare() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        try (String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8) + """

            [staffing]
            aht_seconds = 188

            [scenarios.card_rush]
            description = "+20% voice on days 1-5"
            [[scenarios.card_rush.volume]]
            channel = "voice"
            days_of_month = [1, 2, 3, 4, 5]
            change = 0.20

            """).write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.voice6]).code == 0)
        #expect(try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"]).code == 0)
        let sc = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--scenario", "card_rush"])
        #expect(sc.code == 0, "\(sc.err)")
        #expect(sc.out.contains("scenario card_rush"))
        #expect(sc.out.contains("5 * 48") || sc.out.contains("240 forecast intervals changed"))
        // Peaks are re-derived after the volume change and name the scenario as (part of) their cause.
        let peaks = try String(contentsOfFile: ws + "/scenarios/card_rush/plan/peaks-voice.csv", encoding: .utf8)
        #expect(peaks.contains("scenario card_rush +20%"), "\(peaks)")
        // Each peak day's 80% interval holds its total, in the baseline and in the scenario, where it is scaled with the
        // total: relative to the total it is the baseline's.
        var relative: [[String: [Double]]] = []
        for text in [peaks, try String(contentsOfFile: ws + "/plan/peaks-voice.csv", encoding: .utf8)] {
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            let col = { (name: String) in lines[0].firstIndex(of: name)! }
            let (total, lo, hi) = (col("forecast_total"), col("total_lo80"), col("total_hi80"))
            #expect(lines.count > 1)
            var byDay: [String: [Double]] = [:]
            for r in lines.dropFirst() {
                let t = try #require(Double(r[total])), l = try #require(Double(r[lo])), h = try #require(Double(r[hi]))
                #expect(l <= t && t <= h, "peak \(r[0]): total \(t), 80% interval \(l)-\(h)")
                byDay[r[0]] = [l / t, h / t]
            }
            relative.append(byDay)
        }
        let common = Set(relative[0].keys).intersection(relative[1].keys)
        #expect(!common.isEmpty)
        for d in common {
            // Totals and bounds are printed rounded to whole contacts.
            #expect(zip(relative[0][d]!, relative[1][d]!).allSatisfy { abs($0 - $1) < 0.01 }, "\(d): scenario \(relative[0][d]!), baseline \(relative[1][d]!)")
        }
        let cmp = try CLI.run(["compare", "--workspace", ws, "baseline", "card_rush", "--format", "csv"])
        #expect(cmp.code == 0, "\(cmp.err)")
        let row = cmp.out.split(separator: "\n").first { $0.hasPrefix("voice,") }!.split(separator: ",")
        // 2000-01-01..07 holds days 1-5: the 5 days get +20%, so the week's contacts rise by less than 20%.
        let change = Double(row[3])!
        #expect(change > 5 && change < 20, "contacts change \(change)%")
        #expect(Double(row[6])! > 0, "more agent-hours")
        // Baseline untouched; scenario reused when nothing changed.
        let again = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--scenario", "card_rush"])
        #expect(again.err.contains("inputs unchanged"))
        let missing = try CLI.run(["plan", "--workspace", ws, "--scenario", "nope"])
        #expect(missing.code == 78 && missing.err.contains("no scenario \"nope\""))
    }

    /// Day totals of a forecast or staffing CSV (timestamp first, the value in column `column`).
    static func dayTotals(_ path: String, column: Int) throws -> [String: Double] {
        var out: [String: Double] = [:]
        for l in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = l.split(separator: ",", omittingEmptySubsequences: false)
            out[String(f[0].prefix(10)), default: 0] += Double(f[column]) ?? .nan
        }
        return out
    }

    @Test("scenario outputs agree (forecast CSV = stored forecast = staffing volume), and an event size is the day's total change against a normal day")
    func scenarioOutputsAgree() throws {
        let ws = try CLI.workspace(extra: ["--weekend", "fri,sat"])
        defer { try? FileManager.default.removeItem(atPath: ws) }
        // A holiday has history (learnt about -90%): a size of +150% must give 2.5 normal days, not 2.5 x 0.1.
        try (String(contentsOfFile: ws + "/peakplan.toml", encoding: .utf8) + """

            [staffing]
            aht_seconds = 188

            [scenarios.rush]
            [[scenarios.rush.volume]]
            channel = "voice"
            days_of_month = [1, 2, 3, 4, 5]
            change = 0.20
            [[scenarios.rush.events]]
            date = "2000-01-06"
            name = "promo day"
            kind = "custom"
            channel = "voice"
            change = 1.5

            """).write(toFile: ws + "/peakplan.toml", atomically: true, encoding: .utf8)
        #expect(try CLI.run(["ingest", "--workspace", ws, CLI.voice6]).code == 0)
        #expect(try CLI.run(["events", "import", "--workspace", ws, CLI.root + "/Datasets/anonbank-israel-1999/events-1999.csv"]).code == 0)
        // Planner overrides: one on the sized day (the scenario's size wins there), one on the day after.
        let adjust = ["forecast", "adjust", "--workspace", ws, "--channel", "voice", "--reason", "planner"]
        #expect(try CLI.run(adjust + ["--date", "2000-01-06", "--set", "100"]).code == 0)
        #expect(try CLI.run(adjust + ["--date", "2000-01-07", "--scale", "2"]).code == 0)
        let base = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d"])
        #expect(base.code == 0, "\(base.err)")
        let sc = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--scenario", "rush"])
        #expect(sc.code == 0, "\(sc.err)")
        let b = try Self.dayTotals(ws + "/plan/forecast-voice.csv", column: 8)  // statistical_mean
        let adjusted = try Self.dayTotals(ws + "/plan/forecast-voice.csv", column: 2)
        #expect(abs(adjusted["2000-01-06"]! - 100) < 0.5 && abs(adjusted["2000-01-07"]! / b["2000-01-07"]! - 2) < 0.002)
        let dir = ws + "/scenarios/rush/plan/"
        let f = try Self.dayTotals(dir + "forecast-voice.csv", column: 2)
        let staffed = try Self.dayTotals(dir + "staffing.csv", column: 2)
        // The forecast file holds what staffing used (staffing reads the stored forecast), day by day, within
        // the rounding of the printed values.
        #expect(f.keys.sorted() == staffed.keys.sorted())
        for (day, v) in f { #expect(abs(v - staffed[day]!) <= 0.01 * 48, "\(day): forecast CSV \(v), staffing \(staffed[day]!)") }
        // Against the baseline's statistical forecast: days 1-5 +20% (scenario volume change); the promo day 2.5
        // normal days (the scenario's size, over the planner's set to 100 and the learnt holiday effect); the
        // day after x2 (the planner's override, as in the baseline).
        for (day, v) in f {
            let want = day == "2000-01-06" ? 2.5 : day == "2000-01-07" ? 2.0 : (day <= "2000-01-05" ? 1.2 : 1.0)
            #expect(abs(v / b[day]! - want) < 0.002, "\(day): scenario \(v) vs baseline \(b[day]!), want x\(want)")
        }
        #expect(sc.err.contains("2000-01-06: stated event size promo day +150%"), "\(sc.err)")
        #expect(sc.err.contains("48 adjusted intervals left to the scenario's event size"), "\(sc.err)")
    }
}
