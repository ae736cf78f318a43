import PlanningCore

/// The roster being built, as the rules see it: shifts per agent and day, paid hours per week, coverage per
/// channel and slot, and what each agent may work. Hard rules check one more shift against it in O(1)-ish time.
/// Everything a rule reads per candidate shift is kept here ready to use (plain numbers and flags per agent,
/// template, day and weekday, computed once in `init`): the checks run millions of times, so they do not
/// recompute a template's starts or paid hours, copy agents or contracts, or look weekdays up in sets.
public struct RosterState {
    struct Placed { var template: Int; var start: Int; var channels: [Int]; var locked: Bool }
    struct Candidate { var day: Int; var template: Int; var start: Int; var score: Double }

    /// A contract's limits as the hard rules check them.
    struct Limits {
        var maxHoursWeek: Double
        var maxConsecutiveDays: Int
        var daysOffPerWeek: Int
        var pairedDaysOff: Bool
        /// `minRestHours` in whole minutes (rounded up), and how many days back and ahead a shift can break it.
        var restMinutes: Int
        var restLookDays: Int
    }

    /// A template on the roster's grid.
    struct Template {
        /// `RosterProblem.starts(_:)`, and the same as flags by start minute.
        var starts: [Int]
        var startAllowed: [Bool]
        var lengthMinutes: Int
        var paidHours: Double
        /// Paid hours in slots of the grid (`TimeGrid.slots(inHours:)`).
        var paidSlots: Double
        func allows(start: Int) -> Bool { start >= 0 && start < startAllowed.count && startAllowed[start] }
    }

    /// An agent's preferences and windows as flags by weekday.
    struct Preferences {
        var preferredStart: ClosedRange<Int>?
        var daysOff: [Bool]
        var desiredDays: [Bool]
        /// Availability window per weekday; nil when the agent has no windows (always fits).
        var windows: [ClosedRange<Int>?]?
    }

    let p: RosterProblem
    var shift: [[Placed?]]
    var history: [[Int: (start: Int, end: Int)]]
    var weekHours: [[Double]]
    var cover: [[Int]]
    var weekendCount: [Int], lateCount: [Int]
    let contract: [Contract?]
    let allowedTemplates: [[Int]]
    let skills: [[(channel: Int, prof: Int)]]
    let unavailable: [[Bool]]
    let breakWindows: [BreakWindow?]
    let lengthSlots: [Int]
    let minHours: [[Double]]
    /// `p.days`, `p.slots`, minutes per day.
    let days: Int, slots: Int, minutesPerDay: Int
    let limits: [Limits?]
    let templates: [Template]
    let preferences: [Preferences]
    /// Weekday (0 = Monday) and weekend flag per horizon day.
    let weekday: [Int]
    let weekendDay: [Bool]
    /// The rules asked: hard ones whether a shift may be added, soft ones what it is worth.
    let hardRules: [any RosterRule]
    let softRules: [any RosterRule]
    /// The coverage rule's weight (its term is `weight * gain`) and the soft rules besides it, for `score(..., gain:)`.
    let coverageWeight: Double?
    let otherSoftRules: [any RosterRule]
    /// `p.workability`: start limits in minutes (nil = none) and the shortest queue block in slots (>= 1).
    let spreadLimit: Int?, backwardLimit: Int?
    let blockSlots: Int
    /// Presence (`RosterProblem.presenceWeight`): the pool (connected queues, `RosterProblem.pools`) of each channel,
    /// agents on any queue of each pool per slot, and whether the pool has requirement in the slot.
    let presence: Double
    let poolOf: [Int]
    var poolCover: [[Int]]
    let poolNeeds: [[Bool]]

