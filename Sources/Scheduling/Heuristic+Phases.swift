import Optimization

// The greedy heuristic's phases (see `GreedyHeuristic`): rounding the LP, greedy cover, drop and improve.

extension GreedyHeuristic.Search {
    // MARK: Phases

    /// The variant of column `key` whose breaks sit where the LP put the most break mass still left (nil when the
    /// LP has no break mass for it or that variant is not allowed); takes one unit of that mass.
    mutating func lpPlacement(_ key: ShiftKey, _ vs: [Int]) -> Int? {
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

    /// Phase A: ⌊LP⌋ units of every column the relaxation uses (a unit without LP break mass takes the allowed
    /// placement of best score, while one scores above 0).
    mutating func roundDown(_ hints: [(key: ShiftKey, value: Double)], _ byKey: [ShiftKey: [Int]]) {
        for (key, y) in hints {
            guard let vs = byKey[key] else { continue }
            for _ in 0 ..< Int((y + 1e-6).rounded(.down)) {
                if let v = lpPlacement(key, vs) { add(v); continue }
                guard let b = vs.filter(allowed).max(by: { score($0) < score($1) }), score(b) > 0 else { break }
                add(b)
            }
        }
    }

    /// Phase B: ⌈LP⌉ units of every column the relaxation uses; returns each variant's LP value.
    mutating func roundUp(_ hints: [(key: ShiftKey, value: Double)], _ byKey: [ShiftKey: [Int]]) -> [Double] {
        var lpFraction = [Double](repeating: 0, count: variants.count)
        breakMass = breakHints
        for (key, y) in hints {
            guard let vs = byKey[key] else { continue }
            for v in vs { lpFraction[v] = y }
            for _ in 0 ..< Int((y - 1e-6).rounded(.up)) {
                if let v = lpPlacement(key, vs) { add(v); continue }
                guard let b = vs.filter(allowed).max(by: { score($0) < score($1) }) else { break }
                add(b)
            }
        }
        return lpFraction
    }

    /// Lazy greedy cover of what is still unmet.
    mutating func greedy() {
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

    /// Removes one unit of v if that keeps hard coverage and loses less soft value than it saves.
    mutating func tryRemove(_ v: Int) -> Bool {
        let gi = variants[v].group
        let before = variants[v].duty.map { k in f.gSkills[gi].map { unmet[$0][k] } }
        remove(v)
        var hardLoss = false
        var softLoss = 0.0
        for (j, k) in variants[v].duty.enumerated() {
            for (m, i) in f.gSkills[gi].enumerated() {
                let d = unmet[i][k] - before[j][m]
                if d > 1e-9 { if f.hard[i] { hardLoss = true } else { softLoss += d * f.value[i] } }
            }
        }
        if !hardLoss && f.anyMulti {
            for k in variants[v].duty where (0 ..< f.Q.count).contains(where: { f.hard[$0] && unmet[$0][k] > 1e-9 }) { hardLoss = true; break }
        }
        if hardLoss || softLoss > variants[v].cost - 1e-9 { add(v); return false }
        return true
    }

    /// Drops redundant shifts in the given order until none can go.
    mutating func drop(order: [Int]) {
        var changed = true
        while changed {
            changed = false
            for v in order where count[v] > 0 {
                while count[v] > 0 && tryRemove(v) { changed = true }
            }
        }
    }

    /// Frees one shift at a time and re-covers the hole greedily; keeps the change when it is cheaper.
    mutating func improve(rounds: Int) {
        for _ in 0 ..< rounds {
            var better = false
            for v in placedByCost() where count[v] > 0 {
                if deadline.hasPassed { return }
                let saved = count
                let before = total()
                remove(v)
                greedy()
                drop(order: placedByCost())
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
}
