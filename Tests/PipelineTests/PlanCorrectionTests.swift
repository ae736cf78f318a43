import Foundation
import Pipeline
import PlanningCore
import Rostering
import Testing

/// The simulation-based correction loop (`PlanCorrection`, `peakplan plan --correct`) on a small generated centre:
/// two queues over one week, too few named agents for the staffing requirement.
@Suite("plan correction")
struct PlanCorrectionTests {
    /// A workspace with a staffing requirement from a generated volumes file (sales 24 and care 16 contacts per
    /// half-hour from 08:00 to 20:00, 200 s handle time, every day of the week 2026-06-01..07) and `agents` named agents.
    static func workspace(agents: String) throws -> Workspace {
        let ws = Workspace(NSTemporaryDirectory() + "peakplan-correct-\(UUID().uuidString)")
        var config = WorkspaceConfig()
        config.timeZone = "+02:00"
        config.intervalMinutes = 30
        try ws.create(config)
        var volumes = "interval_start,channel,volume,aht_seconds\n"
        for day in 1...7 {
            // Every half-hour from midnight (the roster starts on the first whole day), contacts from 08:00 to 20:00.
            for k in 0..<48 {
                let at = String(format: "2026-06-%02dT%02d:%02d:00", day, k / 2, (k % 2) * 30)
                let open = (16..<40).contains(k)
                volumes += "\(at),sales,\(open ? 24 : 0),200\n\(at),care,\(open ? 16 : 0),200\n"
            }
        }
        try volumes.write(toFile: ws.resolve("volumes.csv"), atomically: true, encoding: .utf8)
        try agents.write(toFile: ws.resolve("agents.csv"), atomically: true, encoding: .utf8)
        var req = StaffingRequest(workspace: ws)
        req.inputFile = ws.resolve("volumes.csv")
        _ = try StaffingStage.run(req).save(into: try ws.openStore())
        return ws
    }

    static let fewAgents = """
        agent_id,name,skills,contract,site
        S1,Sam,sales:1|care:2,full_time,main
        S2,Sue,sales:1|care:2,full_time,main
        S3,Sid,sales:1,full_time,main
        C1,Cat,care:1,full_time,main

        """

    static func correct(_ ws: Workspace, iterations: Int, overtime: Bool = false) throws -> (base: SolvedRoster, correction: PlanCorrection) {
        let base = try RosterStage.solve(RosterRequest(workspace: ws, agentsPath: ws.resolve("agents.csv"), weeks: 1))
        let c = try PlanCorrection.run(
            base, configuration: try ws.loadConfiguration(), groups: [], settings: .init(maxIterations: iterations, overtime: overtime))
        return (base, c)
    }

    @Test("the loop raises the share of queue-intervals meeting target by hiring where the named agents are the limit")
    func raisesShareMeeting() throws {
        let ws = try Self.workspace(agents: Self.fewAgents)
        defer { try? FileManager.default.removeItem(atPath: ws.directory) }
        let (base, c) = try Self.correct(ws, iterations: 3)
        let first = c.first, last = c.final
        // Iteration 0 is the plan's roster: 168 queue-intervals per queue with 16-24 contacts, most missing.
        #expect(first.counted == 2 * 7 * 24)
        #expect(first.hires == 0 && abs(first.paidHours - base.result.metrics.paidHours) <= 1e-9)
        #expect(first.meetingShare < 0.5)
        // No overtime in iteration 0; the agents it puts on queues are the roster's (its shortfall the roster's own).
        #expect(first.overtimeOffers == 0 && abs(first.shortfallPct - base.result.metrics.shortfallPct) <= 1e-9)
        // Hires were added (named after the queue they were hired for), and the share meeting rose by half the counted.
        #expect(c.iterations.count >= 2 && c.iterations[1].hiresAdded > 0)
        #expect(last.hires > 0 && last.meeting >= first.meeting + first.counted / 2)
        #expect(last.paidHours > first.paidHours)
        let ids = c.roster.problem.agents.map(\.id)
        #expect(ids.prefix(4) == ["S1", "S2", "S3", "C1"])
        #expect(ids.contains("HIRE-sales-1") && ids.contains("HIRE-care-1"))
        // A sales hire copies the most common mix whose best skill is sales (sales:1|care:2, two agents).
        let hire = try #require(c.roster.problem.agents.first { $0.id == "HIRE-sales-1" })
        #expect(Set(hire.skills) == [Skill(queue: "sales", level: 1), Skill(queue: "care", level: 2)] && hire.contract == "full_time")
        #expect(c.hiresBySkillSet.reduce(0) { $0 + $1.agents } == last.hires)
        // The Erlang-per-queue requirement rounds each queue on its own: at least the pooled requirement.
        #expect(c.erlangPerQueueHours >= c.pooledRequirementHours - 1e-9 && c.pooledRequirementHours > 0)
        let csv = c.table().renderCSV().split(separator: "\n")
        #expect(csv.count == c.iterations.count + 1 && csv[0].hasPrefix("iteration,queue_intervals_counted,meeting_target"))
    }

