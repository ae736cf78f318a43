import Foundation
import Testing
@testable import Optimization
@testable import Scheduling

/// The engine, the heuristic and the pricing know no rule by name: they ask the rule set. These tests prove the
/// objective is the sum of the rules' costs on benchmark instances, that the cost the heuristic ranks shifts by
/// is the cost the objective counts, and that a rule only the registry names changes the schedule.
@Suite struct RuleSemanticsTests {
    /// Hard test rule: no shift may start at 08:00 (any template, any group).
    struct NoEightOClockStartRule: ScheduleRule {
        static let id = "test-no-0800-start"
        static let summary = "no shift starts at 08:00 (test rule)"
        let kind = RuleKind.hard
        let weight: Double

        init(settings: RuleSettings) { weight = settings.weight(Self.id) }

        static func forbidden(_ start: Int, day: Int, _ p: ScheduleProblem) -> Bool {
            (start - day * p.periodsPerDay) * p.intervalMinutes == 8 * 60
        }

        func encode(_ c: EncodingContext) {
            for col in c.shiftColumns where Self.forbidden(col.start, day: col.day, c.problem) {
                c.model.setBounds(col.variable, lower: 0, upper: 0)
            }
        }

        func admits(_ shift: ShiftBlock, in p: ScheduleProblem) -> Bool { !Self.forbidden(shift.start, day: shift.day, p) }

        func evaluate(_ s: ShiftSchedule, problem p: ScheduleProblem) -> RuleScore {
            let f = s.shifts.filter { Self.forbidden($0.start, day: $0.day, p) }.map {
                RuleViolation(rule: Self.id, message: "starts at 08:00", group: p.groups[$0.group].id, period: $0.start, amount: Double($0.count))
            }
            return RuleScore(rule: Self.id, kind: kind, weight: weight, penalty: 0, findings: f)
        }
    }

    /// 2 agents 08:00-12:00, one 4-hour template: two shifts at 08:00 (8 paid hours). Without 08:00 starts the
    /// cheapest cover is two shifts at 07:00 and two more later for 11:00 (16).
    static let problem = Fixture.singleQueue([2, 2, 2, 2], from: 8, templates: [Fixture.template("4h", span: 4)])

    @Test func aRuleOnlyTheRegistryNamesChangesTheSchedule() throws {
        let p = Self.problem
        guard case .optimal(let plain) = Fixture.solve(p) else { Issue.record("not optimal"); return }
        #expect(plain.objective == 8)
        #expect(plain.schedule.shifts.allSatisfy { $0.start == 8 })

        var o = EngineOptions()
        o.timeLimit = 30
        o.relativeGap = 1e-6
        o.registry = RuleRegistry.all + [NoEightOClockStartRule.self]
        guard case .optimal(let r) = ScheduleEngine().solve(p, options: o) else { Issue.record("not optimal"); return }
        #expect(abs(r.objective - 16) < 1e-9, "\(r.objective)")
        #expect(!r.schedule.shifts.contains { $0.start == 8 })
        #expect(r.coverage.shortIntervals == 0)
        let score = try #require(r.scores.first { $0.rule == NoEightOClockStartRule.id })
        #expect(score.findings.isEmpty)
    }

    /// The heuristic alone (no LP hints) asks the rule set which shifts exist.
    @Test func theHeuristicAsksTheRules() throws {
        let p = Self.problem
        let part = try #require(Decomposition.components(p).first)
        let settings = RuleSettings()
        let plain = try #require(GreedyHeuristic(p: p, settings: settings, component: part).run(hints: [:]))
        #expect(plain.contains { $0.start == 8 })
        let rules = RuleSet(settings, registry: RuleRegistry.all + [NoEightOClockStartRule.self])
        let blocks = try #require(GreedyHeuristic(p: p, settings: settings, component: part, rules: rules).run(hints: [:]))
        #expect(!blocks.isEmpty)
        #expect(!blocks.contains { $0.start == 8 })
        // Still a cover: every required hour has its 2 agents.
        let s = ShiftSchedule(shifts: blocks, problem: p, weights: rules.allocatorWeights(p))
        #expect(rules.evaluate(s, problem: p).allSatisfy { !$0.isViolated })
    }

    /// A weekly head-count limit the heuristic must respect although it knows only `admits(given:)`.
    @Test func theHeuristicKeepsCountLimitsThroughTheRules() throws {
        let p = Fixture.singleQueue([3, 3, 3, 3], from: 8, templates: [Fixture.template("4h", span: 4)], understaffing: .soft(costPerAgentHour: 100), maxPerDay: 2)
        let part = try #require(Decomposition.components(p).first)
        let blocks = try #require(GreedyHeuristic(p: p, settings: RuleSettings(), component: part).run(hints: [:]))
        #expect(blocks.reduce(0) { $0 + $1.count } == 2)
    }

    /// On solved benchmark instances the reported objective is the sum of the rules' evaluated costs (within 1e-9
    /// relative), the solver's objective agrees within 1e-6 relative (CBC's tolerances), and the paid-hours
    /// penalty equals the sum over shifts of what the rule set charges per shift (the heuristic's and the
    /// pricing's cost), within 1e-9 relative.
    @Test(arguments: ["scale_1q_1w", "scale_5q_1w", "base_3q_1w"])
    func objectiveIsTheSumOfTheRulesCosts(instance: String) throws {
        let p = try Fixture.instance(instance)
        var o = EngineOptions()
        o.timeLimit = 300
        let r = try #require(ScheduleEngine().solve(p, options: o).result)
        let rules = RuleSet(o.settings)
        let scores = rules.evaluate(r.schedule, problem: p)
        let sum = scores.reduce(0) { $0 + $1.penalty }
        #expect(abs(r.objective - sum) <= 1e-9 * max(1, sum), "\(r.objective) vs \(sum)")
        #expect(abs(r.solverObjective - sum) <= 1e-6 * max(1, sum), "\(r.solverObjective) vs \(sum)")
        #expect(scores.allSatisfy { !$0.isViolated })
        let shiftCosts = r.schedule.shifts.reduce(0.0) { $0 + Double($1.count) * rules.cost(of: $1, in: p) }
        let paid = try #require(scores.first { $0.rule == PaidHoursRule.id }).penalty
        #expect(abs(shiftCosts - paid) <= 1e-9 * max(1, paid), "\(shiftCosts) vs \(paid)")
    }

    /// Conflicts are explained from typed row tags: every coverage row's tag names its queue and period.
    @Test func rowsCarryTypedTags() throws {
        let p = Self.problem
        let part = try #require(Decomposition.components(p).first)
        let ctx = EncodingContext(problem: p, settings: RuleSettings(), component: part)
        RuleSet(RuleSettings()).encode(ctx)
        #expect(!ctx.coverageRows.isEmpty)
        for r in ctx.coverageRows {
            #expect(ctx.rowTags[r.row] == RowTag(rule: CoverageRule.id, queue: r.queue, period: r.period))
        }
        #expect(ctx.rowTags.count == ctx.model.numberOfConstraints)
    }
}
