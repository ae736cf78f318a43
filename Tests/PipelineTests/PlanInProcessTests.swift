import Foundation
import Pipeline
import PlanningCore
import Reports
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
        length = "9h"
        start_every = "1h"
        earliest_start = "06:00"
        latest_end = "24:00"
        breaks = [{ length = "1h", earliest = "3h", latest = "5h" }]
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

    /// A workspace planning at `interval` minutes with six weeks of voice history (the bundled 6-minute series;
    /// for a 15-minute workspace, which 6-minute data cannot fill, a seeded 5-minute series of the same shape),
    /// the rules above and 40 agents.
    static func workspace(interval: Int = 30) throws -> Workspace {
        let ws = Workspace(NSTemporaryDirectory() + "peakplan-pipeline-\(UUID().uuidString)")
        var config = WorkspaceConfig()
        config.timeZone = "+02:00"
        config.intervalMinutes = interval
        config.weekend = [4, 5]
        try ws.create(config)
        try (try String(contentsOfFile: ws.configPath, encoding: .utf8) + rules).write(toFile: ws.configPath, atomically: true, encoding: .utf8)
        // Agents 1-10 name their routing group; the others get the [schedule] group with their skills.
        var agents = "agent_id,name,skills,contract,site,group\n"
        for i in 1...40 { agents += "A\(i),Agent \(i),voice:1,\(i <= 32 ? "full_time" : "part_time"),main,\(i <= 10 ? "early-desk" : "")\n" }
        try agents.write(toFile: ws.resolve("agents.csv"), atomically: true, encoding: .utf8)
        let rows: Int
        if interval % 6 == 0 {
            let lines = try String(contentsOfFile: CLI.voice6, encoding: .utf8).split(separator: "\n").prefix(1 + 42 * 240)
            try (lines.joined(separator: "\n") + "\n").write(toFile: ws.resolve("voice.csv"), atomically: true, encoding: .utf8)
            rows = 42 * 240
        } else {
            try fiveMinuteHistory(days: 42).write(toFile: ws.resolve("voice.csv"), atomically: true, encoding: .utf8)
            rows = 42 * 288
        }
        let report = try IngestStage.run(ws, files: [ws.resolve("voice.csv")])
        #expect(report.totals.inserted == rows)
        return ws
    }

    /// Seeded 5-minute voice history from 1999-01-01: a daytime hump, quiet Fridays and Saturdays.
    static func fiveMinuteHistory(days: Int) -> String {
        var s = "timestamp,channel,volume\n"
        var state: UInt64 = 7
        let first = Civil.daysFromCivil(year: 1999, month: 1, day: 1)
        for d in 0..<days {
            let weekday = Civil.weekday(ofDay: first + Int64(d))
            let level = weekday == 4 ? 0.35 : weekday == 5 ? 0.15 : 1.0
            for k in 0..<288 {
                let hour = Double(k) / 12
                let shape = max(0, sin((hour - 6) / 16 * Double.pi))
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = Double(state >> 40) / Double(1 << 24)
                let v = (9 * level * shape + noise * 1.5).rounded()
                s += Civil.formatLocal(LocalDateTime.startOfDay(first + Int64(d)) + Int64(k * 300)) + ",voice,\(Int(v))\n"
            }
        }
        return s
    }

    /// Amazon Connect `CreateRoutingProfile` shape (routers.md): Name, Description, DefaultOutboundQueueId,
    /// QueueConfigs (QueueReference {QueueId, Channel VOICE|CHAT|TASK|EMAIL}, Priority 1-99, Delay 0-9999),
    /// MediaConcurrencies (Channel, Concurrency: voice 1, chat and tasks 1-10, CrossChannelBehavior.BehaviorType);
    /// and each agent assigned to exactly one existing profile.
    static func expectConnectShape(_ text: String, agents: Int) throws {
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(doc["format_version"] as? String == "peakplan-connect-routing-profiles/1")
        let profiles = try #require(doc["routing_profiles"] as? [[String: Any]])
        #expect(!profiles.isEmpty)
        let channels: Set<String> = ["VOICE", "CHAT", "TASK", "EMAIL"]
        var names = Set<String>()
        for p in profiles {
            let name = try #require(p["Name"] as? String)
            #expect(!name.isEmpty && name.count <= 127 && names.insert(name).inserted)
            #expect((p["Description"] as? String)?.count ?? 999 <= 250)
            let configs = try #require(p["QueueConfigs"] as? [[String: Any]])
            #expect(!configs.isEmpty && (p["DefaultOutboundQueueId"] as? String).map { !$0.isEmpty } == true)
            for c in configs {
                let ref = try #require(c["QueueReference"] as? [String: Any])
                #expect((ref["QueueId"] as? String).map { !$0.isEmpty } == true && channels.contains(ref["Channel"] as? String ?? ""))
                #expect((1...99).contains(c["Priority"] as? Int ?? 0) && (0...9999).contains(c["Delay"] as? Int ?? -1))
            }
            let media = try #require(p["MediaConcurrencies"] as? [[String: Any]])
            for m in media {
                let ch = m["Channel"] as? String ?? "", n = m["Concurrency"] as? Int ?? 0
                #expect(channels.contains(ch) && (ch == "VOICE" ? n == 1 : (1...10).contains(n)))
                let b = (m["CrossChannelBehavior"] as? [String: Any])?["BehaviorType"] as? String
                #expect(b == "ROUTE_CURRENT_CHANNEL_ONLY" || b == "ROUTE_ANY_CHANNEL")
            }
        }
        let assigned = try #require(doc["user_assignments"] as? [[String: Any]])
        #expect(assigned.count == agents && Set(assigned.compactMap { $0["agent_id"] as? String }).count == agents)
        #expect(assigned.allSatisfy { names.contains($0["routing_profile"] as? String ?? "") })
    }

    static func csv(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("forecast -> staffing -> schedule -> roster -> routing agree interval by interval, on 30-, 60- and 15-minute workspaces", arguments: [30, 60, 15])
    func joints(interval: Int) throws {
        let ws = try Self.workspace(interval: interval)
        let grid = try TimeGrid(minutes: interval)
        defer { try? FileManager.default.removeItem(atPath: ws.directory) }
        let outcome = try PlanRunner.run(PlanRequest(workspace: ws, horizon: PlanHorizon("7d")!, version: "test"))
        #expect(!outcome.reused)
        let dir = outcome.directory
        // Forecast file -> staffing: staffing staffs exactly the forecast mean of every interval.
        let forecast = try Self.csv(dir + "/forecast-voice.csv")
        let staffing = try Self.csv(dir + "/staffing.csv")
        #expect(forecast.count == 7 * grid.slotsPerDay && staffing.count == forecast.count)
        for (f, s) in zip(forecast, staffing) {
            #expect(f[0] == s[0])
            expectClose(Double(f[2])!, Double(s[2])!, absolute: 0.006, "volume at \(f[0])")
        }
        // Staffing -> schedule: the schedule's requirement is the floor requirement on every slot it covers: the
        // continuous productive agents (agents_fractional) uplifted for shrinkage (the factor scheduled / agents),
        // rounded up once (one queue: a pool of its own).
        var onShift: [Substring: Int] = [:]
        for r in staffing {
            let agents = Double(r[4])!, fractional = Double(r[5])!, scheduled = Double(r[6])!
            let x = agents > 0 ? fractional * scheduled / agents : 0
            onShift[r[0].prefix(16)] = x > FloorRequirement.tolerance ? Int((x - FloorRequirement.tolerance).rounded(.up)) : 0
        }
        #expect(onShift.values.contains { $0 > 0 })
        let coverage = try Self.csv(dir + "/coverage.csv")
        #expect(coverage.count > 3 * grid.slotsPerDay, "\(coverage.count) coverage rows")
        // (Rows outside the staffing horizon are night shifts running past its end: planned, nothing required.)
        for c in coverage { #expect(Double(onShift[Substring(c[0])] ?? 0) == Double(c[2]), "required at \(c[0])") }
        // Staffing -> roster: the roster runs on the workspace's grid; its requirement is the same floor requirement on every slot.
        let roster = try RosterStage.solve(RosterRequest(workspace: ws, agentsPath: ws.resolve("agents.csv"), weeks: 1))
        let p = roster.problem
        #expect(p.grid == grid)
        var matched = 0
        for (k, need) in p.required[0].enumerated() {
            let label = grid.label(firstDay: p.startDay, index: k).prefix(16)
            if let a = onShift[label] { #expect(need == a, "roster requirement at \(label)"); matched += 1 }
        }
        #expect(matched == 7 * grid.slotsPerDay, "every staffed slot of the roster week")
        #expect(roster.result.metrics.hardViolations == 0)
        // Roster -> routing: `route` routes the stored roster, byte for byte the plan's routing.csv, and its planned
        // agents per queue and interval are exactly the agents roster.csv puts on the queue (read side by side).
        let routed = try RouteStage.load(workspace: ws.directory, scheduleFile: nil)
        #expect(routed.roster != nil, "the plan stored a roster: routing follows it")
        let routing = try String(contentsOfFile: dir + "/routing.csv", encoding: .utf8)
        #expect(RouteText.queueTable(routed.table).renderCSV() == routing)
        var working: [String: Int] = [:]
        for a in try Self.csv(dir + "/roster.csv") where a[5] == "work" {
            // Activity times are the shift's real times; coverage is per slot: the slots starting in the activity
            // (on a 60-minute grid a 30-minute break takes its whole slot, work resumes at the next slot).
            let step = Int64(grid.minutes * 60)
            let start = try Civil.parseTimestamp(a[6]).get().localSeconds
            var t = (start + step - 1) / step * step
            let end = try Civil.parseTimestamp(a[7]).get().localSeconds
            while t < end { working[String(Civil.formatLocal(t).prefix(16)) + "|" + a[8], default: 0] += 1; t += step }
        }
        var planned: [String: Double] = [:]
        let rows = try Self.csv(dir + "/routing.csv")
        for r in rows where r[5] == "plan" { planned[r[0] + "|" + r[1], default: 0] += Double(r[4])! }
        #expect(!working.isEmpty && working.count == planned.count)
        #expect(Set(rows.filter { $0[5] == "plan" }.map { $0[2] }).isSubset(of: ["early-desk", "voice-team"]), "groups: the file's, else the [schedule] group with the skills")
        #expect(rows.contains { $0[2] == "early-desk" })
        for (k, n) in working { #expect(planned[k] == Double(n), "planned agents at \(k)") }
        // Every interval with expected contacts has an instruction: weights, or a fallback row naming a group.
        for r in staffing where Double(r[2])! > 0 {
            let key = r[0].prefix(16) + "|voice"
            #expect(planned[String(key)] != nil || rows.contains { $0[0] == r[0].prefix(16) && $0[5] == "fallback" && !$0[2].isEmpty }, "instruction at \(key)")
        }
        // The floor check is written beside them, and a roster that covers its requirement is not short on the floor
        // after shrinkage (issue 14 item 2): wherever the (one-queue) pool has its rostered agents, what stays on the
        // queue after shrinkage covers the productive requirement; and the check finds such intervals and others.
        let floor = try Self.csv(dir + "/floor.csv")
        var covered = 0
        for r in floor where Int(r[7])! >= Int(r[5])! {
            covered += 1
            #expect(Double(r[8])! >= Double(r[2])! - 0.002, "\(r[0]) \(r[1]): on the floor \(r[8]) < required \(r[2]) with the roster covered")
        }
        #expect(covered > 0)
        // The routing policies compared on the same random numbers: every policy per queue, the weight table's too.
        let policies = try Self.csv(dir + "/simulation-policies.csv")
        #expect(Set(policies.map { $0[2] }) == ["priority", "weights", "overflow"])
        #expect(policies.contains { $0[0] == "service_level" && $0[1] == "voice" && $0[2] == "weights" && !$0[5].isEmpty })
        // `peakplan report` alone rebuilds the floor check and the simulation from the store: the same figures as the plan's.
        let alone = NSTemporaryDirectory() + "peakplan-report-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: alone) }
        try ReportBuilder(workspace: ws, outDir: alone).write()
        let md = try String(contentsOfFile: alone + "/report.md", encoding: .utf8)
        let planMD = try String(contentsOfFile: dir + "/report/report.md", encoding: .utf8)
        for title in ["## On the floor", "## Simulated service", "Routing policies on the same random numbers"] {
            #expect(md.contains(title) && planMD.contains(title), "\(title) in both reports")
        }
        func section(_ text: String, _ title: String) -> Substring {
            guard let r = text.range(of: title) else { return "" }
            let rest = text[r.upperBound...]
            return rest[..<(rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex)]
        }
        #expect(section(md, "## On the floor") == section(planMD, "## On the floor"))
        #expect(section(md, "## Simulated service") == section(planMD, "## Simulated service"))
        // Router-native exports: Connect's routing-profile shape, every agent in exactly one profile.
        try Self.expectConnectShape(try String(contentsOfFile: dir + "/connect-routing-profiles.json", encoding: .utf8), agents: 40)
        let skills = try Self.csv(dir + "/agent-skills.csv")
        #expect(skills.count == 40 && skills.allSatisfy { $0[0] == "peakplan-agent-skills/1" && $0[4] == "voice" && $0[6] == "1" && $0[7] == "5" })
        // The same inputs again: reused, nothing re-run.
        let again = try PlanRunner.run(PlanRequest(workspace: ws, horizon: PlanHorizon("7d")!, version: "test"))
        #expect(again.reused && again.summary == outcome.summary)
    }
}
