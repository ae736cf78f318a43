import Foundation
import Optimization

/// Finds the cheapest schedule the rules allow, and proves how close to optimal it is.
///
/// Pipeline:
/// 1. Structural checks (`Feasibility`): a queue nobody is skilled for, an interval no template covers.
/// 2. Decomposition (`Decomposition`): independent components (for example one per day when nothing links
///    days), solved separately — exact, since the model is a sum over components.
/// 3. Per component, the rules build one model (implicit breaks keep it small); CLP solves the relaxation
///    (the lower bound, reported always); CBC solves the integer model with a share of the remaining time, a
///    warm start and a hard deadline.
/// 4. The schedule is read back, capacity is allocated per interval (`Allocator`) and every rule evaluates it
///    without a solver; the objective reported is the sum of those penalties.
public struct ScheduleEngine: Sendable {
    public let backend: SolverBackend

    public init(backend: SolverBackend = CbcBackend()) { self.backend = backend }

    public func solve(_ problem: ScheduleProblem, options: EngineOptions = EngineOptions()) -> ScheduleOutcome {
        let t0 = Date()
        let deadline = Deadline.after(seconds: options.timeLimit)
        // Past the deadline, parts still without a schedule get the heuristic alone for a short grace (a tenth of
        // the limit, at most 2 s); past that the outcome is a time limit.
        let grace = min(2, 0.1 * options.timeLimit)
        let fallbackDeadline = Deadline.after(seconds: options.timeLimit + grace)
        var warnings: [String] = []
        let structural = Feasibility.structuralConflicts(problem)
        if !structural.isEmpty {
            if options.settings.soft {
                warnings += structural.map { "[\($0.rule)] \($0.message)" }
            } else {
                return .infeasible(InfeasibilityReport(conflicts: structural))
            }
        }
        let rules = RuleSet(options.settings, registry: options.registry)
        let components = Decomposition.components(problem)
        let weights = components.map { Double($0.cells.count * max(1, $0.groups.count)) }
        let totalWeight = weights.reduce(0, +)

        let state = SolveState(count: components.count)
        let workers = max(1, min(options.workers, components.count))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let i = state.next() {
                if state.stopped { state.finish(i, .skipped); continue }
                if options.work == nil ? deadline.remaining < 0.25 : deadline.hasPassed {
                    let r: ComponentOutcome = fallbackDeadline.hasPassed ? .skipped : heuristicOnly(components[i], problem, rules, options, fallbackDeadline)
                    state.finish(i, r, weight: weights[i])
                    options.progress?(state.fraction)
                    continue
                }
                let share = weights[i] / max(1e-9, state.remainingWeight(totalWeight, weights))
                let remaining = deadline.remaining
                let slice = max(0.25, remaining * share * Double(workers))
                // With a work limit every part runs to its work budget; the deadline is only the safety cap.
                let r = solveComponent(components[i], problem, rules, options, options.work == nil ? deadline.capped(seconds: min(remaining, slice)) : deadline, deadline)
                var outcome = r
                if case .infeasible = r { state.stop() }
                if case .timeLimit = r, !fallbackDeadline.hasPassed {
                    outcome = heuristicOnly(components[i], problem, rules, options, fallbackDeadline)
                }
                state.finish(i, outcome, weight: weights[i])
                options.progress?(state.fraction)
            }
        }

