import Foundation
import Pipeline
import PlanningCore
import Store
import TestSupport
import Testing

/// The plan run in-process through the application layer (no CLI), checked at its joints: every stage's output
/// agrees with the next stage's input.
@Suite("plan in-process")
struct PlanInProcessTests {
    static let rules = """

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

        """

    /// A workspace with six weeks of the bundled 6-minute voice series, the rules above and 40 agents.
    static func workspace() throws -> Workspace {
        let ws = Workspace(NSTemporaryDirectory() + "peakplan-pipeline-\(UUID().uuidString)")
        var config = WorkspaceConfig()
        config.timeZone = "+02:00"
        config.intervalMinutes = 30
        config.weekend = [4, 5]
        try ws.create(config)
        try (try String(contentsOfFile: ws.configPath, encoding: .utf8) + rules).write(toFile: ws.configPath, atomically: true, encoding: .utf8)
        var agents = "agent_id,name,skills,contract,site\n"
        for i in 1...40 { agents += "A\(i),Agent \(i),voice:1,\(i <= 32 ? "full_time" : "part_time"),main\n" }
        try agents.write(toFile: ws.resolve("agents.csv"), atomically: true, encoding: .utf8)
        let lines = try String(contentsOfFile: CLI.voice6, encoding: .utf8).split(separator: "\n").prefix(1 + 42 * 240)
        try (lines.joined(separator: "\n") + "\n").write(toFile: ws.resolve("voice.csv"), atomically: true, encoding: .utf8)
        let report = try IngestStage.run(ws, files: [ws.resolve("voice.csv")])
        #expect(report.totals.inserted == 42 * 240)
        return ws
    }

    static func csv(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("forecast -> staffing -> schedule -> roster -> routing agree interval by interval")
    func joints() throws {
        let ws = try Self.workspace()
        defer { try? FileManager.default.removeItem(atPath: ws.directory) }
        let outcome = try PlanRunner.run(PlanRequest(workspace: ws, horizon: PlanHorizon("7d")!, version: "test"))
        #expect(!outcome.reused)
        let dir = outcome.directory
        // Forecast file -> staffing: staffing staffs exactly the forecast mean of every interval.
        let forecast = try Self.csv(dir + "/forecast-voice.csv")
        let staffing = try Self.csv(dir + "/staffing.csv")
        #expect(forecast.count == 7 * 48 && staffing.count == forecast.count)
        for (f, s) in zip(forecast, staffing) {
            #expect(f[0] == s[0])
            expectClose(Double(f[2])!, Double(s[2])!, absolute: 0.006, "volume at \(f[0])")
        }
        // Staffing -> schedule: the schedule's requirement is the staffing requirement on every slot it covers.
        let agents = Dictionary(uniqueKeysWithValues: staffing.map { ($0[0].prefix(16), Double($0[4])!) })
        let coverage = try Self.csv(dir + "/coverage.csv")
        #expect(coverage.count > 200)
        // (Rows outside the staffing horizon are night shifts running past its end: planned, nothing required.)
        for c in coverage { #expect((agents[Substring(c[0])] ?? 0) == Double(c[2]), "required at \(c[0])") }
        // Schedule -> routing: the routing file is the stored schedule's table, byte for byte.
        let routed = try RouteStage.load(workspace: ws.directory, scheduleFile: nil)
        let routing = try String(contentsOfFile: dir + "/routing.csv", encoding: .utf8)
        #expect(RouteStage.queueTable(routed.table, problem: routed.document.problem).renderCSV() == routing)
        // Staffing -> roster: the roster's requirement is the staffing requirement on every 30-minute slot.
        let roster = try RosterStage.solve(RosterRequest(workspace: ws, agentsPath: ws.resolve("agents.csv"), weeks: 1))
        let p = roster.problem
        let first = p.startDay * Civil.secondsPerDay
        for (k, need) in p.required[0].enumerated() {
            let label = Civil.formatLocal(first + Int64(k) * 1_800).prefix(16)
            if let a = agents[label] { #expect(Double(need) == a, "roster requirement at \(label)") }
        }
        // The same inputs again: reused, nothing re-run.
        let again = try PlanRunner.run(PlanRequest(workspace: ws, horizon: PlanHorizon("7d")!, version: "test"))
        #expect(again.reused && again.summary == outcome.summary)
    }
}
