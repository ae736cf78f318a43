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
        let rules = RuleRegistry.rules(options.settings)
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
        let schedule = ShiftSchedule(shifts: shifts, problem: problem, weights: CoverageRule.allocatorWeights(problem, options.settings))
        let scores = rules.map { $0.evaluate(schedule, problem: problem) }
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

    /// One sub-model: a part of a component under the groups admitted so far, with its LP solution.
    struct SubModel {
        var component: Component
        var context: EncodingContext
        var lp: LPSolution
    }

    func solveComponent(_ c: Component, _ p: ScheduleProblem, _ rules: [any ScheduleRule], _ options: EngineOptions,
                        _ slice: Deadline, _ hard: Deadline) -> ComponentOutcome {
        let t0 = Date()
        let H = p.horizon
        var lpSeconds = 0.0
        var cache: [String: SubModel] = [:]
        enum Relaxed { case parts([SubModel]), infeasible([ScheduleConflict]), timeLimit }
        /// Builds and relaxes every independent part of the component when only `groups` may work.
        func relax(_ groups: Set<Int>) -> Relaxed {
            var out: [SubModel] = []
            for part in Decomposition.components(p, cells: c.cells, groups: groups.sorted()) {
                let key = "\(part.cells)|\(part.groups)"
                if let m = cache[key] { out.append(m); continue }
                let ctx = EncodingContext(problem: p, settings: options.settings, component: part)
                for r in rules { r.encode(ctx) }
                switch backend.solveRelaxation(ctx.model, options: lpOptions(hard, options)) {
                case .optimal(let s):
                    lpSeconds += s.seconds
                    let m = SubModel(component: part, context: ctx, lp: s)
                    cache[key] = m
                    out.append(m)
                case .infeasible: return .infeasible(explain(ctx.model, ctx, hard))
                case .timeLimit, .unbounded, .failed: return .timeLimit
                }
            }
            return .parts(out)
        }
        /// Groups that give every queue of the component someone: its dedicated groups, or all its groups if none.
        func baseGroups(within pool: Set<Int>) -> Set<Int> {
            var out = Set<Int>()
            for q in c.queues {
                let gs = c.groups.filter { g in pool.contains(g) && p.skills(of: g).contains { $0.queue == q } }
                let dedicated = gs.filter { p.skills(of: $0).count == 1 }
                out.formUnion(dedicated.isEmpty ? gs : dedicated)
            }
            return out
        }

        // 1. Lower bound by column generation over agent groups. Start from the base groups, relax each independent
        //    part, price every left-out group's shifts with the coverage duals, admit the groups that would lower
        //    the relaxation, repeat. Farley (1990, "A note on bounding a class of linear programming problems,
        //    including cutting stock problems", Operations Research 38(5)): with positive costs the restricted duals
        //    divided by θ = max(1, best value/cost ratio of a left-out shift) are feasible for the full dual, so the
        //    restricted value / θ is a valid bound whatever stays out; when pricing settles, θ = 1 and the bound is
        //    the full relaxation's value.
        var admitted = baseGroups(within: Set(c.groups))
        var subs: [SubModel] = []
        var theta = 1.0, minExcludedRC = Double.infinity
        var rounds = 0
        while true {
            switch relax(admitted) {
            case .parts(let ps): subs = ps
            case .infeasible(let k): return .infeasible(k)
            case .timeLimit: return .timeLimit
            }
            var duals = [Int: Double]()
            for m in subs { for r in m.context.coverageRows { duals[r.queue * H + r.period] = m.lp.duals[r.row] } }
            var enter: [Int] = []
            theta = 1
            minExcludedRC = .infinity
            for g in c.groups where !admitted.contains(g) {
                let (rc, ratio) = price(g, c, p, options.settings, duals)
                if rc < -1e-7 { enter.append(g) }
                minExcludedRC = min(minExcludedRC, rc)
                theta = max(theta, ratio)
            }
            rounds += 1
            if enter.isEmpty || rounds >= 8 || (options.work == nil && hard.remaining < options.timeLimit * 0.2) { break }
            admitted.formUnion(enter)
        }
        let lpValue = subs.reduce(0) { $0 + $1.lp.objective }
        var granularity = Double.infinity
        for m in subs { granularity = min(granularity, objectiveGranularity(m.context.model)) }
        if !granularity.isFinite { granularity = 0 }
        let tolerance = max(granularity * 0.5, 1e-7)
        func roundUp(_ v: Double, _ g: Double) -> Double { g > 0 ? (v / g - 1e-6).rounded(.up) * g : v }
        let lpBound = roundUp(lpValue / theta, granularity)

        // 2. The integer search keeps the base groups plus the groups the relaxation actually uses (half a shift or
        //    more): a cross-trained group the relaxation leaves idle would only enlarge and link the parts.
        var usage = [Int: Double]()
        for m in subs { for col in m.context.shiftColumns { usage[col.group, default: 0] += m.lp.values[col.variable.index] } }
        var searchGroups = baseGroups(within: admitted)
        for g in admitted where (usage[g] ?? 0) >= 0.5 { searchGroups.insert(g) }
        if searchGroups != admitted {
            switch relax(searchGroups) {
            case .parts(let ps): subs = ps
            case .infeasible(let k): return .infeasible(k)
            case .timeLimit: return .timeLimit
            }
        }

        // 3. Integer solution per part: the greedy heuristic's point, then lean branch and bound from it, then the
        //    full machinery if the part is still open; a part whose heuristic point already meets its bound skips
        //    the solver.
        var shifts: [ShiftBlock] = []
        var objective = 0.0, partBounds = 0.0
        var methods = Set<String>()
        let weights = subs.map { Double($0.context.model.numberOfIntegers) }
        var weightLeft = weights.reduce(0, +)
        for (i, m) in subs.enumerated() {
            let model = m.context.model
            let g = objectiveGranularity(model)
            var bound = roundUp(m.lp.objective, g)
            var hints: [ShiftKey: Double] = [:]
            for col in m.context.shiftColumns where m.lp.values[col.variable.index] > 1e-9 {
                hints[ShiftKey(group: col.group, template: col.template, start: col.start), default: 0] += m.lp.values[col.variable.index]
            }
            var start: [Double]?
            if let blocks = GreedyHeuristic(p: p, settings: options.settings, component: m.component)
                .run(hints: hints, breakHints: m.context.breakDistribution(m.lp.values), deadline: hard),
               let x = m.context.startVector(blocks), model.violation(x, tolerance: 1e-6) == nil {
                start = x
            }
            let share = max(0.05, slice.remaining * weights[i] / max(1, weightLeft))
            weightLeft -= weights[i]
            if let x = start, model.objective(x) - bound <= max(g * 0.5, 1e-7) {
                shifts += m.context.shifts(from: x)
                objective += model.objective(x); partBounds += bound
                methods.insert("heuristic")
                continue
            }
            let partDeadline = options.work == nil ? hard.capped(seconds: share) : hard
            if let x = start, options.work == nil ? partDeadline.remaining < 0.15 : partDeadline.hasPassed {
                // No time for the solver (CBC 2.10 can fail when stopped inside preprocessing): the heuristic point.
                shifts += m.context.shifts(from: x)
                objective += model.objective(x); partBounds += bound
                methods.insert("heuristic")
                continue
            }
            if let x = start, m.component.days.count > 2 {
                // A part spanning many days (overnight shifts or weekly limits chain them): fix-and-optimize by time
                // window, then the whole part with what time is left.
                let better = windows(m.context, x, options, partDeadline, bound: bound)
                shifts += m.context.shifts(from: better)
                objective += model.objective(better); partBounds += bound
                methods.insert("cbc windows")
                continue
            }
            var opts = SolveOptions(deadline: options.work == nil ? partDeadline.capped(seconds: min(1, max(0.2, share * 0.4))) : partDeadline,
                                    relativeGap: options.relativeGap, absoluteGap: g > 0 ? g * 0.999 : 1e-7, start: start, log: options.solverLog)
            opts.effort = .lean
            opts.nodeLimit = options.work?.leanNodes ?? 400
            var out = backend.solve(model, options: opts)
            if options.work == nil ? partDeadline.remaining > 0.5 : !partDeadline.hasPassed {
                opts.deadline = partDeadline; opts.effort = .full; opts.nodeLimit = options.work?.nodes
                switch out {
                case .feasible(let s, _):
                    opts.start = s.values
                    out = backend.solve(model, options: opts)
                case .timeLimit:
                    out = backend.solve(model, options: opts)
                default: break
                }
            }
            switch out {
            case .optimal(let s), .feasible(let s, _):
                shifts += m.context.shifts(from: s.values)
                objective += s.objective
                bound = max(bound, roundUp(s.bound, g))
                partBounds += min(bound, s.objective)
                methods.insert(start != nil && abs(s.objective - model.objective(start!)) < 1e-9 ? "heuristic" : "cbc")
            case .infeasible:
                return .infeasible(explain(model, m.context, hard, integer: true))
            case .timeLimit, .unbounded, .failed:
                return .timeLimit
            }
        }
        // Bound: the relaxation's; the parts' own bounds count only when the search covered every group (or every
        // left-out shift costs at least the gap more: reduced-cost argument).
        var bound = lpBound
        if searchGroups.count == c.groups.count {
            bound = max(bound, partBounds)
        } else if searchGroups == admitted && theta <= 1 && minExcludedRC > 0 {
            bound = max(bound, min(partBounds, lpBound + minExcludedRC))
        }
        bound = min(bound, objective)
        let proven = objective - bound <= tolerance
        let rep = ComponentReport(component: c, columns: subs.reduce(0) { $0 + $1.context.model.numberOfVariables },
                                  integerColumns: subs.reduce(0) { $0 + $1.context.model.numberOfIntegers },
                                  rows: subs.reduce(0) { $0 + $1.context.model.numberOfConstraints },
                                  lpBound: lpBound, bound: bound, objective: objective, proven: proven,
                                  method: methods.sorted().joined(separator: "+") + ", \(subs.count) part\(subs.count == 1 ? "" : "s"), \(searchGroups.count) of \(c.groups.count) groups searched, \(admitted.count) priced in",
                                  seconds: Date().timeIntervalSince(t0), lpSeconds: lpSeconds)
        return .solved(shifts, rep)
    }

    /// A component when time is nearly out: each queue's base groups only (small parts), their LP relaxations
    /// as hints for the greedy heuristic (no CBC), and Farley's bound — the base parts' LP value divided by the
    /// largest value/cost ratio of any left-out group's shift under their duals — so the gap stays honest.
    func heuristicOnly(_ c: Component, _ p: ScheduleProblem, _ rules: [any ScheduleRule], _ options: EngineOptions, _ deadline: Deadline) -> ComponentOutcome {
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
            let ctx = EncodingContext(problem: p, settings: options.settings, component: part)
            for r in rules { r.encode(ctx) }
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
            guard let b = GreedyHeuristic(p: p, settings: options.settings, component: part).run(hints: hints, breakHints: breakHints, improve: withLP, deadline: deadline),
                  let x = ctx.startVector(b) else { return .timeLimit }
            blocks += b
            objective += ctx.model.objective(x)
        }
        var bound = 0.0
        if withLP {
            var theta = 1.0
            for g in c.groups where !base.contains(g) { theta = max(theta, price(g, c, p, options.settings, duals).maxRatio) }
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
    /// the best coverage dual among the group's queues (each break at its cheapest place in its window).
    func price(_ g: Int, _ c: Component, _ p: ScheduleProblem, _ settings: RuleSettings, _ duals: [Int: Double]) -> (minRC: Double, maxRatio: Double) {
        let P = p.periodsPerDay, H = p.horizon
        let qs = p.skills(of: g).map(\.queue).filter { c.queues.contains($0) }
        guard !qs.isEmpty else { return (.infinity, 0) }
        var best = Double.infinity, ratio = 0.0
        let cells = Set(c.cells)
        let overnight = p.templates(of: g).contains { p.templates[$0].latestEnd > P }
        let startDays = overnight ? Array(Set(c.days + c.days.map { $0 - 1 }.filter { $0 >= 0 })).sorted() : c.days
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
                let cost = p.groups[g].costPerPaidHour * Double(tp.paidPeriods) * p.hoursPerPeriod * settings.weight(PaidHoursRule.id)
                for s in tp.starts {
                    let a = d * P + s
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
        return Self.describe(conflict, p)
    }

    /// Groups elastic-filter rows by rule into readable conflicts.
    static func describe(_ conflict: Conflict, _ p: ScheduleProblem) -> [ScheduleConflict] {
        var out: [ScheduleConflict] = []
        // coverage[queue,YYYY-MM-DDTHH:MM]
        var shortByQueue: [String: [(Int, Double)]] = [:]
        var limits: [(String, Double)] = []
        var other: [ConflictRow] = []
        for r in conflict.rows {
            if r.tag == CoverageRule.id, let inner = bracket(r.name), let comma = inner.lastIndex(of: ",") {
                let q = String(inner[..<comma]), ts = String(inner[inner.index(after: comma)...])
                if let t = p.period(ofLabel: ts) { shortByQueue[q, default: []].append((t, r.violation)) }
            } else if r.tag == HeadcountRule.id {
                limits.append((r.name, r.violation))
            } else {
                other.append(r)
            }
        }
        let limitText = limits.isEmpty ? "" : "; head-count limits in the way: " + limits.prefix(6).map { "\($0.0) over by \(fmt($0.1, 1))" }.joined(separator: ", ")
        for (q, list) in shortByQueue.sorted(by: { $0.key < $1.key }) {
            let periods = list.map(\.0).sorted()
            let maxShort = list.map(\.1).max() ?? 0
            out.append(ScheduleConflict(rule: CoverageRule.id, queues: [q], groups: [], periods: periods,
                                        message: "queue \(q) cannot be covered in \(periods.count) intervals (\(p.describe(periods))), short by up to \(fmt(maxShort, 1)) agents\(limitText)"))
        }
        if shortByQueue.isEmpty && !limits.isEmpty {
            out.append(ScheduleConflict(rule: HeadcountRule.id, queues: [], groups: [], periods: [],
                                        message: "head-count limits too low for the requirements: " + limits.prefix(8).map { "\($0.0) needs \(fmt($0.1, 1)) more" }.joined(separator: ", ")))
        }
        for r in other.prefix(5) {
            out.append(ScheduleConflict(rule: r.tag, queues: [], groups: [], periods: [], message: "row \(r.name) violated by \(fmt(r.violation, 2))"))
        }
        return out
    }

    static func bracket(_ s: String) -> Substring? {
        guard let a = s.firstIndex(of: "["), let b = s.lastIndex(of: "]"), a < b else { return nil }
        return s[s.index(after: a) ..< b]
    }
}

extension ScheduleProblem {
    /// Absolute period of a `YYYY-MM-DDTHH:MM` label.
    func period(ofLabel s: String) -> Int? {
        guard s.count >= 16, let day = PlanningCoreBridge.parseDate(String(s.prefix(10))) else { return nil }
        let hm = s.dropFirst(11)
        guard let h = Int(hm.prefix(2)), let m = Int(hm.dropFirst(3).prefix(2)) else { return nil }
        return Int(day - firstDay) * periodsPerDay + (h * TimeGrid.minutesPerHour + m) / intervalMinutes
    }
}

import PlanningCore

enum PlanningCoreBridge {
    static func parseDate(_ s: String) -> Int64? { Civil.parseDate(s) }
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
