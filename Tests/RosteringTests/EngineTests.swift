import PlanningCore
import Testing
@testable import Rostering

@Suite struct EngineTests {
    static let channels = ["voice", "chat", "email", "ps", "ne", "tt"]

    static func problem(agents: Int, weeks: Int, seed: UInt64) -> RosterProblem {
        BenchmarkCase.make(agents: agents, weeks: weeks, seed: seed, channels: channels, profile: BenchmarkCase.syntheticProfile(channels: channels.count))
    }

    @Test(arguments: [(UInt64(1), 20, 1), (2, 40, 2), (3, 60, 4), (4, 15, 6), (5, 80, 3)])
    func zeroHardViolationsOnGeneratedCases(seed: UInt64, agents: Int, weeks: Int) throws {
        let p = Self.problem(agents: agents, weeks: weeks, seed: seed)
        let r = try RosterEngine(problem: p, options: .init(seed: seed, timeLimitSeconds: 20)).solve()
        #expect(RuleRegistry.hardViolations(r.roster, p).isEmpty)
        #expect(r.metrics.hardViolations == 0)
        #expect(r.metrics.shifts > 0)
        #expect(r.metrics.shortfallPct < 60)
    }

    @Test func deterministicForASeed() throws {
        let p = Self.problem(agents: 30, weeks: 2, seed: 9)
        let a = try RosterEngine(problem: p, options: .init(seed: 7)).solve()
        let b = try RosterEngine(problem: p, options: .init(seed: 7)).solve()
        #expect(a.roster == b.roster)
        #expect(RosterExport.csv(a.roster, p) == RosterExport.csv(b.roster, p))
    }

    @Test func eachAgentServesOneSkilledChannelPerInterval() throws {
        let p = Self.problem(agents: 25, weeks: 1, seed: 3)
        let r = try RosterEngine(problem: p).solve()
        for s in r.roster.shifts {
            let skills = Set(p.agents[s.agent].skills.map(\.channel))
            for c in s.channels where c >= 0 { #expect(skills.contains(p.channels[c])) }
        }
    }

    /// Replan after a sick day: only the sick agent's day and the days the engine refills may change.
    @Test func replanAfterSickDayTouchesOnlyAffectedDays() throws {
        var p = Self.problem(agents: 30, weeks: 2, seed: 11)
        let first = try RosterEngine(problem: p).solve().roster
        let victim = first.shifts[first.shifts.count / 2]
        p.agents[victim.agent].unavailable.insert(p.startDay + Int64(victim.day))
        let second = try RosterEngine(problem: p).solve(previous: first)
        #expect(second.metrics.hardViolations == 0)
        let changes = RosterExport.diff(first, second.roster, p)
        #expect(!changes.isEmpty)
        #expect(changes.allSatisfy { $0.date == p.date(victim.day) })
        #expect(changes.contains { $0.agentID == p.agents[victim.agent].id && $0.after == "off" })
    }
}