    init(_ p: RosterProblem, rules: [any RosterRule] = RuleRegistry.all) {
        self.p = p
        hardRules = rules.filter(\.isHard)
        softRules = rules.filter { !$0.isHard }
        coverageWeight = softRules.lazy.compactMap { $0 as? CoverageShortfallRule }.first?.weight
        otherSoftRules = softRules.filter { !($0 is CoverageShortfallRule) }
        shift = Array(repeating: Array(repeating: nil, count: p.days), count: p.agents.count)
        history = Array(repeating: [:], count: p.agents.count)
        for s in p.history where s.agent < p.agents.count && s.day < 0 { history[s.agent][s.day] = (s.startMinute, p.endMinute(s)) }
        weekHours = Array(repeating: Array(repeating: 0, count: p.weeks), count: p.agents.count)
        cover = Array(repeating: Array(repeating: 0, count: p.slots), count: p.channels.count)
        weekendCount = Array(repeating: 0, count: p.agents.count); lateCount = weekendCount
        contract = p.agents.indices.map { p.contract(of: $0) }
        allowedTemplates = contract.map { c in (c?.templates ?? []).compactMap { p.templateIndex($0) } }
        skills = p.agents.map { a in a.skills.compactMap { s in p.channelIndex(s.channel).map { ($0, s.proficiency) } }.sorted { $0.1 < $1.1 } }
        unavailable = p.agents.indices.map { a in (0..<(p.days + 1)).map { p.isUnavailable(agent: a, day: $0) } }
        breakWindows = p.templates.indices.map { p.breakWindow($0) }
        spreadLimit = p.workability.maxStartSpreadMinutes
        backwardLimit = p.workability.maxBackwardRotationMinutes
        blockSlots = max(1, p.grid.slotsCovering(minutes: max(0, p.workability.minQueueBlockMinutes)))
        presence = p.presenceWeight
        let pools = p.pools
        var of = [Int](repeating: 0, count: p.channels.count)
        for (k, pool) in pools.enumerated() { for c in pool { of[c] = k } }
        poolOf = of
        poolCover = Array(repeating: Array(repeating: 0, count: p.slots), count: pools.count)
        poolNeeds = pools.map { pool in (0..<p.slots).map { t in pool.contains { p.required[$0][t] > 0 } } }
        lengthSlots = p.templates.indices.map { p.lengthSlots($0) }
        minHours = p.agents.indices.map { a in (0..<p.weeks).map { p.minHours(agent: a, week: $0) } }
        days = p.days; slots = p.slots; minutesPerDay = TimeGrid.minutesPerDay
        limits = contract.map { c in
            c.map { c in
                let rest = LocalDateTime.minutes(hours: c.minRestHours)
                return Limits(
                    maxHoursWeek: c.maxHoursWeek, maxConsecutiveDays: c.maxConsecutiveDays, daysOffPerWeek: c.daysOffPerWeek,
                    pairedDaysOff: c.pairedDaysOff, restMinutes: rest, restLookDays: max(2, LocalDateTime.days(inMinutes: rest) + 2))
            }
        }
        templates = p.templates.indices.map { tm in
            let starts = p.starts(tm), t = p.templates[tm]
            var allowed = [Bool](repeating: false, count: (starts.max() ?? -1) + 1)
            for s in starts where s >= 0 { allowed[s] = true }
            return Template(
                starts: starts, startAllowed: allowed, lengthMinutes: t.lengthMinutes, paidHours: t.paidHours,
                paidSlots: p.grid.slots(inHours: t.paidHours))
        }
        preferences = p.agents.map { a in
            Preferences(
                preferredStart: a.preferredStart, daysOff: (0..<7).map { a.preferredDaysOff.contains($0) },
                desiredDays: (0..<7).map { a.desiredDays.contains($0) },
                windows: a.windows.isEmpty ? nil : (0..<7).map { a.windows[$0] })
        }
        weekday = (0..<(p.days + 1)).map { p.weekday($0) }
        weekendDay = weekday.map { p.weekend.contains($0) }
    }

    func span(_ a: Int, _ day: Int) -> (start: Int, end: Int)? {
        if day < 0 { return history[a][day] }
        guard day < days, let s = shift[a][day] else { return nil }
        let st = LocalDateTime.minute(day: day, minuteOfDay: s.start)
        return (st, st + templates[s.template].lengthMinutes)
    }
    func works(_ a: Int, _ day: Int) -> Bool { day < 0 ? history[a][day] != nil : (day < days && shift[a][day] != nil) }

