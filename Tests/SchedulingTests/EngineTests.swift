import Foundation
import PlanningCore
import PropertyBased
import Testing
@testable import Optimization
@testable import Scheduling

@Suite struct KnownOptimumTests {
    /// 2 agents for 4 hours with only a 4-hour template: two shifts, 8 paid hours (by hand).
    @Test func flatDemandNeedsTwoShifts() throws {
        let p = Fixture.singleQueue([2, 2, 2, 2], templates: [Fixture.template("4h", span: 4)])
        guard case .optimal(let r) = Fixture.solve(p) else { Issue.record("not optimal"); return }
        #expect(r.objective == 8)
        #expect(r.schedule.shiftCount == 2)
        #expect(r.coverage.shortIntervals == 0)
        #expect(r.gap == 0)
    }

    /// [1, 2, 2, 1] with 4h and 2h templates: one 4h shift plus one 2h shift in the middle, 6 paid hours.
    @Test func shortTemplateFillsThePeak() throws {
        let p = Fixture.singleQueue([1, 2, 2, 1], templates: [Fixture.template("4h", span: 4), Fixture.template("2h", span: 2)])
        guard case .optimal(let r) = Fixture.solve(p) else { Issue.record("not optimal"); return }
        #expect(r.objective == 6)
        let short = try #require(r.schedule.shifts.first { p.templates[$0.template].id == "2h" })
        #expect(short.start == 9)
    }

    /// One agent for 5 hours, template 5h with an unpaid 1h break at offset 1...3: one shift leaves a hole, so two
    /// shifts are needed, breaks at different hours; 2 × 4 paid hours.
    @Test func breaksForceASecondShift() throws {
        let p = Fixture.singleQueue([1, 1, 1, 1, 1], templates: [Fixture.template("5h", span: 5, breaks: [BreakRule(durationPeriods: 1, earliestOffset: 1, latestOffset: 3)])])
        for explicit in [false, true] {
            guard case .optimal(let r) = Fixture.solve(p, explicit: explicit) else { Issue.record("not optimal"); return }
            #expect(r.objective == 8)
            #expect(r.coverage.shortIntervals == 0)
            let breaks = r.schedule.shifts.flatMap { s in Array(repeating: s.breakStarts[0], count: s.count) }
            #expect(Set(breaks).count == 2)
        }
    }

    /// Soft coverage: a single hour of need costs 4 hours to cover; at 3 per short agent-hour it is cheaper to
    /// leave it short (penalty 3), at 5 it is covered (cost 4).
    @Test func softCoverageTradesCostAgainstPenalty() throws {
        for (price, expected) in [(3.0, 3.0), (5.0, 4.0)] {
            let p = Fixture.singleQueue([1], templates: [Fixture.template("4h", span: 4)], understaffing: .soft(costPerAgentHour: price))
            guard let r = Fixture.solve(p).result else { Issue.record("no result"); return }
            #expect(abs(r.objective - expected) < 1e-9)
            #expect(abs(r.solverObjective - r.objective) < 1e-9)
        }
    }
}

@Suite struct ObjectiveEqualsPenaltiesTests {
    /// The solver's objective equals the sum of every rule's solver-free `evaluate()` penalty.
    @Test(arguments: [false, true])
    func onTheBaseInstance(explicit: Bool) throws {
        let p = try Fixture.instance("base_3q_1w", templates: "fulltime")
        guard let r = Fixture.solve(p, explicit: explicit, limit: 60).result else { Issue.record("no schedule"); return }
        let sum = RuleRegistry.rules(RuleSettings()).map { $0.evaluate(r.schedule, problem: p).penalty }.reduce(0, +)
        #expect(abs(r.solverObjective - sum) <= 1e-6 * max(1, sum))
        #expect(abs(r.objective - sum) <= 1e-9 * max(1, sum))
        #expect(r.scores.allSatisfy { !$0.isViolated })
    }

