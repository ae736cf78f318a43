import Foundation
import PlanningCore

/// Deterministic, seeded roster construction + local search.
///
/// 1. Minimum hours: agents below their (pro-rated) weekly minimum take, in rotating seeded order, the
///    feasible shift of that week covering the largest remaining shortfall.
/// 2. Fill: each agent with room under its maximum adds its best feasible shift while it covers open
///    requirement in at least `fillMinGain` of its paid slots.
/// 3. Improve: each shift is taken out and put back at the best feasible day/template/start of its week
///    (move neighbourhood), then each agent's week is rebuilt whole when that scores better (week move: lets a
///    week change start band under the start spread limit), until a pass finds nothing or `maxPasses` passes are done.
/// 4. Activities: meetings and training (`RosterProblem.activities`) go into the shifts where load allows.
/// The stopping rule is work, not time: the same inputs and seed give the same roster on any machine and under
/// any load. `timeLimitSeconds` is only a safety cap; when it stops the search first, the result says so
/// (`stoppedBySafetyCap`) and may then differ run to run.
/// Every step keeps every hard rule (each rule's incremental `admits`); candidate shifts are ranked by the soft
/// rules' `scorePlacement`; the finished roster is checked again with each hard rule's `evaluate()` and refused
/// (typed error) if any is broken. The rules come from `Options.registry` with `Options.weights` (`[roster.weights]`).
public struct RosterEngine {
    public struct Options: Sendable {
        public var seed: UInt64 = 1
        /// Wall-clock safety cap for the improvement phase (not the stopping rule: `maxPasses` is).
        public var timeLimitSeconds: Double = 300
        /// Improvement passes at most (the deterministic work limit).
        public var maxPasses: Int = 6
        /// Fill phase: a shift is added while at least this share of its paid slots covers open requirement
        /// (0.15 measured: 2,000 agents x 4 weeks, shortfall 3.66% at 0.5, 2.56% at 0.3, 2.04% at 0.15, within
        /// the contracts' maximum hours).
        public var fillMinGain: Double = 0.15
        /// Soft-rule weights by rule id (`[roster.weights]`); rules not named keep their default weight.
        public var weights: [String: Double] = [:]
        /// The rules asked and scored, in order (tests add their own to prove the engine asks them).
        public var registry: [any RosterRule] = RuleRegistry.all
        public init(seed: UInt64 = 1, timeLimitSeconds: Double = 300, maxPasses: Int = 6, fillMinGain: Double = 0.15,
                    weights: [String: Double] = [:]) {
            self.seed = seed; self.timeLimitSeconds = timeLimitSeconds; self.maxPasses = maxPasses; self.fillMinGain = fillMinGain
            self.weights = weights
        }
        /// The rules of a run: the registry's, weighted.
        public var rules: [any RosterRule] { RuleRegistry.rules(weights: weights, registry: registry) }
    }

    public struct Metrics: Sendable, Equatable {
        public var requiredAgentSlots: Int
        public var shortAgentSlots: Int
        public var shortfallPct: Double
        public var hardViolations: Int
        public var fairness: FairnessRule.Spread
        public var preferencesMetPct: Double
        public var shifts: Int
        public var paidHours: Double
        public var softPenalty: Double
    }

    /// One rule's share of a roster's score.
    public struct RulePenalty: Sendable, Equatable {
        public var rule: String
        public var isHard: Bool
        public var weight: Double
        /// Sum of the penalties of the rule's violations (soft: weight × amount; hard: 1 each).
        public var penalty: Double
        public var violations: Int
    }

    public struct Result: Sendable {
        public var roster: Roster
        public var metrics: Metrics
        public var softViolations: [Violation]
        /// Every rule's penalty, in rule order; the soft ones sum to `metrics.softPenalty`.
        public var penalties: [RulePenalty] = []
        public var seconds: Double
        /// The wall-clock safety cap ended the improvement phase before its work limit (the roster may then
        /// differ from run to run).
        public var stoppedBySafetyCap: Bool = false
        /// Activities (`RosterProblem.activities`) that found no place in the agent's shifts.
        public var unplacedActivities: [RosterState.Unplaced] = []
    }

    public enum Failure: Error, CustomStringConvertible {
        case hardRulesBroken([Violation])
        public var description: String {
            switch self {
            case .hardRulesBroken(let v):
                return "no roster keeps every hard rule (\(v.count) violation\(v.count == 1 ? "" : "s")); first: " + v.prefix(5).map(\.description).joined(separator: "; ")
            }
        }
    }

    public let problem: RosterProblem
    public var options: Options

    public init(problem: RosterProblem, options: Options = Options()) { self.problem = problem; self.options = options }

    /// Builds a roster. With `previous`, keeps every previous shift that is still feasible and changes
    /// only the days where a previous shift had to go (replan without churn).
    public func solve(previous: Roster? = nil) throws(Failure) -> Result {
        let t0 = Date()
        let rules = options.rules
        var st = State(problem, rules: rules)
        var rng = SplitMix(seed: options.seed)
        var order = Array(problem.agents.indices)
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }

