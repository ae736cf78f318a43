import Foundation
import PlanningCore
import Testing
@testable import Scheduling

@Suite struct RulesInActionTests {
    /// An overnight template covers the early hours of the next day; the shift ends after midnight.
    @Test func overnightShiftsCoverTheNextMorning() throws {
        var r = [Double](repeating: 0, count: 48)
        for h in 22 ..< 24 { r[h] = 2 }
        for h in 24 ..< 30 { r[h] = 2 }
        let night = ShiftTemplate(id: "night", spanPeriods: 8, startStep: 1, earliestStart: 20, latestEnd: 32)
        let p = ScheduleProblem(name: "night", intervalMinutes: 60, firstDay: Fixture.day0, days: 2,
                                queues: [QueueSpec(id: "voice", requirement: r)], groups: [AgentGroupSpec(id: "team", skills: [Skill(queue: "voice")])],
                                templates: [night])
        #expect(Decomposition.components(p).count == 1)
        guard case .optimal(let res) = Fixture.solve(p) else { Issue.record("not optimal"); return }
        #expect(res.objective == 16)
        #expect(res.schedule.shifts.allSatisfy { $0.day == 0 && $0.start == 22 })
        #expect(res.coverage.shortIntervals == 0)
    }

    /// A weekly limit binds across days: the week is solved as one part and the limit holds.
    @Test func weeklyLimitHolds() throws {
        var r = [Double](repeating: 0, count: 24 * 3)
        for d in 0 ..< 3 { for h in 8 ..< 12 { r[d * 24 + h] = 2 } }
        let p = ScheduleProblem(name: "week", intervalMinutes: 60, firstDay: Fixture.day0, days: 3,
                                queues: [QueueSpec(id: "voice", requirement: r)],
                                groups: [AgentGroupSpec(id: "cheap", skills: [Skill(queue: "voice")], costPerPaidHour: 1, maxShiftsPerWeek: 4),
                                         AgentGroupSpec(id: "dear", skills: [Skill(queue: "voice")], costPerPaidHour: 2)],
                                templates: [Fixture.template("4h", span: 4)])
        #expect(Decomposition.components(p).count == 1)
        guard case .optimal(let res) = Fixture.solve(p) else { Issue.record("not optimal"); return }
        let cheap = res.schedule.shifts.filter { $0.group == 0 }.reduce(0) { $0 + $1.count }
        #expect(cheap == 4)
        #expect(res.objective == 4 * 4 + 2 * 4 * 2)
        #expect(res.scores.allSatisfy { !$0.isViolated })
    }

    /// Paid breaks are paid, unpaid ones are not; both take the agent off the queue.
    @Test func paidAndUnpaidBreaks() throws {
        for paid in [false, true] {
            let t = Fixture.template("5h", span: 5, breaks: [BreakRule(durationPeriods: 1, earliestOffset: 2, latestOffset: 2, paid: paid)])
            let p = Fixture.singleQueue([1, 1, 0, 1, 1], templates: [t])
            guard case .optimal(let r) = Fixture.solve(p) else { Issue.record("not optimal"); return }
            #expect(r.objective == (paid ? 5 : 4))
            #expect(r.schedule.shiftCount == 1)
        }
    }

    /// A group limited to some templates only works those.
    @Test func groupTemplatesAreRespected() throws {
        var p = Fixture.singleQueue([1, 1], templates: [Fixture.template("2h", span: 2), Fixture.template("8h", span: 8)])
        p.groups[0].templates = ["8h"]
        guard case .optimal(let r) = Fixture.solve(p) else { Issue.record("not optimal"); return }
        #expect(r.objective == 8)
        #expect(r.schedule.shifts.allSatisfy { p.templates[$0.template].id == "8h" })
    }

    /// Hard rules' evaluate() finds what a broken schedule breaks, without a solver.
    @Test func evaluateFindsViolations() throws {
        let t = Fixture.template("4h", span: 4, from: 8, to: 20, breaks: [BreakRule(durationPeriods: 1, earliestOffset: 1, latestOffset: 2)])
        var p = Fixture.singleQueue([1, 1, 1, 1], templates: [t], maxPerDay: 1)
        p.groups[0].templates = ["4h"]
        let bad = [ShiftBlock(group: 0, template: 0, day: 0, start: 6, breakStarts: [9], count: 2)]
        let s = ShiftSchedule(shifts: bad, problem: p, weights: CoverageRule.allocatorWeights(p, RuleSettings()))
        let scores = Dictionary(uniqueKeysWithValues: RuleRegistry.rules(RuleSettings()).map { ($0.id, $0.evaluate(s, problem: p)) })
        #expect(scores["shift-templates"]!.isViolated)   // starts at 06:00, earliest is 08:00
        #expect(scores["breaks"]!.isViolated)            // break 3 periods in, window 1...2
        #expect(scores["headcount"]!.isViolated)         // 2 shifts, limit 1
        #expect(scores["coverage"]!.isViolated)          // 10:00-11:59 uncovered
        #expect(!scores["skills"]!.isViolated)
        #expect(scores["paid-hours"]!.penalty == 2 * 3)
    }
}

@Suite struct ExplainAndDeadlineTests {
    /// `schedule explain` says why an interval is short: no template, a head-count limit, or the price.
    @Test func shortIntervalsSayWhy() throws {
        var r = [Double](repeating: 0, count: 24)
        r[5] = 1                      // no template covers 05:00
        for h in 9 ..< 13 { r[h] = 3 } // head-count limit 2
        var p = Fixture.singleQueue([], templates: [Fixture.template("4h", span: 4, from: 7, to: 24)], maxPerDay: 2)
        p.queues[0].requirement = r
        var o = EngineOptions()
        o.settings.soft = true
        o.settings.headcountExcessCost = 1e6
        guard let res = ScheduleEngine().solve(p, options: o).result else { Issue.record("no schedule"); return }
        let report = ScoreReport(result: res, settings: o.settings)
        let at5 = try #require(report.short.first { $0.period == 5 })
        #expect(at5.reason.contains("no shift template"))
        let at9 = try #require(report.short.first { $0.period == 9 })
        #expect(at9.reason.contains("head-count limits reached"))
        #expect(report.rules.map(\.rule) == RuleRegistry.ids)
        #expect(abs(report.rules.reduce(0) { $0 + $1.penalty } - res.objective) < 1e-9)
    }

    /// The deadline is kept: a one-second limit on a 5-queue, 4-week instance returns a schedule (or a typed time
    /// limit) within the limit plus the fallback grace.
    @Test func deadlineIsKept() throws {
        let p = try Fixture.instance("scale_5q_4w")
        var o = EngineOptions()
        o.timeLimit = 1
        let t0 = Date()
        let out = ScheduleEngine().solve(p, options: o)
        let wall = Date().timeIntervalSince(t0)
        #expect(wall < 1 + 0.1 + 1.5, "took \(wall) s")
        switch out {
        case .optimal(let r), .feasible(let r): #expect(r.coverage.shortIntervals == 0)
        case .timeLimit(let t): #expect(t.componentsSolved < t.componentsTotal)
        case .infeasible: Issue.record("not infeasible")
        }
    }
}