        var shifts: [ShiftBlock] = []
        var reports: [ComponentReport] = []
        var conflicts: [ScheduleConflict] = []
        var solved = 0
        var solverObjective = 0.0, bound = 0.0, allProven = true
        var timedOut = false
        for r in state.results {
            switch r {
            case .solved(let s, let rep):
                shifts += s; reports.append(rep); solved += 1
                solverObjective += rep.objective; bound += rep.bound; allProven = allProven && rep.proven
            case .infeasible(let c): conflicts += c
            case .timeLimit, .skipped: timedOut = true
            }
        }
        if !conflicts.isEmpty { return .infeasible(InfeasibilityReport(conflicts: conflicts)) }
        if options.work != nil && deadline.hasPassed {
            warnings.append("[time-limit] the wall-clock safety cap (\(fmt(options.timeLimit, 0)) s) stopped the search before its work limit: this schedule may differ from run to run; raise time_limit_seconds (or --time-limit)")
        }
        if timedOut || solved < components.count {
            return .timeLimit(TimeLimitReport(seconds: Date().timeIntervalSince(t0), componentsSolved: solved, componentsTotal: components.count, lowerBound: nil))
        }
        let schedule = ShiftSchedule(shifts: shifts, problem: problem, weights: rules.allocatorWeights(problem))
        let scores = rules.evaluate(schedule, problem: problem)
        let objective = scores.reduce(0) { $0 + $1.penalty }
        for s in scores where s.kind == .soft && s.rule != PaidHoursRule.id && s.penalty > 0 {
            warnings.append("[\(s.rule)] penalty \(fmt(s.penalty, 2)) over \(s.findings.count) findings (see `peakplan schedule explain`)")
        }
        let lb = min(bound, objective)
        let result = ScheduleResult(problem: problem, schedule: schedule, scores: scores, objective: objective,
                                    solverObjective: solverObjective, lowerBound: lb,
                                    gap: objective > 0 ? max(0, objective - lb) / objective : 0, proven: allProven,
                                    components: reports.sorted { ($0.component.days.first ?? 0, $0.component.queues.first ?? 0) < ($1.component.days.first ?? 0, $1.component.queues.first ?? 0) },
                                    seconds: Date().timeIntervalSince(t0),
                                    coverage: CoverageSummary(schedule: schedule, problem: problem), warnings: warnings)
        return allProven ? .optimal(result) : .feasible(result)
    }

    enum ComponentOutcome: Sendable {
        case solved([ShiftBlock], ComponentReport)
        case infeasible([ScheduleConflict])
        case timeLimit
        case skipped
    }

    /// A component when time is nearly out: each queue's base groups only (small parts), their LP relaxations
    /// as hints for the greedy heuristic (no CBC), and Farley's bound — the base parts' LP value divided by the
    /// largest value/cost ratio of any left-out group's shift under their duals — so the gap stays honest.
    func heuristicOnly(_ c: Component, _ p: ScheduleProblem, _ rules: RuleSet, _ options: EngineOptions, _ deadline: Deadline) -> ComponentOutcome {
        let t0 = Date()
        var base = Set<Int>()
        for q in c.queues {
            let gs = c.groups.filter { g in p.skills(of: g).contains { $0.queue == q } }
            let dedicated = gs.filter { p.skills(of: $0).count == 1 }
            base.formUnion(dedicated.isEmpty ? gs : dedicated)
        }
        var blocks: [ShiftBlock] = []
        var objective = 0.0, lpValue = 0.0
        var duals = [Int: Double]()
        var withLP = true
        var granularity = Double.infinity
        for part in Decomposition.components(p, cells: c.cells, groups: base.sorted()) {
            let ctx = EncodingContext(problem: p, settings: options.settings, component: part, rules: rules)
            rules.encode(ctx)
            granularity = min(granularity, objectiveGranularity(ctx.model))
            var hints: [ShiftKey: Double] = [:]
            var breakHints: [BreakHintKey: [Int: Double]] = [:]
            if withLP, case .optimal(let lp) = backend.solveRelaxation(ctx.model, options: SolveOptions(deadline: deadline.capped(seconds: 1))) {
                lpValue += lp.objective
                for r in ctx.coverageRows { duals[r.queue * p.horizon + r.period] = lp.duals[r.row] }
                for col in ctx.shiftColumns where lp.values[col.variable.index] > 1e-9 {
                    hints[ShiftKey(group: col.group, template: col.template, start: col.start), default: 0] += lp.values[col.variable.index]
                }
                breakHints = ctx.breakDistribution(lp.values)
            } else {
                withLP = false
            }
            if deadline.hasPassed { return .timeLimit }
            guard let b = GreedyHeuristic(p: p, settings: options.settings, component: part, rules: rules).run(hints: hints, breakHints: breakHints, improve: withLP, deadline: deadline),
                  let x = ctx.startVector(b) else { return .timeLimit }
            blocks += b
            objective += ctx.model.objective(x)
        }
        var bound = 0.0
        if withLP {
            var theta = 1.0
            for g in c.groups where !base.contains(g) { theta = max(theta, price(g, c, p, rules, duals).maxRatio) }
            bound = lpValue / theta
            if granularity.isFinite && granularity > 0 { bound = (bound / granularity - 1e-6).rounded(.up) * granularity }
        }
        let rep = ComponentReport(component: c, columns: 0, integerColumns: 0, rows: 0, lpBound: bound, bound: min(bound, objective),
                                  objective: objective, proven: false, method: "heuristic only (time limit)" + (withLP ? "" : ", no LP bound"),
                                  seconds: Date().timeIntervalSince(t0))
        return .solved(blocks, rep)
    }

    /// Fix-and-optimize over time windows (a rolling-horizon large-neighbourhood search; e.g. Dorneles et al.
    /// 2014 for timetabling, Della Croce & Salassa 2014 for nurse rostering): the shift and break columns of two
    /// consecutive start days are free, every other integer column is fixed at the incumbent, and CBC improves the
    /// window from the incumbent. Windows slide by a day; passes repeat while they pay and time remains. Each
    /// window model is a few days' worth of a part that is otherwise too big to search as a whole.
    func windows(_ ctx: EncodingContext, _ x0: [Double], _ options: EngineOptions, _ deadline: Deadline, bound: Double) -> [Double] {
        var x = x0
        let model = ctx.model
        var current = model.objective(x)
        let days = Array(Set(ctx.shiftColumns.map(\.day))).sorted()
        guard days.count > 2 else { return x }
        let g = objectiveGranularity(model)
        var integerDay = [Int?](repeating: nil, count: model.numberOfVariables)
        for c in ctx.shiftColumns { integerDay[c.variable.index] = c.day }
        for c in ctx.breakColumns { integerDay[c.variable.index] = c.day }
        for _ in 0 ..< (options.work?.windowPasses ?? 3) {
            var improved = false
            for (k, d) in days.enumerated() {
                let left = deadline.remaining
                guard options.work == nil ? left > 0.3 : !deadline.hasPassed,
                      current - bound > max(g * 0.5, options.relativeGap * current) else { return x }
                let free: Set<Int> = [d, days[min(k + 1, days.count - 1)]]
                var sub = model
                for j in 0 ..< model.numberOfVariables where model.isInteger[j] {
                    if let day = integerDay[j], free.contains(day) { continue }
                    sub.setBounds(Variable(index: j), lower: x[j], upper: x[j])
                }
                let budget = max(0.3, left / Double(max(1, days.count - k)))
                var o = SolveOptions(deadline: options.work == nil ? deadline.capped(seconds: budget) : deadline, relativeGap: options.relativeGap,
                                     absoluteGap: g > 0 ? g * 0.999 : 1e-7, start: x, log: options.solverLog)
                o.effort = .full
                o.nodeLimit = options.work?.windowNodes
                if let s = backend.solve(sub, options: o).solution, s.objective < current - max(g * 0.5, 1e-7), model.violation(s.values, tolerance: 1e-6) == nil {
                    x = s.values
                    current = s.objective
                    improved = true
                }
            }
            if !improved { break }
        }
        return x
    }

    /// Relaxations use CLP's automatic choice (presolve, then dual or primal). Primal simplex alone solves a whole
    /// 50-queue day 2-2.5× faster, but its vertex duals price far more cross-trained groups into the column
    /// generation (91 instead of 77 of 100 on scale_50q_1w day 1), which costs more than it saves; interior-point
    /// duals price in nearly all of them.
    func lpOptions(_ deadline: Deadline, _ options: EngineOptions) -> SolveOptions {
        SolveOptions(deadline: deadline, log: options.solverLog)
    }

    /// Pricing of a left-out group g: over every explicit shift it could work in component c, the most negative
    /// reduced cost and the largest ratio value/cost, where a shift's value is the sum over its on-duty periods of
    /// the best coverage dual among the group's queues (each break at its cheapest place in its window), and its
    /// cost is what the rules charge for it.
    func price(_ g: Int, _ c: Component, _ p: ScheduleProblem, _ rules: RuleSet, _ duals: [Int: Double]) -> (minRC: Double, maxRatio: Double) {
        let P = p.periodsPerDay, H = p.horizon
        let qs = p.skills(of: g).map(\.queue).filter { c.queues.contains($0) }
        guard !qs.isEmpty else { return (.infinity, 0) }
        var best = Double.infinity, ratio = 0.0
        let cells = Set(c.cells)
        let overnight = p.templates(of: g).first { p.templates[$0].latestEnd > P }
        let startDays = overnight.map { p.startDays(for: p.templates[$0], reaching: c.days) } ?? c.days
        for d in startDays {
            let from = d * P, to = min(H, d * P + 2 * P)
            var value = [Double](repeating: 0, count: to - from + 1)
            for t in from ..< to {
                var m = 0.0
                for q in qs where cells.contains(q * p.days + t / P) { m = max(m, duals[q * H + t] ?? 0) }
                value[t - from + 1] = m
            }
            var prefix = [Double](repeating: 0, count: value.count)
            for k in 1 ..< value.count { prefix[k] = prefix[k - 1] + value[k] }
            func sum(_ a: Int, _ b: Int) -> Double { // periods [a, b) absolute
                let lo = max(a, from) - from, hi = min(b, to) - from
                return hi > lo ? prefix[hi] - prefix[lo] : 0
            }
            for ti in p.templates(of: g) {
                let tp = p.templates[ti]
                for s in tp.starts {
                    let a = d * P + s
                    let cost = rules.cost(of: ShiftBlock(group: g, template: ti, day: d, start: a, breakStarts: [], count: 1), in: p)
                    var v = sum(a, a + tp.spanPeriods)
                    for b in tp.breaks {
                        var lose = Double.infinity
                        for o in b.earliestOffset ... b.latestOffset { lose = min(lose, sum(a + o, a + o + b.durationPeriods)) }
                        v -= lose
                    }
                    best = min(best, cost - v)
                    if cost > 0 { ratio = max(ratio, v / cost) }
                }
            }
        }
        return (best, ratio)
    }

    /// The step of the objective over integer columns when no continuous column has a cost (0 otherwise): a
    /// solution within one step of the bound is optimal.
    func objectiveGranularity(_ m: LinearModel) -> Double {
        let scale = 1e6
        var g: Int64 = 0
        for j in 0 ..< m.numberOfVariables where m.cost[j] != 0 {
            guard m.isInteger[j] else { return 0 }
            let v = (abs(m.cost[j]) * scale).rounded()
            guard abs(v - abs(m.cost[j]) * scale) < 1e-3, v < 9e15 else { return 0 }
            g = gcd(g, Int64(v))
        }
        return Double(g) / scale
    }

    private func gcd(_ a: Int64, _ b: Int64) -> Int64 { b == 0 ? a : gcd(b, a % b) }

    /// Names the rows in conflict (elastic filter) as queues, groups and intervals.
    func explain(_ model: LinearModel, _ ctx: EncodingContext, _ deadline: Deadline, integer: Bool = false) -> [ScheduleConflict] {
        let p = ctx.problem
        let opts = SolveOptions(deadline: deadline.capped(seconds: 10))
        guard let conflict = Diagnosis.conflict(in: model, backend: backend, options: opts, integer: integer) else {
            return [ScheduleConflict(rule: "-", queues: ctx.queues.map { p.queues[$0].id }, groups: ctx.groups.map { p.groups[$0].id },
                                     periods: [], message: "no schedule exists for queues \(ctx.queues.map { p.queues[$0].id }.joined(separator: ", ")) on \(ctx.days.map { Civilian.date(p, $0) }.joined(separator: ", ")) (the rows in conflict could not be isolated)")]
        }
        return ctx.rules.explain(conflict, tags: ctx.rowTags, problem: p)
    }

}

/// Shared state of the component workers.
final class SolveState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private(set) var results: [ScheduleEngine.ComponentOutcome]
    private var doneWeight = 0.0
    private var done = 0
    private var stopFlag = false
    let count: Int

    init(count: Int) {
        self.count = count
        results = Array(repeating: .skipped, count: count)
    }

    func next() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finish(_ i: Int, _ r: ScheduleEngine.ComponentOutcome, weight: Double = 0) {
        lock.lock(); results[i] = r; doneWeight += weight; done += 1; lock.unlock()
    }

    func remainingWeight(_ total: Double, _ weights: [Double]) -> Double {
        lock.lock(); defer { lock.unlock() }
        return max(1e-9, total - doneWeight)
    }

    var fraction: Double { lock.lock(); defer { lock.unlock() }; return count == 0 ? 1 : Double(done) / Double(count) }
    var stopped: Bool { lock.lock(); defer { lock.unlock() }; return stopFlag }
    func stop() { lock.lock(); stopFlag = true; lock.unlock() }
}
