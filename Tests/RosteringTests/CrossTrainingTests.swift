import PlanningCore
import Testing
@testable import Rostering

/// Cross-training advice (issue 14 item 1): which skill, for which agents, covers most of the gap.
@Suite struct CrossTrainingTests {
    /// Nobody serves the last queue: the best advice teaches it, covers hours with the same shifts, and a roster
    /// re-solved with the skill is less short. Suggestions come most hours first, each for a queue its agents lack.
    @Test func teachesTheQueueNobodyServes() throws {
        var p = EngineTests.problem(agents: 30, weeks: 1, seed: 17)
        let lost = p.channels.count - 1
        for a in p.agents.indices {
            p.agents[a].skills.removeAll { $0.queue == p.channels[lost] }
            if p.agents[a].skills.isEmpty { p.agents[a].skills = [Skill(queue: p.channels[0], level: 1)] }
        }
        let r = try RosterEngine(problem: p).solve()
        let advice = CrossTrainingAdvisor().suggest(r.roster, p)
        let best = try #require(advice.first)
        #expect(best.queue == p.channels[lost])
        #expect(best.coveredHours > 0)
        #expect(zip(advice, advice.dropFirst()).allSatisfy { $0.coveredHours >= $1.coveredHours })
        for s in advice {
            #expect(s.agents.allSatisfy { a in !p.agents[a].skills.contains { $0.queue == s.queue } })
        }
        let again = try RosterEngine(problem: CrossTrainingAdvisor.applying(best, to: p)).solve()
        #expect(again.metrics.shortfallPct < r.metrics.shortfallPct - 1, "\(r.metrics.shortfallPct) -> \(again.metrics.shortfallPct)")
        #expect(RuleRegistry.hardViolations(again.roster, CrossTrainingAdvisor.applying(best, to: p)).isEmpty)
    }
}