    /// `RosterProblem.endMinute(_:)`.
    func endMinute(_ s: RosterShift) -> Int { s.startMinute + (templates.indices.contains(s.template) ? templates[s.template].lengthMinutes : 0) }
    /// `RosterProblem.isWeekend(_:)` for a horizon day.
    func isWeekend(day: Int) -> Bool { weekendDay[day] }
    /// `RosterProblem.isLate(_:)`: the shift ends after the late minute of its start day.
    func isLate(template tm: Int, start: Int) -> Bool { start + templates[tm].lengthMinutes > p.lateEndMinute }

    func weekBelowMinimum(_ a: Int) -> Int? {
        var best: Int? = nil, gap = 1e-9
        for w in 0..<p.weeks where minHours[a][w] - weekHours[a][w] > gap { gap = minHours[a][w] - weekHours[a][w]; best = w }
        return best
    }

    /// Every hard rule, incrementally, for adding this shift (an agent with a contract, a horizon day, a known
    /// template; then each hard rule's `admits`).
    func feasible(_ a: Int, _ day: Int, _ tm: Int, _ start: Int, locked: Bool = false) -> Bool {
        guard contract[a] != nil, day >= 0, day < days, templates.indices.contains(tm) else { return false }
        let sh = RosterShift(agent: a, day: day, template: tm, start: start, channels: [])
        for i in hardRules.indices where !hardRules[i].admits(sh, in: self) { return false }
        return true
    }

    /// False when a hard rule rules out every shift of agent a on `day`.
    func dayOpen(_ a: Int, _ day: Int) -> Bool {
        for i in hardRules.indices where !hardRules[i].admitsDay(agent: a, day: day, in: self) { return false }
        return true
    }

    /// False when a hard rule rules out every start of template tm for agent a on `day`.
    func templateOpen(_ a: Int, _ day: Int, _ tm: Int) -> Bool {
        for i in hardRules.indices where !hardRules[i].admitsTemplate(agent: a, day: day, template: tm, in: self) { return false }
        return true
    }

    /// The queue per slot (-1 in the break) and the gain; see `serve`.
    func channels(_ a: Int, _ day: Int, _ tm: Int, _ start: Int) -> (channels: [Int], gain: Double) {
        var out = [Int](repeating: -1, count: lengthSlots[tm])
        let gain = out.withUnsafeMutableBufferPointer { serve(a, day, tm, start, into: $0) }
        return (out, gain)
    }

    /// The open requirement the shift would cover (`channels(...).gain`, without building the channels).
    func gain(_ a: Int, _ day: Int, _ tm: Int, _ start: Int) -> Double { serve(a, day, tm, start, into: nil) }

    /// What slot k of a shift starting at grid slot `first` is worth on channel c at proficiency `prof`: 1 per
    /// slot with open requirement less 0.1 per level above 1 (`primary`), `presence` more when nobody is on any
    /// queue of the channel's pool yet, plus a tie-break far below any primary difference that prefers the
    /// channel (and, for the break, the slot) with the least surplus.
    @inline(__always)
    private func worth(_ c: Int, _ t: Int, _ prof: Int) -> (primary: Double, value: Double) {
        guard t < slots else { return (0, 0) }
        let gap = p.required[c][t] - cover[c][t]
        var primary = gap > 0 ? 1 - 0.1 * Double(prof - 1) : 0
        if gap > 0 && presence > 0 && poolCover[poolOf[c]][t] == 0 { primary += presence }
        return (primary, primary + 1e-6 * Double(min(20, max(-20, gap))))
    }