    @Test("plan with correctIterations runs the correct stage: correction.csv, corrected-roster.csv, the summary section; the option is part of the fingerprint")
    func planStage() throws {
        let ws = try PlanInProcessTests.workspace(interval: 30)
        defer { try? FileManager.default.removeItem(atPath: ws.directory) }
        var req = PlanRequest(workspace: ws, horizon: PlanHorizon("7d")!, version: "test")
        req.correctIterations = 2
        let outcome = try PlanRunner.run(req)
        #expect(!outcome.reused)
        let rows = try PlanInProcessTests.csv(ws.resolve("plan/correction.csv"))
        #expect((1...3).contains(rows.count) && rows[0][0] == "0" && rows.filter { $0.last == "yes" }.count == 1)
        #expect(FileManager.default.fileExists(atPath: ws.resolve("plan/corrected-roster.csv")))
        #expect(outcome.summary.contains("\nCorrection (simulation-based") && outcome.summary.contains("Erlang-per-queue plan"))
        #expect(try PlanRunner.run(req).reused)
        // Without the option the inputs differ: the plan runs again, without the stage.
        let plain = try PlanRunner.run(PlanRequest(workspace: ws, horizon: PlanHorizon("7d")!, version: "test"))
        #expect(!plain.reused && !plain.summary.contains("\nCorrection (simulation-based"))
        #expect(!FileManager.default.fileExists(atPath: ws.resolve("plan/correction.csv")))
    }

    @Test("same inputs, same iterations (overtime worked first); resolving with the plan's own requirement and agents gives the plan's roster")
    func deterministic() throws {
        let ws = try Self.workspace(agents: Self.fewAgents)
        defer { try? FileManager.default.removeItem(atPath: ws.directory) }
        let (base, a) = try Self.correct(ws, iterations: 2, overtime: true)
        let (_, b) = try Self.correct(ws, iterations: 2, overtime: true)
        // Overtime is worked from iteration 1 on, and its hours are paid.
        #expect(a.iterations[0].overtimeOffers == 0 && a.iterations[1].overtimeOffers > 0 && a.iterations[1].overtimeHours > 0)
        #expect(a.roster.overtime.suggestions.count == a.final.overtimeOffers)
        #expect(a.iterations.count == b.iterations.count && a.chosen == b.chosen && a.stopReason == b.stopReason)
        for (x, y) in zip(a.iterations, b.iterations) {
            #expect(x.counted == y.counted && x.meeting == y.meeting && x.hires == y.hires && x.hiresBySkillSet == y.hiresBySkillSet)
            #expect(x.raised == y.raised && x.lowered == y.lowered && x.overtimeOffers == y.overtimeOffers)
            #expect(abs(x.paidHours - y.paidHours) <= 1e-9 && abs((x.serviceLevel ?? -1) - (y.serviceLevel ?? -1)) <= 1e-12)
        }
        #expect(a.roster.result.roster == b.roster.result.roster)
        let again = try RosterStage.resolve(base, required: base.problem.required, agents: base.problem.agents)
        #expect(again.result.roster == base.result.roster)
    }
}
