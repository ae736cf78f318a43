import Foundation
import Optimization

/// How `ScheduleEngine` solves one component, in named phases:
/// 1. `priceGroups`: the lower bound by column generation over agent groups.
/// 2. `searchGroups`: the groups the integer search keeps.
/// 3. `solvePart`: an integer solution per independent part (heuristic point, lean then full branch and bound,
///    or fix-and-optimize windows for parts spanning many days).
/// 4. `componentBound`: the bound the parts' searches prove, and the component's report.
extension ScheduleEngine {
    /// One sub-model: a part of a component under the groups admitted so far, with its LP solution.
    struct SubModel {
        var component: Component
        var context: EncodingContext
        var lp: LPSolution
    }

    /// A phase's result, or the component's outcome when the phase ends the solve (infeasible, time limit).
    enum Step<T> {
        case next(T)
        case stop(ComponentOutcome)
    }

    /// Builds and relaxes the independent parts of one component under a set of groups, caching each part.
    struct Relaxer {
        let engine: ScheduleEngine
        let c: Component
        let p: ScheduleProblem
        let rules: RuleSet
        let options: EngineOptions
        let hard: Deadline
        var cache: [String: SubModel] = [:]
        var lpSeconds = 0.0

        /// Every independent part of the component when only `groups` may work, with its relaxation.
        mutating func relax(_ groups: Set<Int>) -> Step<[SubModel]> {
            var out: [SubModel] = []
            for part in Decomposition.components(p, cells: c.cells, groups: groups.sorted()) {
                let key = "\(part.cells)|\(part.groups)"
                if let m = cache[key] { out.append(m); continue }
                let ctx = EncodingContext(problem: p, settings: options.settings, component: part, rules: rules)
                rules.encode(ctx)
                switch engine.backend.solveRelaxation(ctx.model, options: engine.lpOptions(hard, options)) {
                case .optimal(let s):
                    lpSeconds += s.seconds
                    let m = SubModel(component: part, context: ctx, lp: s)
                    cache[key] = m
                    out.append(m)
                case .infeasible: return .stop(.infeasible(engine.explain(ctx.model, ctx, hard)))
                case .timeLimit, .unbounded, .failed: return .stop(.timeLimit)
                }
            }
            return .next(out)
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
    }

    /// What the column generation ends with: the groups priced in, their parts, and Farley's θ and the smallest
    /// reduced cost of a left-out group.
    struct Priced {
        var admitted: Set<Int>
        var subs: [SubModel]
        var theta: Double
        var minExcludedRC: Double
    }

    /// What the integer search of the parts found so far.
    struct PartsSolved {
        var shifts: [ShiftBlock] = []
        var objective = 0.0
        var partBounds = 0.0
        var methods = Set<String>()
    }

    func solveComponent(_ c: Component, _ p: ScheduleProblem, _ rules: RuleSet, _ options: EngineOptions,
                        _ slice: Deadline, _ hard: Deadline) -> ComponentOutcome {
        let t0 = Date()
        var relaxer = Relaxer(engine: self, c: c, p: p, rules: rules, options: options, hard: hard)
        let priced: Priced
        switch priceGroups(&relaxer, rules, options, hard) {
        case .next(let x): priced = x
        case .stop(let o): return o
        }
        let lpValue = priced.subs.reduce(0) { $0 + $1.lp.objective }
        var granularity = Double.infinity
        for m in priced.subs { granularity = min(granularity, objectiveGranularity(m.context.model)) }
        if !granularity.isFinite { granularity = 0 }
        let tolerance = max(granularity * 0.5, 1e-7)
        let lpBound = roundUp(lpValue / priced.theta, granularity)

        let searchGroups: Set<Int>, subs: [SubModel]
        switch searchParts(priced, &relaxer) {
        case .next(let x): (searchGroups, subs) = x
        case .stop(let o): return o
        }

        // 3. Integer solution per part: the greedy heuristic's point, then lean branch and bound from it, then the
        //    full machinery if the part is still open; a part whose heuristic point already meets its bound skips
        //    the solver.
        var solved = PartsSolved()
        let weights = subs.map { Double($0.context.model.numberOfIntegers) }
        var weightLeft = weights.reduce(0, +)
        for (i, m) in subs.enumerated() {
            let part = solvePart(m, p, rules, options, slice: slice, weight: weights[i], weightLeft: &weightLeft, hard, into: &solved)
            if case .stop(let o) = part { return o }
        }
        let bound = componentBound(lpBound, priced, searchGroups: searchGroups, c, solved)
        let proven = solved.objective - bound <= tolerance
        let rep = ComponentReport(component: c, columns: subs.reduce(0) { $0 + $1.context.model.numberOfVariables },
                                  integerColumns: subs.reduce(0) { $0 + $1.context.model.numberOfIntegers },
                                  rows: subs.reduce(0) { $0 + $1.context.model.numberOfConstraints },
                                  lpBound: lpBound, bound: bound, objective: solved.objective, proven: proven,
                                  method: solved.methods.sorted().joined(separator: "+") + ", \(subs.count) part\(subs.count == 1 ? "" : "s"), \(searchGroups.count) of \(c.groups.count) groups searched, \(priced.admitted.count) priced in",
                                  seconds: Date().timeIntervalSince(t0), lpSeconds: relaxer.lpSeconds)
        return .solved(solved.shifts, rep)
    }

