import Foundation
import PlanningCore
import Testing
@testable import Scheduling

@Suite struct ConfigTests {
    static let good = """
    [schedule]
    time_limit_seconds = 20
    relative_gap = 0.002

    [schedule.weights]
    paid-hours = 1.0

    [[schedule.templates]]
    id = "8h"
    length = "8h30m"
    start_every = "30m"
    earliest_start = "07:00"
    latest_end = "24:00"
    breaks = [{ length = "30m", earliest = "3h", latest = "4h30m" }]

    [[schedule.templates]]
    id = "night"
    length = "8h"
    earliest_start = "22:00"
    latest_end = "07:00"
    overnight = true

    [[schedule.groups]]
    id = "voice-team"
    skills = ["voice", "chat:2"]
    cost_per_paid_hour = 1.2
    templates = ["8h"]
    max_agents_per_day = 40

    [[schedule.queues]]
    id = "chat"
    understaffing = "soft"
    understaffing_cost = 30
    """

    func parse(_ text: String) throws -> ScheduleConfig {
        let root = try TOML.parse(text)
        guard case .table(let t)? = root["schedule"] else { throw ConfigError(line: nil, key: "schedule", message: "missing") }
        return try ScheduleConfig.parse(t)
    }

    @Test func readsEveryKey() throws {
        let c = try parse(Self.good)
        #expect(c.timeLimitSeconds == 20 && c.relativeGap == 0.002)
        #expect(c.templates.count == 2)
        #expect(c.templates[0].lengthMinutes == 510 && c.templates[0].breaks[0].latestMinutes == 270)
        #expect(c.templates[1].latestEndMinute == 1860)
        #expect(c.groups[0].skills == [Skill(queue: "voice"), Skill(queue: "chat", level: 2)])
        #expect(c.queues[0].understaffing == .soft(costPerAgentHour: 30))
        let p = try c.problem(name: "t", intervalMinutes: 30, firstDay: 0, days: 1, requirements: [("voice", [Double](repeating: 1, count: 48))])
        #expect(p.templates[0].spanPeriods == 17 && p.templates[0].breaks[0].earliestOffset == 6)
        #expect(p.templates[1].latestEnd == 62)
    }

    @Test("errors name the line and the key", arguments: [
        ("[schedule]\ntime_limt = 3\n", 2, "schedule.time_limt"),
        ("[schedule]\n[[schedule.templates]]\nid = \"a\"\nlength = \"8x\"\n", 4, "schedule.templates[0].length"),
        ("[schedule]\n[[schedule.templates]]\nid = \"a\"\nlength = \"4h\"\nearliest_start = \"7\"\n", 5, "schedule.templates[0].earliest_start"),
        ("[schedule]\n[[schedule.templates]]\nid = \"a\"\nlength = \"4h\"\nbreaks = [{ length = \"30m\", earliest = \"1h\", latest = \"2h\" }, { length = \"30m\", earliest = \"2h\" }]\n", 5, "schedule.templates[0].breaks[1].earliest"),
        ("[schedule]\n[[schedule.groups]]\nid = \"g\"\nskills = [\"voice\"]\ntemplates = [\"x\"]\n", 2, "schedule.groups[0].templates"),
        ("[schedule]\n[[schedule.queues]]\nid = \"q\"\nunderstaffing = \"soft\"\n", 4, "schedule.queues[0].understaffing_cost"),
        ("[schedule]\n[schedule.weights]\npaid = 2\n", 3, "schedule.weights.paid"),
    ])
    func errors(_ text: String, _ line: Int, _ key: String) {
        do {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
        } catch let e as ConfigError {
            #expect(e.line == line, "\(e)")
            #expect(e.key == key, "\(e)")
        } catch { Issue.record("\(error)") }
    }

    @Test func lengthsMustSitOnTheGrid() throws {
        let c = try parse("[schedule]\n[[schedule.templates]]\nid = \"a\"\nlength = \"4h15m\"\n[[schedule.groups]]\nid = \"g\"\nskills = [\"voice\"]\n")
        do {
            _ = try c.problem(name: "t", intervalMinutes: 30, firstDay: 0, days: 1, requirements: [])
            Issue.record("accepted an off-grid length")
        } catch {
            #expect(error.key == "schedule.templates[0].length")
            #expect(error.line == 2)
            #expect(error.message.contains("4h15m is not a multiple of the 30-minute"))
        }
    }
}

@Suite struct RequirementsTests {
    @Test func readsAndDetectsTheInterval() throws {
        let r = try Requirements.parseCSV("interval_start,queue,required\n2026-03-02T08:00,voice,3\n2026-03-02 08:30,voice,4\n2026-03-03T09:00,chat,1.5\n", source: "r.csv")
        #expect(r.intervalMinutes == 30)
        #expect(r.days == 2 && r.firstDay == Fixture.day0)
        #expect(r.queues.map(\.id) == ["voice", "chat"])
        #expect(r.queues[0].perPeriod[16] == 3 && r.queues[0].perPeriod[17] == 4)
        #expect(r.queues[1].perPeriod[48 + 18] == 1.5)
    }

    @Test("bad rows name line, column and value", arguments: [
        ("interval_start,queue,required\n2026-03-02T08:00,voice,-1\n", 2, "required"),
        ("interval_start,queue,required\n2026-02-30T08:00,voice,1\n", 2, "interval_start"),
        ("interval_start,queue,required\n2026-03-02T08:00,voice,1\n2026-03-02T08:00,voice,2\n", 3, "interval_start"),
        ("interval_start,queue,required\n2026-03-02T08:00,,1\n", 2, "queue"),
    ])
    func rejects(_ text: String, _ line: Int, _ column: String) {
        do {
            _ = try Requirements.parseCSV(text, source: "r.csv")
            Issue.record("accepted")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
            #expect(error.description.hasPrefix("r.csv:\(line)"))
        }
    }

    @Test func headerIsRequired() {
        #expect(throws: RequirementsError.self) { try Requirements.parseCSV("time,q,n\n", source: "r.csv") }
    }
}

@Suite struct BundledRulesTests {
    static let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/bank-schedule.toml")

    /// The example rules for the bundled bank data parse and describe a problem on its 30-minute grid; a
    /// day shaped like the bank's (one agent per type at night, more by day) is covered in full.
    @Test func bankRulesSolveADay() throws {
        let text = try String(contentsOf: Self.file, encoding: .utf8)
        guard case .table(let t)? = try TOML.parse(text)["schedule"] else { Issue.record("no [schedule]"); return }
        let c = try ScheduleConfig.parse(t)
        #expect(c.templates.map(\.id) == ["day", "part", "night"])
        var req: [(queue: String, perPeriod: [Double])] = []
        for (k, q) in ["ps", "pe", "in", "ne", "nw", "tt"].enumerated() {
            req.append((q, (0 ..< 96).map { p in (p % 48 >= 16 && p % 48 < 44) ? Double(1 + (k + p) % 4) : 1 }))
        }
        let p = try c.problem(name: "bank", intervalMinutes: 30, firstDay: Fixture.day0, days: 2, requirements: req)
        var o = EngineOptions()
        o.timeLimit = 60
        o.settings = c.settings
        guard let r = ScheduleEngine().solve(p, options: o).result else { Issue.record("no schedule"); return }
        #expect(r.coverage.shortIntervals == 0)
        #expect(r.scores.allSatisfy { !$0.isViolated })
        #expect(r.schedule.shifts.contains { p.templates[$0.template].id == "night" })
    }
}
