import Optimization

/// Primal heuristic for one component: LP-guided rounding, lazy greedy cover, then redundant-shift removal.
///
/// 1. Rounding: ⌊LP⌋ shifts of every (group, template, start) the relaxation uses, each given the break placement
///    that covers the most still-unmet need.
/// 2. Greedy cover (Chvátal 1979, with lazy re-evaluation, Minoux 1978): repeatedly add the explicit shift
///    (template, start, break placement) with the best value of newly covered need per unit of cost, until
///    nothing is unmet (hard queues) or no shift pays for itself (soft queues). Gains only shrink as shifts are
///    added, so a stale gain is an upper bound and the heap is re-checked lazily.
/// 3. Drop: remove any shift whose removal leaves coverage (and soft value) intact, most expensive first.
/// Multi-skill capacity is shared per period by min-cost flow (`Allocator.coverByFlow`), as in the model.
///
/// The heuristic knows no rule: the rule set says which shifts exist and which one more the counts allow
/// (`admits`), what a shift costs (`cost`) and whether a queue must be covered or what a short agent-hour costs
/// (`shortfall`).
struct GreedyHeuristic {
    let p: ScheduleProblem
    let settings: RuleSettings
    let component: Component
    let rules: RuleSet

    init(p: ScheduleProblem, settings: RuleSettings, component: Component, rules: RuleSet? = nil) {
        self.p = p
        self.settings = settings
        self.component = component
        self.rules = rules ?? RuleSet(settings)
    }

    struct Variant {
        var group: Int, template: Int, day: Int, start: Int
        var breaks: [Int]
        var duty: [Int]   // local periods on duty
        var cost: Double
    }

    /// `hints`: LP value of each (group, template, absolute start) shift column; `breakHints`: per shift column
    /// and break, the LP's break starts with their mass (see `breakDistribution`).
    /// `improve`: run the local improvement (re-cover one freed shift at a time), which costs a greedy pass per shift.
    /// `deadline`: the local improvement stops when it passes (the greedy passes themselves are quick).
    func run(hints: [ShiftKey: Double], breakHints: [BreakHintKey: [Int: Double]] = [:], improve doImprove: Bool = true,
             deadline: Deadline = .none) -> [ShiftBlock]? {
        let frame = Frame(p, component, rules)
        let (variants, shifts, byKey) = candidates(frame)
        guard !variants.isEmpty else { return nil }
        var s = Search(p: p, f: frame, variants: variants, shifts: shifts, rules: rules, breakHints: breakHints, deadline: deadline)
        let sortedHints = hints.sorted { ($0.key.start, $0.key.group, $0.key.template) < ($1.key.start, $1.key.group, $1.key.template) }

        // A. ⌊LP⌋, greedy cover, drop (most expensive first).
        s.roundDown(sortedHints, byKey)
        s.greedy()
        s.drop(order: s.placedByCost())
        s.keep()

        // B. ⌈LP⌉ (each unit with the break placement that covers most), repair, then reverse deletion starting
        //    with the shifts the relaxation wanted least.
        s.reset()
        let lpFraction = s.roundUp(sortedHints, byKey)
        s.greedy()
        s.drop(order: variants.indices.filter { s.count[$0] > 0 }.sorted { (lpFraction[$0] - lpFraction[$0].rounded(.down), -variants[$0].cost) < (lpFraction[$1] - lpFraction[$1].rounded(.down), -variants[$1].cost) })
        s.keep()

        // Local improvement of the better one.
        guard let chosen = s.best else { return nil }
        s.load(chosen)
        // The improvement pays off on parts of a few hundred columns; on big parts it is a greedy pass per shift.
        if doImprove && variants.count <= 3000 { s.improve(rounds: 2) }
        s.keep()
        s.load(s.best!)
        return s.blocks()
    }

    /// The part of the horizon the component covers, its need per queue, and how each queue's shortfall counts.
    /// A class: the search reads it in its innermost loops, and a struct would be copied whole there in debug builds.
    final class Frame {
        /// First absolute period of the local arrays, and their length.
        let base: Int, span: Int
        /// Component queues and groups (global indices).
        let Q: [Int], G: [Int]
        /// need[i][k]: requirement of local queue i in local period k (0 outside the component's cells).
        let need: [[Double]]
        /// Per local queue: must be covered, and the value of one covered agent-period otherwise.
        let hard: [Bool], value: [Double]
        /// Per local group: its skills as local queue indices.
        let gSkills: [[Int]]
        let single: [Bool]
        let anyMulti: Bool

