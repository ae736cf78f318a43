import Foundation
import Testing

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
}