    @Test func withSoftRulesHeadcountAndWeights() throws {
        // Two queues, a cross-trained group, a soft queue, a tight head-count limit under --soft, weights.
        var req = [Double](repeating: 0, count: 24)
        for h in 8 ..< 16 { req[h] = 3 }
        var req2 = [Double](repeating: 0, count: 24)
        for h in 10 ..< 14 { req2[h] = 2 }
        let p = ScheduleProblem(name: "mix", intervalMinutes: 60, firstDay: Fixture.day0, days: 1,
                                queues: [QueueSpec(id: "a", requirement: req), QueueSpec(id: "b", requirement: req2, understaffing: .soft(costPerAgentHour: 1.5))],
                                groups: [AgentGroupSpec(id: "ga", skills: [Skill(queue: "a")], maxAgentsPerDay: 2),
                                         AgentGroupSpec(id: "gab", skills: [Skill(queue: "a"), Skill(queue: "b", level: 2)], costPerPaidHour: 1.1)],
                                templates: [Fixture.template("4h", span: 4), Fixture.template("8h", span: 8, breaks: [BreakRule(durationPeriods: 1, earliestOffset: 3, latestOffset: 4)])])
        var o = EngineOptions()
        o.settings.soft = true
        o.settings.headcountExcessCost = 2
        o.settings.weights = ["paid-hours": 1.5, "coverage": 2]
        o.relativeGap = 1e-9
        guard case .optimal(let r) = ScheduleEngine().solve(p, options: o) else { Issue.record("not optimal"); return }
        let sum = RuleRegistry.rules(o.settings).map { $0.evaluate(r.schedule, problem: p).penalty }.reduce(0, +)
        #expect(abs(r.solverObjective - sum) <= 1e-6 * max(1, sum))
    }
}

@Suite struct BruteForceTests {
    /// Random single-queue days (requirement 0-2 per hour over 6 hours, a 2h template and a 4h one with a 1h
    /// break at offset 1-2): the engine's optimum equals enumeration over every explicit shift count 0-2, and the
    /// implicit and explicit break models agree.
    @Test func singleQueueMatchesEnumeration() async {
        await propertyCheck(count: 25, input: Gen.int(in: 1 ... 1_000_000)) { seed in
            var g = Rand(seed: UInt64(seed))
            let req = (0 ..< 6).map { _ in Double(g.int(0 ... 2)) }
            guard req.contains(where: { $0 > 0 }) else { return }
            let tA = Fixture.template("2h", span: 2, from: 8, to: 14)
            let tB = Fixture.template("4h", span: 4, from: 8, to: 14, breaks: [BreakRule(durationPeriods: 1, earliestOffset: 1, latestOffset: 2)])
            let p = Fixture.singleQueue(req, templates: [tA, tB])
            // Explicit variants as on-duty hour sets (hours 8...13 → 0...5) with their paid hours.
            var variants: [(duty: [Int], cost: Double)] = []
            for s in 0 ... 4 { variants.append(([s, s + 1], 2)) }
            for s in 0 ... 2 { for o in 1 ... 2 { variants.append(((s ..< s + 4).filter { $0 != s + o }, 3)) } }
            var best = Double.infinity
            var counts = [Int](repeating: 0, count: variants.count)
            func visit(_ k: Int, _ cost: Double) {
                if cost >= best { return }
                if k == variants.count {
                    var cov = [Double](repeating: 0, count: 6)
                    for (i, v) in variants.enumerated() { for h in v.duty { cov[h] += Double(counts[i]) } }
                    if zip(cov, req).allSatisfy({ $0 >= $1 }) { best = cost }
                    return
                }
                for n in 0 ... 2 { counts[k] = n; visit(k + 1, cost + Double(n) * variants[k].cost) }
                counts[k] = 0
            }
            visit(0, 0)
            for explicit in [false, true] {
                guard case .optimal(let r) = Fixture.solve(p, explicit: explicit) else { Issue.record("seed \(seed): not optimal"); return }
                #expect(abs(r.objective - best) < 1e-9, "seed \(seed) explicit \(explicit): \(r.objective) vs \(best)")
            }
        }
    }