    /// Places the break and the queue blocks of a shift and returns its gain (the sum of `worth.primary` over the
    /// slots worked); the queues are written to `out` when given (-1 in the break).
    /// - Break: in its template window, where the agent is worth least (load allows: the slots its queues
    ///   need least), ties to the middle of the window.
    /// - Queues: each piece of the shift around the break is cut into blocks of at least `blockSlots` slots
    ///   (a shorter piece is one block), one queue per block, chosen together by dynamic programming to
    ///   maximise the worth; each block costs 0.001, so the shift switches queue only for real coverage.
    /// With `blockSlots` 1 this is the best queue per slot.
    @inline(__always)
    private func serve(_ a: Int, _ day: Int, _ tm: Int, _ start: Int, into out: UnsafeMutableBufferPointer<Int>?) -> Double {
        let first = p.grid.slot(ofMinute: LocalDateTime.minute(day: day, minuteOfDay: start))
        let n = lengthSlots[tm], sk = skills[a], m = sk.count
        guard m > 0, n > 0 else {
            if let out { for k in 0..<n { out[k] = -1 } }
            return 0
        }
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * (n + 1) * m + 2 * (n + 1)) { buf in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: (n + 1) * (m + 1)) { ibuf in
                // prefix[k * m + j]: worth of slots 0..<k on skill j; top[k]: slot k's best worth over the skills.
                let prefix = UnsafeMutableBufferPointer(rebasing: buf[0..<((n + 1) * m)])
                let top = UnsafeMutableBufferPointer(rebasing: buf[((n + 1) * m)..<((n + 1) * m + n + 1)])
                for j in 0..<m { prefix[j] = 0 }
                for k in 0..<n {
                    var hi = -Double.infinity
                    for j in 0..<m {
                        let v = worth(sk[j].channel, first + k, sk[j].prof).value
                        prefix[(k + 1) * m + j] = prefix[k * m + j] + v
                        hi = max(hi, v)
                    }
                    top[k] = hi
                }
                var br = 0..<0
                if let w = breakWindows[tm], w.length > 0, w.earliest + w.length <= n {
                    let mid2 = w.earliest + w.latest
                    var bestCost = Double.infinity, bestAt = w.earliest
                    for b in w.earliest...w.latest where b + w.length <= n {
                        var cost = 0.0
                        for k in b..<(b + w.length) { cost += top[k] }
                        if cost < bestCost - 1e-12 || (abs(cost - bestCost) <= 1e-12 && abs(2 * b - mid2) < abs(2 * bestAt - mid2)) {
                            bestCost = cost; bestAt = b
                        }
                    }
                    br = bestAt..<(bestAt + w.length)
                    if let out { for k in br { out[k] = -1 } }
                }
                // Per piece, ext[k * m + q]: the best worth of the piece's slots before k when the last block has
                // queue q and is already at least `blockSlots` long (it may end at k or go on); closed[k]: the best
                // over q (a block boundary at k). A block of length L is its first `blockSlots` slots (a new block,
                // cost 0.001) and L - blockSlots one-slot extensions, so this is every cut into blocks in O(n m).
                var gain = 0.0
                let closed = UnsafeMutableBufferPointer(rebasing: buf[((n + 1) * (m + 1))..<((n + 1) * (m + 2))])
                let ext = UnsafeMutableBufferPointer(rebasing: buf[((n + 1) * (m + 2))...])
                let step = UnsafeMutableBufferPointer(rebasing: ibuf[0..<((n + 1) * m)])
                let last = UnsafeMutableBufferPointer(rebasing: ibuf[((n + 1) * m)...])
                func span(_ q: Int, _ j: Int, _ i: Int) -> Double { prefix[i * m + q] - prefix[j * m + q] }
                for piece in 0..<2 {
                    let s0 = piece == 0 ? 0 : br.upperBound, s1 = piece == 0 ? br.lowerBound : n
                    guard s1 > s0 else { continue }
                    /// Serves slots from..<to on skill q.
                    func block(_ from: Int, _ to: Int, _ q: Int) {
                        let ch = sk[q].channel, pf = sk[q].prof
                        for k in from..<to {
                            gain += worth(ch, first + k, pf).primary
                            out?[k] = ch
                        }
                    }
                    if s1 - s0 < blockSlots {
                        var bq = 0
                        for q in 1..<m where span(q, s0, s1) > span(bq, s0, s1) { bq = q }
                        block(s0, s1, bq)
                        continue
                    }
                    closed[s0] = 0
                    for i in (s0 + 1)...s1 {
                        var hi = -Double.infinity, hq = 0
                        for q in 0..<m {
                            var v = -Double.infinity, st = 0
                            if i - 1 - s0 >= blockSlots { v = ext[(i - 1) * m + q] + span(q, i - 1, i); st = 1 }
                            if i - blockSlots >= s0 {
                                let fresh = closed[i - blockSlots] + span(q, i - blockSlots, i) - 0.001
                                if fresh > v { v = fresh; st = 0 }
                            }
                            ext[i * m + q] = v; step[i * m + q] = st
                            if v > hi { hi = v; hq = q }
                        }
                        closed[i] = hi; last[i] = hq
                    }
                    var i = s1, q = last[s1], end = s1
                    while i > s0 {
                        if step[i * m + q] == 1 { i -= 1; continue }
                        i -= blockSlots
                        block(i, end, q)
                        end = i
                        if i > s0 { q = last[i] }
                    }
                }
                return gain
            }
        }
    }

    /// What adding this shift is worth: the soft rules' terms, in rule order (coverage gain, preferences,
    /// stable starts, fairness with the registry's rules).
    func score(_ a: Int, _ day: Int, _ tm: Int, _ start: Int) -> Double {
        let sh = RosterShift(agent: a, day: day, template: tm, start: start, channels: [])
        var s = 0.0
        for i in softRules.indices { softRules[i].scorePlacement(sh, in: self, into: &s) }
        return s
    }

    /// `score` when the shift's `gain` is known: the coverage rule's term from it, the other soft rules asked.
    func score(_ a: Int, _ day: Int, _ tm: Int, _ start: Int, gain g: Double) -> Double {
        guard let w = coverageWeight else { return score(a, day, tm, start) }
        let sh = RosterShift(agent: a, day: day, template: tm, start: start, channels: [])
        var s = w * g
        for i in otherSoftRules.indices { otherSoftRules[i].scorePlacement(sh, in: self, into: &s) }
        return s
    }

    func best(_ a: Int, days: Range<Int>, allowed: Set<Int>?, minGain: Double, keepMinimum: Bool = false) -> Candidate? {
        guard contract[a] != nil else { return nil }
        var best: Candidate? = nil
        for day in days where allowed?.contains(day) ?? true {
            guard dayOpen(a, day) else { continue }
            for tm in allowedTemplates[a] {
                guard templateOpen(a, day, tm) else { continue }
                let t = templates[tm]
                if keepMinimum && weekHours[a][day / 7] + t.paidHours < minHours[a][day / 7] - 1e-9 { continue }
                for start in t.starts {
                    guard feasible(a, day, tm, start) else { continue }
                    let sc: Double
                    if minGain > -Double.infinity {
                        let g = gain(a, day, tm, start)
                        if g < minGain * t.paidSlots { continue }
                        sc = score(a, day, tm, start, gain: g)
                    } else {
                        sc = score(a, day, tm, start)
                    }
                    if best == nil || sc > best!.score + 1e-12 { best = Candidate(day: day, template: tm, start: start, score: sc) }
                }
            }
        }
        return best
    }

    /// Places a shift; `keep`: the queue per slot of a published shift (a re-plan keeps it when it still fits: one
    /// entry per slot, off the queues exactly in the break, each queue one of the agent's skills), else each slot
    /// gets the skill with the largest open requirement.
    mutating func add(_ a: Int, _ day: Int, _ tm: Int, _ start: Int, locked: Bool = false, keep: [Int]? = nil) {
        let ch = keep.flatMap { k in fits(k, a, tm) ? k : nil } ?? channels(a, day, tm, start).channels
        let first = p.firstSlot(day: day, start: start)
        for (k, c) in ch.enumerated() where c >= 0 && first + k < slots {
            cover[c][first + k] += 1
            poolCover[poolOf[c]][first + k] += 1
        }
        shift[a][day] = Placed(template: tm, start: start, channels: ch, locked: locked)
        weekHours[a][day / 7] += templates[tm].paidHours
        if isWeekend(day: day) { weekendCount[a] += 1 }
        if isLate(template: tm, start: start) { lateCount[a] += 1 }
    }

    /// A published shift's queues still fit: the break is one run of the template's length inside its window
    /// (none without one) and every other slot is one of the agent's skills.
    func fits(_ k: [Int], _ a: Int, _ tm: Int) -> Bool {
        guard k.count == lengthSlots[tm] else { return false }
        let off = k.indices.filter { k[$0] == -1 }
        if let w = breakWindows[tm] {
            guard let b = off.first, off.count == w.length, off.last == b + w.length - 1, b >= w.earliest, b <= w.latest else { return false }
        } else if !off.isEmpty {
            return false
        }
        return k.allSatisfy { c in c == -1 || p.activity(code: c) != nil || skills[a].contains { $0.channel == c } }
    }

    mutating func remove(_ a: Int, _ day: Int) {
        guard let s = shift[a][day] else { return }
        let first = p.firstSlot(day: day, start: s.start)
        for (k, c) in s.channels.enumerated() where c >= 0 && first + k < slots {
            cover[c][first + k] -= 1
            poolCover[poolOf[c]][first + k] -= 1
        }
        shift[a][day] = nil
        weekHours[a][day / 7] -= templates[s.template].paidHours
        if isWeekend(day: day) { weekendCount[a] -= 1 }
        if isLate(template: s.template, start: s.start) { lateCount[a] -= 1 }
    }

    func roster() -> Roster {
        var out: [RosterShift] = []
        for a in p.agents.indices {
            for d in 0..<days { if let s = shift[a][d] { out.append(RosterShift(agent: a, day: d, template: s.template, start: s.start, channels: s.channels)) } }
        }
        return Roster(shifts: out)
    }
}

