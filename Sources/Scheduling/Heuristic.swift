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
struct GreedyHeuristic {
    let p: ScheduleProblem
    let settings: RuleSettings
    let component: Component

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
        let P = p.periodsPerDay
        let days = component.days
        let first = max(0, days.first! - 1)
        let base = first * P
        let span = (days.last! - first) * P + max(P, p.templates.map(\.latestEnd).max() ?? P) + P
        let Q = component.queues
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
        // Value of one covered agent-period per queue (hard: effectively infinite), and whether it is hard.
        let hard = Q.map { CoverageRule.shortCost($0, p, settings) == nil }
        let value = Q.map { q in (CoverageRule.shortCost(q, p, settings) ?? 0) * p.hoursPerPeriod }

        let G = component.groups
        let gSkills: [[Int]] = G.map { g in p.skills(of: g).compactMap { qLocal[$0.queue] } }
        let single = gSkills.map { $0.count == 1 }
        let anyMulti = gSkills.contains { $0.count > 1 }

        // Variants.
        var variants: [Variant] = []
        var byKey: [ShiftKey: [Int]] = [:]
        for (gi, g) in G.enumerated() where !gSkills[gi].isEmpty {
            for ti in p.templates(of: g) {
                let tp = p.templates[ti]
                let placements = ShiftTemplatesRule.placements(tp)
                let cost = p.groups[g].costPerPaidHour * Double(tp.paidPeriods) * p.hoursPerPeriod * settings.weight(PaidHoursRule.id)
                let startDays = tp.latestEnd > P ? Array(Set(days + days.map { $0 - 1 }.filter { $0 >= 0 })).sorted() : days
                for d in startDays {
                    for s in tp.starts {
                        let a = d * P + s
                        var useful = false
                        for t in a ..< a + tp.spanPeriods where t - base < span && gSkills[gi].contains(where: { need[$0][t - base] > 0 }) { useful = true; break }
                        guard useful else { continue }
                        for pl in placements {
                            let bs = pl.map { a + $0 }
                            var duty: [Int] = []
                            for t in a ..< a + tp.spanPeriods {
                                if zip(bs, tp.breaks).contains(where: { t >= $0.0 && t < $0.0 + $0.1.durationPeriods }) { continue }
                                if t - base < span { duty.append(t - base) }
                            }
                            byKey[ShiftKey(group: g, template: ti, start: a), default: []].append(variants.count)
                            variants.append(Variant(group: gi, template: ti, day: d, start: a, breaks: bs, duty: duty, cost: cost))
                        }
                    }
                }
            }
        }
        guard !variants.isEmpty else { return nil }

        var dutyCount = [[Double]](repeating: [Double](repeating: 0, count: span), count: G.count)
        var unmet = need
        var count = [Int](repeating: 0, count: variants.count)
        var perDay = [Int: Int](), perWeek = [Int: Int]()
        let coverWeights = CoverageRule.allocatorWeights(p, settings)
        var scratchNeed = [Double](repeating: 0, count: p.queues.count)

        // Skills as the flow sees them (global group index → component queues), for multi-skill groups.
        var flowSkills = [[(queue: Int, level: Int)]](repeating: [], count: p.groups.count)
        for (gi, g) in G.enumerated() where gSkills[gi].count > 1 { flowSkills[g] = gSkills[gi].map { (queue: Q[$0], level: 1) } }

        func recompute(_ k: Int) {
            var residual = (0 ..< Q.count).map { need[$0][k] }
            var multi: [Int] = []
            for gi in G.indices where dutyCount[gi][k] > 0 {
                if single[gi] { residual[gSkills[gi][0]] -= dutyCount[gi][k] } else if !gSkills[gi].isEmpty { multi.append(gi) }
            }
            if anyMulti && !multi.isEmpty && residual.contains(where: { $0 > 1e-9 }) {
                let active = multi.map { G[$0] }
                var cap = multi.map { dutyCount[$0][k] }
                var flow = multi.map { [Double](repeating: 0, count: gSkills[$0].count) }
                for (i, q) in Q.enumerated() { scratchNeed[q] = max(0, residual[i]) }
                Allocator.coverByFlow(active: active, skills: flowSkills, capacity: &cap, flow: &flow, need: &scratchNeed, weights: coverWeights)
                for (i, q) in Q.enumerated() { residual[i] = min(residual[i], scratchNeed[q]); scratchNeed[q] = 0 }
            }
            for i in Q.indices { unmet[i][k] = max(0, residual[i]) }
        }