        init(_ p: ScheduleProblem, _ component: Component, _ rules: RuleSet) {
            let P = p.periodsPerDay
            let days = component.days
            let first = max(0, days.first! - 1)
            base = first * P
            span = (days.last! - first) * P + max(P, p.templates.map(\.latestEnd).max() ?? P) + P
            Q = component.queues
            var qLocal = [Int: Int]()
            for (i, q) in Q.enumerated() { qLocal[q] = i }
            var inCell = Set(component.cells)
            if inCell.isEmpty { for q in Q { for d in days { inCell.insert(q * p.days + d) } } }
            var need = [[Double]](repeating: [Double](repeating: 0, count: span), count: Q.count)
            for (i, q) in Q.enumerated() {
                for d in days where inCell.contains(q * p.days + d) {
                    for o in 0 ..< P { need[i][d * P + o - base] = p.queues[q].requirement[d * P + o] }
                }
            }
            self.need = need
            let terms = Q.map { rules.shortfall(queue: $0, in: p) }
            hard = terms.map { $0 == .hard }
            value = terms.map { ($0.price ?? 0) * p.hoursPerPeriod }
            G = component.groups
            gSkills = G.map { g in p.skills(of: g).compactMap { qLocal[$0.queue] } }
            single = gSkills.map { $0.count == 1 }
            anyMulti = gSkills.contains { $0.count > 1 }
        }
    }

    /// Every explicit shift (template, start, break placement) that covers some need of its group's queues and
    /// that the rules admit, with its cost; each as the rules see it (a one-agent `ShiftBlock`); and the variants of
    /// each (group, template, start) column.
    func candidates(_ f: Frame) -> ([Variant], [ShiftBlock], [ShiftKey: [Int]]) {
        let P = p.periodsPerDay
        var variants: [Variant] = []
        var shifts: [ShiftBlock] = []
        var byKey: [ShiftKey: [Int]] = [:]
        for (gi, g) in f.G.enumerated() where !f.gSkills[gi].isEmpty {
            for ti in p.templates(of: g) {
                let tp = p.templates[ti]
                let placements = ShiftTemplatesRule.placements(tp)
                for d in p.startDays(for: tp, reaching: component.days) {
                    for s in tp.starts {
                        let a = d * P + s
                        var useful = false
                        for t in a ..< a + tp.spanPeriods where t - f.base < f.span && f.gSkills[gi].contains(where: { f.need[$0][t - f.base] > 0 }) { useful = true; break }
                        guard useful else { continue }
                        for pl in placements {
                            let bs = pl.map { a + $0 }
                            let shift = ShiftBlock(group: g, template: ti, day: d, start: a, breakStarts: bs, count: 1)
                            guard rules.admits(shift, in: p) else { continue }
                            var duty: [Int] = []
                            for t in a ..< a + tp.spanPeriods {
                                if zip(bs, tp.breaks).contains(where: { t >= $0.0 && t < $0.0 + $0.1.durationPeriods }) { continue }
                                if t - f.base < f.span { duty.append(t - f.base) }
                            }
                            byKey[ShiftKey(group: g, template: ti, start: a), default: []].append(variants.count)
                            variants.append(Variant(group: gi, template: ti, day: d, start: a, breaks: bs, duty: duty,
                                                    cost: rules.cost(of: shift, in: p)))
                            shifts.append(shift)
                        }
                    }
                }
            }
        }
        return (variants, shifts, byKey)
    }
}

extension GreedyHeuristic {
    /// The search state: shifts placed per variant, agents on duty, unmet need, and the best point kept.
    struct Search {
        let p: ScheduleProblem
        let f: Frame
        let variants: [Variant]
        /// Variant v as the rules are asked about it (global group index, one agent).
        let shifts: [ShiftBlock]
        let rules: RuleSet
        let breakHints: [BreakHintKey: [Int: Double]]
        let deadline: Deadline
        let coverWeights: [Double]
        /// Skills as the flow sees them (global group index → component queues), for multi-skill groups.
        let flowSkills: [[(queue: Int, level: Int)]]

        var dutyCount: [[Double]]
        var unmet: [[Double]]
        var count: [Int]
        var tally: ShiftTally
        var scratchNeed: [Double]
        /// Remaining LP break mass per (shift column, break): each rounded unit takes the start with most mass left.
        var breakMass: [BreakHintKey: [Int: Double]]
        var best: [Int]?
        var bestCost = Double.infinity