    /// A value rounded up to the objective's granularity g (unchanged when g is 0).
    func roundUp(_ v: Double, _ g: Double) -> Double { g > 0 ? (v / g - 1e-6).rounded(.up) * g : v }

    /// 1. Lower bound by column generation over agent groups. Start from the base groups, relax each independent
    ///    part, price every left-out group's shifts with the coverage duals, admit the groups that would lower
    ///    the relaxation, repeat. Farley (1990, "A note on bounding a class of linear programming problems,
    ///    including cutting stock problems", Operations Research 38(5)): with positive costs the restricted duals
    ///    divided by θ = max(1, best value/cost ratio of a left-out shift) are feasible for the full dual, so the
    ///    restricted value / θ is a valid bound whatever stays out; when pricing settles, θ = 1 and the bound is
    ///    the full relaxation's value.
    func priceGroups(_ relaxer: inout Relaxer, _ rules: RuleSet, _ options: EngineOptions, _ hard: Deadline) -> Step<Priced> {
        let c = relaxer.c, p = relaxer.p, H = p.horizon
        var admitted = relaxer.baseGroups(within: Set(c.groups))
        var subs: [SubModel] = []
        var theta = 1.0, minExcludedRC = Double.infinity
        var rounds = 0
        while true {
            switch relaxer.relax(admitted) {
            case .next(let ps): subs = ps
            case .stop(let o): return .stop(o)
            }
            var duals = [Int: Double]()
            for m in subs { for r in m.context.coverageRows { duals[r.queue * H + r.period] = m.lp.duals[r.row] } }
            var enter: [Int] = []
            theta = 1
            minExcludedRC = .infinity
            for g in c.groups where !admitted.contains(g) {
                let (rc, ratio) = price(g, c, p, rules, duals)
                if rc < -1e-7 { enter.append(g) }
                minExcludedRC = min(minExcludedRC, rc)
                theta = max(theta, ratio)
            }
            rounds += 1
            if enter.isEmpty || rounds >= 8 || (options.work == nil && hard.remaining < options.timeLimit * 0.2) { break }
            admitted.formUnion(enter)
        }
        return .next(Priced(admitted: admitted, subs: subs, theta: theta, minExcludedRC: minExcludedRC))
    }

    /// 2. The integer search keeps the base groups plus the groups the relaxation actually uses (half a shift or
    ///    more): a cross-trained group the relaxation leaves idle would only enlarge and link the parts.
    func searchParts(_ priced: Priced, _ relaxer: inout Relaxer) -> Step<(Set<Int>, [SubModel])> {
        var usage = [Int: Double]()
        for m in priced.subs { for col in m.context.shiftColumns { usage[col.group, default: 0] += m.lp.values[col.variable.index] } }
        var searchGroups = relaxer.baseGroups(within: priced.admitted)
        for g in priced.admitted where (usage[g] ?? 0) >= 0.5 { searchGroups.insert(g) }
        guard searchGroups != priced.admitted else { return .next((searchGroups, priced.subs)) }
        switch relaxer.relax(searchGroups) {
        case .next(let ps): return .next((searchGroups, ps))
        case .stop(let o): return .stop(o)
        }
    }