    /// Random two-queue days with a cross-trained group (cost 1.2): the engine's optimum equals enumeration, where a
    /// period is covered when the cross-trained agents on duty make up both queues' shortfalls.
    @Test func crossTrainedMatchesEnumeration() async {
        await propertyCheck(count: 20, input: Gen.int(in: 1 ... 1_000_000)) { seed in
            var g = Rand(seed: UInt64(seed))
            let ra = (0 ..< 5).map { _ in Double(g.int(0 ... 2)) }, rb = (0 ..< 5).map { _ in Double(g.int(0 ... 2)) }
            guard ra.contains(where: { $0 > 0 }) || rb.contains(where: { $0 > 0 }) else { return }
            var a = [Double](repeating: 0, count: 24), b = a
            for k in 0 ..< 5 { a[8 + k] = ra[k]; b[8 + k] = rb[k] }
            let t = Fixture.template("3h", span: 3, from: 8, to: 13)
            let p = ScheduleProblem(name: "x", intervalMinutes: 60, firstDay: Fixture.day0, days: 1,
                                    queues: [QueueSpec(id: "a", requirement: a), QueueSpec(id: "b", requirement: b)],
                                    groups: [AgentGroupSpec(id: "ga", skills: [Skill(queue: "a")]), AgentGroupSpec(id: "gb", skills: [Skill(queue: "b")]),
                                             AgentGroupSpec(id: "gab", skills: [Skill(queue: "a"), Skill(queue: "b")], costPerPaidHour: 1.2)],
                                    templates: [t])
            var best = Double.infinity
            var n = [[Int]](repeating: [0, 0, 0], count: 3) // group × start 0...2
            func visit(_ k: Int) {
                if k == 9 {
                    var cost = 0.0
                    var da = [Double](repeating: 0, count: 5), db = da, dx = da
                    for s in 0 ..< 3 {
                        for h in s ..< s + 3 { da[h] += Double(n[0][s]); db[h] += Double(n[1][s]); dx[h] += Double(n[2][s]) }
                        cost += 3 * Double(n[0][s] + n[1][s]) + 3 * 1.2 * Double(n[2][s])
                    }
                    if (0 ..< 5).allSatisfy({ max(0, ra[$0] - da[$0]) + max(0, rb[$0] - db[$0]) <= dx[$0] }) { best = min(best, cost) }
                    return
                }
                for c in 0 ... 2 { n[k / 3][k % 3] = c; visit(k + 1) }
                n[k / 3][k % 3] = 0
            }
            visit(0)
            guard case .optimal(let r) = Fixture.solve(p) else { Issue.record("seed \(seed): not optimal"); return }
            #expect(abs(r.objective - best) < 1e-6, "seed \(seed): \(r.objective) vs \(best)")
            #expect(r.coverage.shortIntervals == 0)
        }
    }
}

@Suite struct BaseInstanceTests {
    /// base_3q_1w from Datasets/benchmarks: every interval covered, within 1% of our LP bound, objective = penalties.
    @Test func coverageAndGap() throws {
        let p = try Fixture.instance("base_3q_1w")
        var o = EngineOptions()
        o.timeLimit = 60
        guard let r = ScheduleEngine().solve(p, options: o).result else { Issue.record("no schedule"); return }
        #expect(r.coverage.shortIntervals == 0)
        #expect(r.gap <= 0.01)
        #expect(r.lowerBound <= r.objective + 1e-9)
        #expect(r.lowerBound >= p.requiredAgentHours - 1e-6, "every required agent-hour costs at least 1")
        #expect(r.coverage.overPercent < 1)
        #expect(abs(r.solverObjective - r.objective) <= 1e-6 * r.objective)
    }

    /// Cross-trained groups beat dedicated groups on paid hours (full-time templates, where pooling pays).
    @Test func crossTrainingBeatsDedicated() throws {
        let all = try Fixture.instance("base_3q_1w", templates: "fulltime")
        let ded = try Fixture.instance("base_3q_1w", templates: "fulltime", dedicatedOnly: true)
        var o = EngineOptions()
        o.timeLimit = 60
        let a = try #require(ScheduleEngine().solve(all, options: o).result)
        let d = try #require(ScheduleEngine().solve(ded, options: o).result)
        #expect(a.schedule.paidAgentHours(all) < d.schedule.paidAgentHours(ded))
        #expect(a.coverage.shortIntervals == 0 && d.coverage.shortIntervals == 0)
    }
}

@Suite struct DecompositionTests {
    @Test func dedicatedGroupsSplitByQueueAndDay() throws {
        let p = try Fixture.instance("base_3q_1w", dedicatedOnly: true)
        #expect(Decomposition.components(p).count == 21)
    }

    @Test func crossTrainingLinksQueuesAndWeeklyLimitsLinkDays() throws {
        var p = try Fixture.instance("base_3q_1w")
        #expect(Decomposition.components(p).count == 7)
        #expect(Decomposition.components(p).allSatisfy { $0.queues.count == 3 })
        p.groups = p.groups.filter { $0.skills.count == 1 }
        p.groups[0].maxShiftsPerWeek = 1000
        let comps = Decomposition.components(p)
        #expect(comps.count == 1 + 2 * 7)
        #expect(comps.contains { $0.days.count == 7 && $0.queues == [0] })
    }
}