        init(p: ScheduleProblem, f: Frame, variants: [Variant], shifts: [ShiftBlock], rules: RuleSet, breakHints: [BreakHintKey: [Int: Double]],
             deadline: Deadline) {
            self.p = p
            self.f = f
            self.variants = variants
            self.shifts = shifts
            self.rules = rules
            self.breakHints = breakHints
            self.deadline = deadline
            coverWeights = rules.allocatorWeights(p)
            var fs = [[(queue: Int, level: Int)]](repeating: [], count: p.groups.count)
            for (gi, g) in f.G.enumerated() where f.gSkills[gi].count > 1 { fs[g] = f.gSkills[gi].map { (queue: f.Q[$0], level: 1) } }
            flowSkills = fs
            dutyCount = [[Double]](repeating: [Double](repeating: 0, count: f.span), count: f.G.count)
            unmet = f.need
            count = [Int](repeating: 0, count: variants.count)
            tally = ShiftTally(problem: p)
            scratchNeed = [Double](repeating: 0, count: p.queues.count)
            breakMass = breakHints
        }

        // MARK: Coverage and value

        mutating func recompute(_ k: Int) {
            var residual = (0 ..< f.Q.count).map { f.need[$0][k] }
            var multi: [Int] = []
            for gi in f.G.indices where dutyCount[gi][k] > 0 {
                if f.single[gi] { residual[f.gSkills[gi][0]] -= dutyCount[gi][k] } else if !f.gSkills[gi].isEmpty { multi.append(gi) }
            }
            if f.anyMulti && !multi.isEmpty && residual.contains(where: { $0 > 1e-9 }) {
                let active = multi.map { f.G[$0] }
                var cap = multi.map { dutyCount[$0][k] }
                var flow = multi.map { [Double](repeating: 0, count: f.gSkills[$0].count) }
                for (i, q) in f.Q.enumerated() { scratchNeed[q] = max(0, residual[i]) }
                Allocator.coverByFlow(active: active, skills: flowSkills, capacity: &cap, flow: &flow, need: &scratchNeed, weights: coverWeights)
                for (i, q) in f.Q.enumerated() { residual[i] = min(residual[i], scratchNeed[q]); scratchNeed[q] = 0 }
            }
            for i in f.Q.indices { unmet[i][k] = max(0, residual[i]) }
        }

        /// One more unit of v keeps every rule (count limits).
        func allowed(_ v: Int) -> Bool { rules.admits(shifts[v], given: tally, in: p) }

        /// Value newly covered by one more unit of v (hard need counts 1 per agent-period, scaled up).
        func gain(_ v: Int) -> (hard: Double, soft: Double) {
            let gi = variants[v].group
            var h = 0.0, s = 0.0
            for k in variants[v].duty {
                var hardLeft = 0.0, softBest = 0.0, softLeft = 0.0
                for i in f.gSkills[gi] where unmet[i][k] > 1e-9 {
                    if f.hard[i] { hardLeft += unmet[i][k] } else { softLeft += unmet[i][k]; softBest = max(softBest, f.value[i]) }
                }
                let hh = min(1, hardLeft)
                h += hh
                s += min(1 - hh, softLeft) * softBest
            }
            return (h, s)
        }

        /// Unmet need at a variant's break periods (lower is better: breaks go where need is already met).
        func breakUnmet(_ v: Int) -> Double {
            let x = variants[v]
            guard !x.breaks.isEmpty else { return 0 }
            let tp = p.templates[x.template]
            var u = 0.0
            for (b, r) in zip(x.breaks, tp.breaks) {
                for t in b ..< b + r.durationPeriods where t - f.base < f.span { for i in f.gSkills[x.group] { u += unmet[i][t - f.base] } }
            }
            return u
        }

        func score(_ v: Int) -> Double {
            let g = gain(v)
            // Ties (equal coverage) go to the placement whose breaks sit where the need is already met.
            let tie = 1e-7 * breakUnmet(v) / (1 + Double(variants[v].duty.count))
            if g.hard > 1e-9 { return (g.hard * 1e6 + g.soft) / variants[v].cost - tie }
            return g.soft > variants[v].cost + 1e-9 ? g.soft / variants[v].cost - tie : 0
        }

        func hardCovered() -> Bool {
            for (i, h) in f.hard.enumerated() where h { if unmet[i].contains(where: { $0 > 1e-6 }) { return false } }
            return true
        }

        func total() -> Double { variants.indices.reduce(0) { $0 + Double(count[$1]) * variants[$1].cost } }

        /// Placed variants, most expensive first.
        func placedByCost() -> [Int] { variants.indices.filter { count[$0] > 0 }.sorted { variants[$0].cost > variants[$1].cost } }

        // MARK: Moves

        mutating func add(_ v: Int, _ n: Int = 1) {
            let gi = variants[v].group
            for k in variants[v].duty { dutyCount[gi][k] += Double(n) }
            count[v] += n
            tally.add(shifts[v], n, in: p)
            for k in variants[v].duty { recompute(k) }
        }