        func allowed(_ v: Int) -> Bool {
            let g = G[variants[v].group]
            let grp = p.groups[g]
            if let m = grp.maxAgentsPerDay, perDay[g * p.days + variants[v].day, default: 0] >= m { return false }
            if let m = grp.maxShiftsPerWeek, perWeek[g * 1000 + p.week(ofDay: variants[v].day), default: 0] >= m { return false }
            return true
        }

        /// Value newly covered by one more unit of v (hard need counts 1 per agent-period, scaled up).
        func gain(_ v: Int) -> (hard: Double, soft: Double) {
            let gi = variants[v].group
            var h = 0.0, s = 0.0
            for k in variants[v].duty {
                var hardLeft = 0.0, softBest = 0.0, softLeft = 0.0
                for i in gSkills[gi] where unmet[i][k] > 1e-9 {
                    if hard[i] { hardLeft += unmet[i][k] } else { softLeft += unmet[i][k]; softBest = max(softBest, value[i]) }
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
                for t in b ..< b + r.durationPeriods where t - base < span { for i in gSkills[x.group] { u += unmet[i][t - base] } }
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

        /// Remaining LP break mass per (shift column, break): each rounded unit takes the start with most mass left.
        var breakMass = breakHints
        func lpPlacement(_ key: ShiftKey, _ vs: [Int]) -> Int? {
            let tp = p.templates[key.template]
            guard !tp.breaks.isEmpty else { return vs.first { allowed($0) } }
            var want: [Int] = []
            for k in tp.breaks.indices {
                guard let dist = breakMass[BreakHintKey(shift: key, breakIndex: k)], let b = dist.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else { return nil }
                want.append(b)
            }
            guard let v = vs.first(where: { variants[$0].breaks == want }), allowed(v) else { return nil }
            for (k, b) in want.enumerated() { breakMass[BreakHintKey(shift: key, breakIndex: k)]![b]! -= 1 }
            return v
        }

        func add(_ v: Int, _ n: Int = 1) {
            let gi = variants[v].group
            for k in variants[v].duty { dutyCount[gi][k] += Double(n) }
            count[v] += n
            perDay[G[gi] * p.days + variants[v].day, default: 0] += n
            perWeek[G[gi] * 1000 + p.week(ofDay: variants[v].day), default: 0] += n
            for k in variants[v].duty { recompute(k) }
        }

        func remove(_ v: Int) {
            let gi = variants[v].group
            for k in variants[v].duty { dutyCount[gi][k] -= 1 }
            count[v] -= 1
            perDay[G[gi] * p.days + variants[v].day, default: 0] -= 1
            perWeek[G[gi] * 1000 + p.week(ofDay: variants[v].day), default: 0] -= 1
            for k in variants[v].duty { recompute(k) }
        }

        func reset() {
            for gi in G.indices { for k in 0 ..< span { dutyCount[gi][k] = 0 } }
            unmet = need
            for v in variants.indices { count[v] = 0 }
            perDay = [:]; perWeek = [:]
        }

        /// Lazy greedy cover of what is still unmet.
        func greedy() {
            var heap = Heap()
            for v in variants.indices where allowed(v) {
                let s = score(v)
                if s > 0 { heap.push(s, v) }
            }
            while let (stale, v) = heap.pop() {
                guard allowed(v) else { continue }
                let s = score(v)
                guard s > 0 else { continue }
                if let top = heap.peek, s < top - 1e-12, s < stale - 1e-12 { heap.push(s, v); continue }
                add(v)
                let again = score(v)
                if again > 0 && allowed(v) { heap.push(again, v) }
            }
        }

        func hardCovered() -> Bool {
            for (i, h) in hard.enumerated() where h { if unmet[i].contains(where: { $0 > 1e-6 }) { return false } }
            return true
        }

        /// Removes one unit of v if that keeps hard coverage and loses less soft value than it saves.
        func tryRemove(_ v: Int) -> Bool {
            let gi = variants[v].group
            let before = variants[v].duty.map { k in gSkills[gi].map { unmet[$0][k] } }
            remove(v)
            var hardLoss = false
            var softLoss = 0.0
            for (j, k) in variants[v].duty.enumerated() {
                for (m, i) in gSkills[gi].enumerated() {
                    let d = unmet[i][k] - before[j][m]
                    if d > 1e-9 { if hard[i] { hardLoss = true } else { softLoss += d * value[i] } }
                }
            }
            if !hardLoss && anyMulti {
                for k in variants[v].duty where (0 ..< Q.count).contains(where: { hard[$0] && unmet[$0][k] > 1e-9 }) { hardLoss = true; break }
            }
            if hardLoss || softLoss > variants[v].cost - 1e-9 { add(v); return false }
            return true
        }

        /// Drops redundant shifts in the given order until none can go.
        func drop(order: [Int]) {
            var changed = true
            while changed {
                changed = false
                for v in order where count[v] > 0 {
                    while count[v] > 0 && tryRemove(v) { changed = true }
                }
            }
        }

        func total() -> Double { variants.indices.reduce(0) { $0 + Double(count[$1]) * variants[$1].cost } }

        /// Frees one shift at a time and re-covers the hole greedily; keeps the change when it is cheaper.
        func improve(rounds: Int) {
            for _ in 0 ..< rounds {
                var better = false
                let order = variants.indices.filter { count[$0] > 0 }.sorted { variants[$0].cost > variants[$1].cost }
                for v in order where count[v] > 0 {
                    if deadline.hasPassed { return }
                    let saved = count
                    let before = total()
                    remove(v)
                    greedy()
                    drop(order: variants.indices.filter { count[$0] > 0 }.sorted { variants[$0].cost > variants[$1].cost })
                    if hardCovered() && total() < before - 1e-9 {
                        better = true
                    } else {
                        // Restore the previous point.
                        for w in variants.indices where count[w] != saved[w] {
                            while count[w] > saved[w] { remove(w) }
                            while count[w] < saved[w] { add(w) }
                        }
                    }
                }
                if !better { break }
            }
        }

        var best: [Int]?
        var bestCost = Double.infinity
        func keep() {
            guard hardCovered() else { return }
            let c = total()
            if c < bestCost - 1e-9 { bestCost = c; best = count }
        }
        let sortedHints = hints.sorted { ($0.key.start, $0.key.group, $0.key.template) < ($1.key.start, $1.key.group, $1.key.template) }

        // A. ⌊LP⌋, greedy cover, drop (most expensive first).
        for (key, y) in sortedHints {
            guard let vs = byKey[key] else { continue }
            for _ in 0 ..< Int((y + 1e-6).rounded(.down)) {
                if let v = lpPlacement(key, vs) { add(v); continue }
                guard let b = vs.filter(allowed).max(by: { score($0) < score($1) }), score(b) > 0 else { break }
                add(b)
            }
        }
        greedy()
        drop(order: variants.indices.filter { count[$0] > 0 }.sorted { variants[$0].cost > variants[$1].cost })
        keep()

        // B. ⌈LP⌉ (each unit with the break placement that covers most), repair, then reverse deletion starting
        //    with the shifts the relaxation wanted least.
        reset()
        var lpFraction = [Double](repeating: 0, count: variants.count)
        breakMass = breakHints
        for (key, y) in sortedHints {
            guard let vs = byKey[key] else { continue }
            for v in vs { lpFraction[v] = y }
            for _ in 0 ..< Int((y - 1e-6).rounded(.up)) {
                if let v = lpPlacement(key, vs) { add(v); continue }
                guard let b = vs.filter(allowed).max(by: { score($0) < score($1) }) else { break }
                add(b)
            }
        }
        greedy()
        drop(order: variants.indices.filter { count[$0] > 0 }.sorted { (lpFraction[$0] - lpFraction[$0].rounded(.down), -variants[$0].cost) < (lpFraction[$1] - lpFraction[$1].rounded(.down), -variants[$1].cost) })
        keep()

        // Local improvement of the better one.
        guard let chosen = best else { return nil }
        reset()
        for v in variants.indices where chosen[v] > 0 { add(v, chosen[v]) }
        // The improvement pays off on parts of a few hundred columns; on big parts it is a greedy pass per shift.
        if doImprove && variants.count <= 3000 { improve(rounds: 2) }
        keep()
        reset()
        for v in variants.indices where best![v] > 0 { add(v, best![v]) }

        var blocks: [ShiftBlock] = []
        for v in variants.indices where count[v] > 0 {
            let x = variants[v]
            blocks.append(ShiftBlock(group: G[x.group], template: x.template, day: x.day, start: x.start, breakStarts: x.breaks, count: count[v]))
        }
        return blocks
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
