import PlanningCore
import Reports
import Testing
@testable import Rostering
import BenchmarkFixtures

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

    /// Recurring unavailability, availability windows and desired days: the engine keeps the first two (checked
    /// here directly, not only through the rules) and honours most desired days.
    @Test func recurringAvailabilityWindowsAndDesiredDays() throws {
        var p = Self.problem(agents: 40, weeks: 2, seed: 21)
        for a in 0..<10 { p.agents[a].unavailableWeekdays = [6] }  // every sun
        for a in 10..<20 where p.agents[a].contract == "full_time" { p.agents[a].windows = Dictionary(uniqueKeysWithValues: (0..<6).map { ($0, 9 * 60...18 * 60) }) }
        for a in 20..<30 { p.agents[a].desiredDays = [0, 1]; p.agents[a].preferredDaysOff = [] }
        let r = try RosterEngine(problem: p, options: .init(seed: 3, timeLimitSeconds: 10)).solve()
        #expect(RuleRegistry.hardViolations(r.roster, p).isEmpty)
        for s in r.roster.shifts {
            let agent = p.agents[s.agent], wd = p.weekday(s.day)
            #expect(!agent.unavailableWeekdays.contains(wd), "\(agent.id) works on a recurring day off")
            if let w = agent.windows[wd] {
                #expect(s.start >= w.lowerBound && s.start + p.templates[s.template].lengthMinutes <= w.upperBound)
            } else { #expect(agent.windows.isEmpty) }
        }
        // Desired days are worked more often than the same days when nobody states them.
        func worked(_ roster: Roster) -> (worked: Int, of: Int) {
            var n = 0, of = 0
            for a in 20..<30 { for d in 0..<p.days where [0, 1].contains(p.weekday(d)) && !p.isUnavailable(agent: a, day: d) {
                of += 1; if roster.shifts.contains(where: { $0.agent == a && $0.day == d }) { n += 1 }
            } }
            return (n, of)
        }
        var plain = p
        for a in 20..<30 { plain.agents[a].desiredDays = [] }
        let base = try RosterEngine(problem: plain, options: .init(seed: 3, timeLimitSeconds: 10)).solve()
        let with = worked(r.roster), without = worked(base.roster)
        #expect(with.of > 0 && with.worked > without.worked, "desired days worked \(with.worked) of \(with.of), without the preference \(without.worked)")
    }

    /// Groups for the group-level comparison: one per skill set and contract, available agents per day.
    @Test func groupSummariesCountAvailableAgentsPerDay() {
        var p = Self.problem(agents: 50, weeks: 1, seed: 4)
        p.agents[0].unavailableWeekdays = [2]
        let groups = p.groupSummaries()
        #expect(groups.reduce(0) { $0 + $1.agents.count } == 50)
        #expect(Set(groups.map(\.id)).count == groups.count)
        for g in groups {
            for a in g.agents {
                #expect(p.agents[a].contract == g.contract && Set(p.agents[a].skills.map(\.channel)) == Set(g.channels))
            }
            for d in 0..<p.days { #expect(g.availablePerDay[d] == g.agents.filter { !p.isUnavailable(agent: $0, day: d) }.count) }
        }
        let g0 = groups.first { $0.agents.contains(0) }!
        #expect(g0.availablePerDay[2] < g0.agents.count)
    }
}