    /// 3. One part's integer solution, added to `solved`; `.stop` when the part is infeasible or out of time.
    /// Its time share (without a work limit) is its integer columns' share of what `slice` has left.
    func solvePart(_ m: SubModel, _ p: ScheduleProblem, _ rules: RuleSet, _ options: EngineOptions, slice: Deadline, weight: Double,
                   weightLeft: inout Double, _ hard: Deadline, into solved: inout PartsSolved) -> Step<Void> {
        let model = m.context.model
        let g = objectiveGranularity(model)
        var bound = roundUp(m.lp.objective, g)
        let start = heuristicStart(m, p, rules, options, hard)
        let share = max(0.05, slice.remaining * weight / max(1, weightLeft))
        weightLeft -= weight
        func take(_ x: [Double], _ method: String) {
            solved.shifts += m.context.shifts(from: x)
            solved.objective += model.objective(x); solved.partBounds += bound
            solved.methods.insert(method)
        }
        if let x = start, model.objective(x) - bound <= max(g * 0.5, 1e-7) { take(x, "heuristic"); return .next(()) }
        let partDeadline = options.work == nil ? hard.capped(seconds: share) : hard
        if let x = start, options.work == nil ? partDeadline.remaining < 0.15 : partDeadline.hasPassed {
            // No time for the solver (CBC 2.10 can fail when stopped inside preprocessing): the heuristic point.
            take(x, "heuristic"); return .next(())
        }
        if let x = start, m.component.days.count > 2 {
            // A part spanning many days (overnight shifts or weekly limits chain them): fix-and-optimize by time
            // window, then the whole part with what time is left.
            take(windows(m.context, x, options, partDeadline, bound: bound), "cbc windows"); return .next(())
        }
        switch branchAndBound(model, start: start, g, options, share: share, partDeadline) {
        case .optimal(let s), .feasible(let s, _):
            solved.shifts += m.context.shifts(from: s.values)
            solved.objective += s.objective
            bound = max(bound, roundUp(s.bound, g))
            solved.partBounds += min(bound, s.objective)
            solved.methods.insert(start != nil && abs(s.objective - model.objective(start!)) < 1e-9 ? "heuristic" : "cbc")
            return .next(())
        case .infeasible:
            return .stop(.infeasible(explain(model, m.context, hard, integer: true)))
        case .timeLimit, .unbounded, .failed:
            return .stop(.timeLimit)
        }
    }

    /// The greedy heuristic's point for a part, guided by its relaxation; nil when it finds none the model accepts.
    func heuristicStart(_ m: SubModel, _ p: ScheduleProblem, _ rules: RuleSet, _ options: EngineOptions, _ hard: Deadline) -> [Double]? {
        var hints: [ShiftKey: Double] = [:]
        for col in m.context.shiftColumns where m.lp.values[col.variable.index] > 1e-9 {
            hints[ShiftKey(group: col.group, template: col.template, start: col.start), default: 0] += m.lp.values[col.variable.index]
        }
        guard let blocks = GreedyHeuristic(p: p, settings: options.settings, component: m.component, rules: rules)
                .run(hints: hints, breakHints: m.context.breakDistribution(m.lp.values), deadline: hard),
              let x = m.context.startVector(blocks), m.context.model.violation(x, tolerance: 1e-6) == nil else { return nil }
        return x
    }

    /// Lean branch and bound from the start point, then the full search while the part's time lasts.
    func branchAndBound(_ model: LinearModel, start: [Double]?, _ g: Double, _ options: EngineOptions, share: Double,
                        _ partDeadline: Deadline) -> MIPOutcome {
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
        return out
    }

    /// 4. Bound: the relaxation's; the parts' own bounds count only when the search covered every group (or every
    ///    left-out shift costs at least the gap more: reduced-cost argument).
    func componentBound(_ lpBound: Double, _ priced: Priced, searchGroups: Set<Int>, _ c: Component, _ solved: PartsSolved) -> Double {
        var bound = lpBound
        if searchGroups.count == c.groups.count {
            bound = max(bound, solved.partBounds)
        } else if searchGroups == priced.admitted && priced.theta <= 1 && priced.minExcludedRC > 0 {
            bound = max(bound, min(solved.partBounds, lpBound + priced.minExcludedRC))
        }
        return min(bound, solved.objective)
    }
}
