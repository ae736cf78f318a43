import PlanningCore
import Testing
@testable import Rostering

/// The roster engine asks its rules: the score is the sum of the rules' penalties, weights come from
/// `[roster.weights]`, and a rule that only the registry names changes what the engine builds.
@Suite struct RuleScoreTests {
    static func problem(agents: Int = 40, weeks: Int = 2, seed: UInt64 = 11) -> RosterProblem {
        EngineTests.problem(agents: agents, weeks: weeks, seed: seed)
    }

    static func config(_ toml: String) throws -> RosterConfig {
        try RosterConfig.parse(try TOML.parse(toml)["roster"].flatMap { if case .table(let t) = $0 { return t } else { return nil } })
    }

    /// Score = Σ rule penalties, recomputed from the rules alone; each soft rule's penalty is its weight times what
    /// it counts. Tolerance 1e-9 relative (sums of up to a few thousand terms of 0.1-multiples).
    @Test(arguments: [[String: Double](), ["preferences": 2, "stable-start": 0.7, "fairness": 3, "coverage-shortfall": 1.5]])
    func scoreIsTheSumOfTheRulesPenalties(weights: [String: Double]) throws {
        let p = Self.problem()
        let r = try RosterEngine(problem: p, options: .init(seed: 5, weights: weights)).solve()
        let rules = RuleRegistry.rules(weights: weights)
        var independent = 0.0
        for rule in rules where !rule.isHard { independent += rule.evaluate(r.roster, p).reduce(0) { $0 + $1.penalty } }
        let tol = 1e-9 * max(1, independent)
        #expect(abs(r.metrics.softPenalty - independent) <= tol, "\(r.metrics.softPenalty) vs \(independent)")
        #expect(abs(r.penalties.filter { !$0.isHard }.reduce(0) { $0 + $1.penalty } - r.metrics.softPenalty) <= tol)
        #expect(r.penalties.map(\.rule) == RuleRegistry.all.map(\.id))
        #expect(r.penalties.filter(\.isHard).allSatisfy { $0.penalty == 0 && $0.violations == 0 })

        let by = Dictionary(uniqueKeysWithValues: r.penalties.map { ($0.rule, $0) })
        for (id, w) in weights { #expect(by[id]?.weight == w) }
        // Per-finding rules: weight × number of findings.
        for id in ["preferences", "stable-start"] {
            let pen = try #require(by[id])
            #expect(abs(pen.penalty - pen.weight * Double(pen.violations)) <= 1e-9 * max(1, pen.penalty), "\(id)")
        }
        // Fairness: weight × each spread above 1.
        let f = FairnessRule.measure(r.roster, p)
        let spreadPoints = Double((f.weekendSpread > 1 ? f.weekendSpread : 0) + (f.lateSpread > 1 ? f.lateSpread : 0))
        let fair = try #require(by["fairness"])
        #expect(abs(fair.penalty - fair.weight * spreadPoints) <= 1e-9)
        // Coverage: weight × (short agent-slots + proficiency surcharges), so at least weight × short slots.
        let cov = try #require(by["coverage-shortfall"])
        #expect(cov.penalty >= cov.weight * Double(r.metrics.shortAgentSlots) - 1e-9)
    }

    /// A heavier preferences weight reaches the search (not only the score): more preferences are met.
    @Test func weightsSteerTheSearch() throws {
        let p = Self.problem()
        let plain = try RosterEngine(problem: p, options: .init(seed: 5)).solve()
        let keen = try RosterEngine(problem: p, options: .init(seed: 5, weights: ["preferences": 5])).solve()
        #expect(keen.metrics.preferencesMetPct > plain.metrics.preferencesMetPct, "\(keen.metrics.preferencesMetPct) vs \(plain.metrics.preferencesMetPct)")
        #expect(keen.metrics.hardViolations == 0)
    }

    /// Hard test rule: nobody works on Wednesdays. Only the registry passed in names it.
    struct NoWednesdayRule: RosterRule {
        let id = "test-no-wednesday"
        let isHard = true
        var weight = 1.0
        func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
            roster.shifts.filter { p.weekday($0.day) == 2 }.map { Violation(rule: id, agent: p.agents[$0.agent].id, date: p.date($0.day), message: "works a Wednesday") }
        }
        func admits(_ shift: RosterShift, in state: RosterState) -> Bool { state.p.weekday(shift.day) != 2 }
    }

    /// Soft test rule: every late shift is worth a lot more.
    struct LoveLateRule: RosterRule {
        let id = "test-love-late"
        let isHard = false
        var weight = 3.0
        func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] { [] }
        func scorePlacement(_ shift: RosterShift, in state: RosterState, into score: inout Double) {
            if state.p.isLate(shift) { score += weight }
        }
    }

    @Test func aRuleOnlyTheRegistryNamesIsAsked() throws {
        // Flex contracts have no minimum that needs Wednesdays; the problem has people on Wednesdays without the rule.
        var p = Self.problem(agents: 30, weeks: 1, seed: 4)
        p.agents = p.agents.map { var a = $0; a.contract = "flex"; return a }
        let plain = try RosterEngine(problem: p, options: .init(seed: 3)).solve()
        #expect(plain.roster.shifts.contains { p.weekday($0.day) == 2 })

        var o = RosterEngine.Options(seed: 3)
        o.registry = RuleRegistry.all + [NoWednesdayRule()]
        let r = try RosterEngine(problem: p, options: o).solve()
        #expect(!r.roster.shifts.isEmpty)
        #expect(!r.roster.shifts.contains { p.weekday($0.day) == 2 })
        #expect(r.penalties.last?.rule == "test-no-wednesday")

        var late = RosterEngine.Options(seed: 3)
        late.registry = RuleRegistry.all + [LoveLateRule()]
        let l = try RosterEngine(problem: p, options: late).solve()
        let lateShifts = { (x: Roster) in x.shifts.filter { p.isLate($0) }.count }
        #expect(lateShifts(l.roster) > lateShifts(plain.roster), "\(lateShifts(l.roster)) vs \(lateShifts(plain.roster))")
    }

    @Test func weightsComeFromTheConfig() throws {
        let c = try Self.config("[roster]\n[roster.weights]\npreferences = 2\nfairness = 0.25\n")
        #expect(c.weights == ["preferences": 2, "fairness": 0.25])
        #expect(try Self.config("[roster]\n").weights.isEmpty)
        func err(_ toml: String) -> String {
            do { _ = try Self.config(toml); return "" } catch let e as ConfigError { return "\(e.line.map(String.init) ?? "-") \(e.key): \(e.message)" } catch { return "\(error)" }
        }
        #expect(err("[roster]\n[roster.weights]\nprefs = 2\n").hasPrefix("3 roster.weights.prefs: unknown rule id; weighted rules are coverage-shortfall, preferences, stable-start, fairness"))
        #expect(err("[roster]\n[roster.weights]\nmin-rest = 2\n").hasPrefix("3 roster.weights.min-rest: min-rest is a hard rule"))
        #expect(err("[roster]\n[roster.weights]\nfairness = 0\n") == "3 roster.weights.fairness: a weight must be a number > 0")
        #expect(err("[roster]\n[roster.weights]\nfairness = \"high\"\n").hasPrefix("3 roster.weights.fairness: expected a number"))
    }
}
