import PlanningCore
import Testing
@testable import Rostering

/// Presence (issue 14 item 1: the night the schedule plans reaches people): a roster short of people leaves fewer
/// intervals with requirement and nobody on their queues when the first agent there is worth more.
@Suite struct PresenceTests {
    /// Twice the requirement the agents can cover: with the presence weight the roster leaves fewer empty
    /// pool-intervals than without it; its total shortfall stays within a few points; no hard rule breaks.
    @Test func fewerEmptyIntervalsWhenShort() throws {
        var p = EngineTests.problem(agents: 25, weeks: 1, seed: 23)
        p.required = p.required.map { $0.map { $0 * 2 } }
        var off = p
        off.presenceWeight = 0
        p.presenceWeight = 2
        let with = try RosterEngine(problem: p).solve(), without = try RosterEngine(problem: off).solve()
        let e1 = p.emptyIntervals(with.roster), e0 = off.emptyIntervals(without.roster)
        #expect(e1.needed == e0.needed && e0.needed > 0)
        #expect(e1.empty < e0.empty, "empty pool-intervals with presence \(e1.empty), without \(e0.empty)")
        #expect(with.metrics.shortfallPct - without.metrics.shortfallPct < 5)
        #expect(RuleRegistry.hardViolations(with.roster, p).isEmpty)
    }

    /// Pools are the connected components of the agents' skill sets, and an interval is empty only when nobody is
    /// on any queue of its pool.
    @Test func poolsAndEmptyIntervals() {
        var p = EngineTests.problem(agents: 4, weeks: 1, seed: 2)
        for a in p.agents.indices { p.agents[a].skills = [Skill(queue: p.channels[a % 2 == 0 ? 0 : 2], level: 1)] }
        p.agents[0].skills.append(Skill(queue: p.channels[1], level: 2))
        let pools = p.pools
        #expect(pools.contains([0, 1]) && pools.contains([2]))
        #expect(pools.flatMap { $0 }.sorted() == Array(p.channels.indices))
        p.required = p.required.map { $0.map { _ in 0 } }
        p.required[1][3] = 1
        let empty = Roster()
        #expect(p.emptyIntervals(empty).empty == 1 && p.emptyIntervals(empty).needed == 1)
        let one = Roster(shifts: [RosterShift(agent: 0, day: 0, template: 0, start: 0, channels: [0, 0, 0, 0, 0])])
        #expect(p.emptyIntervals(one).empty == 0 && p.emptyIntervals(one).needed == 1)
    }
}