        mutating func remove(_ v: Int) {
            let gi = variants[v].group
            for k in variants[v].duty { dutyCount[gi][k] -= 1 }
            count[v] -= 1
            tally.add(shifts[v], -1, in: p)
            for k in variants[v].duty { recompute(k) }
        }

        mutating func reset() {
            for gi in f.G.indices { for k in 0 ..< f.span { dutyCount[gi][k] = 0 } }
            unmet = f.need
            for v in variants.indices { count[v] = 0 }
            tally.removeAll()
        }

        /// Resets and places the counts of a kept point.
        mutating func load(_ counts: [Int]) {
            reset()
            for v in variants.indices where counts[v] > 0 { add(v, counts[v]) }
        }

        mutating func keep() {
            guard hardCovered() else { return }
            let c = total()
            if c < bestCost - 1e-9 { bestCost = c; best = count }
        }

        func blocks() -> [ShiftBlock] {
            var out: [ShiftBlock] = []
            for v in variants.indices where count[v] > 0 {
                let x = variants[v]
                out.append(ShiftBlock(group: f.G[x.group], template: x.template, day: x.day, start: x.start, breakStarts: x.breaks, count: count[v]))
            }
            return out
        }
    }
}

/// A shift column key: group, template and absolute start.
struct ShiftKey: Hashable, Sendable {
    var group: Int, template: Int, start: Int
}

/// One break of one shift column.
struct BreakHintKey: Hashable, Sendable {
    var shift: ShiftKey
    var breakIndex: Int
}

extension EncodingContext {
    /// How an LP point places breaks, per shift column and break: (break start → mass). Implicit columns: each
    /// (group, template, day)'s shift mass, in start order, takes break mass earliest-first within its window (the
    /// fractional version of the greedy assignment that reads integer schedules). Explicit columns carry their own.
    func breakDistribution(_ x: [Double]) -> [BreakHintKey: [Int: Double]] {
        var out: [BreakHintKey: [Int: Double]] = [:]
        struct K: Hashable { var g: Int, t: Int, d: Int }
        var shiftsBy: [K: [(start: Int, mass: Double)]] = [:]
        for c in shiftColumns where x[c.variable.index] > 1e-9 {
            if let bs = c.breakStarts {
                for (k, b) in bs.enumerated() { out[BreakHintKey(shift: ShiftKey(group: c.group, template: c.template, start: c.start), breakIndex: k), default: [:]][b, default: 0] += x[c.variable.index] }
            } else if !problem.templates[c.template].breaks.isEmpty {
                shiftsBy[K(g: c.group, t: c.template, d: c.day), default: []].append((c.start, x[c.variable.index]))
            }
        }
        var breaksBy: [K: [Int: [(start: Int, mass: Double)]]] = [:]
        for b in breakColumns where x[b.variable.index] > 1e-9 {
            breaksBy[K(g: b.group, t: b.template, d: b.day), default: [:]][b.breakIndex, default: []].append((b.start, x[b.variable.index]))
        }
        for (key, shifts) in shiftsBy {
            let tp = problem.templates[key.t]
            for (k, rule) in tp.breaks.enumerated() {
                var pool = (breaksBy[key]?[k] ?? []).sorted { $0.start < $1.start }
                for s in shifts.sorted(by: { $0.start < $1.start }) {
                    var left = s.mass
                    let lo = s.start + rule.earliestOffset, hi = s.start + rule.latestOffset
                    for j in pool.indices where left > 1e-12 && pool[j].mass > 1e-12 && pool[j].start >= lo && pool[j].start <= hi {
                        let take = min(left, pool[j].mass)
                        pool[j].mass -= take
                        left -= take
                        out[BreakHintKey(shift: ShiftKey(group: key.g, template: key.t, start: s.start), breakIndex: k), default: [:]][pool[j].start, default: 0] += take
                    }
                }
            }
        }
        return out
    }
}

/// Binary max-heap of (score, item).
struct Heap {
    private var a: [(Double, Int)] = []
    var peek: Double? { a.first?.0 }
    mutating func push(_ s: Double, _ v: Int) {
        a.append((s, v))
        var i = a.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard a[p].0 < a[i].0 else { break }
            a.swapAt(p, i); i = p
        }
    }
    mutating func pop() -> (Double, Int)? {
        guard !a.isEmpty else { return nil }
        let top = a[0]
        let last = a.removeLast()
        if !a.isEmpty {
            a[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < a.count && a[l].0 > a[m].0 { m = l }
                if r < a.count && a[r].0 > a[m].0 { m = r }
                if m == i { break }
                a.swapAt(m, i); i = m
            }
        }
        return top
    }
}