extension RosterState {
    /// The week move: takes all of agent a's shifts of week w off and puts the same number back greedily (each the
    /// best feasible shift of the week given the ones placed before), keeping the result when it scores better
    /// than the old shifts put back the same way and keeps the week's minimum hours; else restores the old week
    /// exactly. It lets a whole week move to another start band, which one-shift moves cannot do under a start
    /// spread limit; so under that limit, when the first shift put back starts within the old week's starts (the
    /// band one-shift moves already search), the move stops there. Weeks with a locked shift or a day outside `allowed` are left
    /// alone.
    mutating func rebuildWeek(_ a: Int, _ w: Int, allowed: Set<Int>?) -> Bool {
        let range = (w * 7)..<min(w * 7 + 7, days)
        var old: [(day: Int, placed: Placed)] = []
        for d in range { if let s = shift[a][d] { old.append((d, s)) } }
        guard !old.isEmpty, old.allSatisfy({ !$0.placed.locked && (allowed?.contains($0.day) ?? true) }) else { return false }
        func restore(_ st: inout RosterState) { for o in old { st.add(a, o.day, o.placed.template, o.placed.start, keep: o.placed.channels) } }
        for o in old { remove(a, o.day) }
        let band = old.map(\.placed.start).min()!...old.map(\.placed.start).max()!
        guard let lead = best(a, days: range, allowed: allowed, minGain: -Double.infinity), spreadLimit == nil || !band.contains(lead.start) else {
            restore(&self)
            return false
        }
        var before = 0.0
        for o in old {
            before += score(a, o.day, o.placed.template, o.placed.start)
            add(a, o.day, o.placed.template, o.placed.start)
        }
        for o in old { remove(a, o.day) }
        var after = lead.score, placed = [lead.day]
        add(a, lead.day, lead.template, lead.start)
        while placed.count < old.count, let c = best(a, days: range, allowed: allowed, minGain: -Double.infinity) {
            after += c.score
            add(a, c.day, c.template, c.start)
            placed.append(c.day)
        }
        if placed.count == old.count && after > before + 1e-6 && weekHours[a][w] >= minHours[a][w] - 1e-9 { return true }
        for d in placed { remove(a, d) }
        restore(&self)
        return false
    }
}