        var allowedDays: Set<Int>? = nil
        if let previous {
            var affected = Set<Int>()
            for s in previous.shifts.sorted(by: { ($0.agent, $0.day) < ($1.agent, $1.day) }) where s.day >= 0 && s.day < problem.days {
                if st.feasible(s.agent, s.day, s.template, s.start, locked: true) {
                    st.add(s.agent, s.day, s.template, s.start, locked: true, keep: s.channels.isEmpty ? nil : s.channels)
                } else { affected.insert(s.day) }
            }
            allowedDays = affected
        }

        // 1. Minimum hours (any day: a contract minimum is not negotiable).
        var progress = true
        while progress {
            progress = false
            for a in order {
                guard let w = st.weekBelowMinimum(a) else { continue }
                if let c = st.best(a, days: w * 7..<(w * 7 + 7), allowed: nil, minGain: -Double.infinity) {
                    st.add(a, c.day, c.template, c.start); progress = true
                }
            }
            if !order.isEmpty { order.append(order.removeFirst()) }
        }
        // 2. Fill the largest remaining shortfall.
        let all = 0..<problem.days
        progress = true
        while progress {
            progress = false
            for a in order {
                if let c = st.best(a, days: all, allowed: allowedDays, minGain: options.fillMinGain) { st.add(a, c.day, c.template, c.start); progress = true }
            }
            if !order.isEmpty { order.append(order.removeFirst()) }
        }
        // 3. Move improvement within each shift's week.
        var pass = 0
        var capped = false
        while pass < options.maxPasses {
            if Date().timeIntervalSince(t0) >= options.timeLimitSeconds { capped = true; break }
            pass += 1
            var improved = false
            for a in order {
                for day in 0..<problem.days {
                    guard let s = st.shift[a][day], !s.locked else { continue }
                    if allowedDays != nil && !(allowedDays!.contains(day)) { continue }
                    st.remove(a, day)
                    let before = st.score(a, day, s.template, s.start)
                    let w = day / 7
                    if let c = st.best(a, days: w * 7..<(w * 7 + 7), allowed: allowedDays, minGain: -Double.infinity, keepMinimum: true), c.score > before + 1e-6 {
                        st.add(a, c.day, c.template, c.start); improved = true
                    } else {
                        st.add(a, day, s.template, s.start)
                    }
                }
                for w in 0..<problem.weeks where st.rebuildWeek(a, w, allowed: allowedDays) { improved = true }
                if Date().timeIntervalSince(t0) >= options.timeLimitSeconds { capped = true; break }
            }
            if !improved || capped { break }
        }

        // 4. Meetings and training where load allows.
        let unplaced = st.placeActivities()
        let roster = st.roster()
        let found = rules.map { ($0, $0.evaluate(roster, problem)) }
        let hard = found.filter { $0.0.isHard }.flatMap(\.1)
        if !hard.isEmpty { throw .hardRulesBroken(hard) }
        let soft = found.filter { !$0.0.isHard }.flatMap(\.1)
        let penalties = found.map { r, v in
            RulePenalty(rule: r.id, isHard: r.isHard, weight: r.weight, penalty: v.reduce(0) { $0 + $1.penalty }, violations: v.count)
        }
        return Result(roster: roster, metrics: Self.metrics(roster, problem, soft: soft, hard: 0), softViolations: soft, penalties: penalties,
                      seconds: Date().timeIntervalSince(t0), stoppedBySafetyCap: capped, unplacedActivities: unplaced)
    }

    /// The roster's measures; `rules` (default: the registry's) score it when `soft` / `hard` are not given.
    public static func metrics(_ roster: Roster, _ p: RosterProblem, soft: [Violation]? = nil, hard: Int? = nil,
                               rules: [any RosterRule] = RuleRegistry.all) -> Metrics {
        let cover = p.coverage(roster)
        var req = 0, short = 0
        for c in p.channels.indices { for t in 0..<p.slots { req += p.required[c][t]; short += max(0, p.required[c][t] - cover[c][t]) } }
        let soft = soft ?? rules.filter { !$0.isHard }.flatMap { $0.evaluate(roster, p) }
        return Metrics(requiredAgentSlots: req, shortAgentSlots: short, shortfallPct: req == 0 ? 0 : 100 * Double(short) / Double(req),
                       hardViolations: hard ?? RuleRegistry.hardViolations(roster, p, rules: rules).count,
                       fairness: FairnessRule.measure(roster, p), preferencesMetPct: 100 * PreferencesRule.metShare(roster, p),
                       shifts: roster.shifts.count, paidHours: roster.shifts.reduce(0) { $0 + p.paidHours($1) },
                       softPenalty: soft.reduce(0) { $0 + $1.penalty })
    }
}

/// SplitMix64: small deterministic generator.
public struct SplitMix: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

typealias State = RosterState
