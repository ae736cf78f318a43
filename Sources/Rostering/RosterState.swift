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
    let breakSlots: [Range<Int>?]
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

    init(_ p: RosterProblem, rules: [any RosterRule] = RuleRegistry.all) {
        self.p = p
        hardRules = rules.filter(\.isHard)
        softRules = rules.filter { !$0.isHard }
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
        breakSlots = p.templates.indices.map { p.breakSlots($0) }
        lengthSlots = p.templates.indices.map { p.lengthSlots($0) }
        minHours = p.agents.indices.map { a in (0..<p.weeks).map { p.minHours(agent: a, week: $0) } }
        days = p.days; slots = p.slots; minutesPerDay = TimeGrid.minutesPerDay
        limits = contract.map { c in
            c.map { c in
                let rest = LocalDateTime.minutes(hours: c.minRestHours)
                return Limits(maxHoursWeek: c.maxHoursWeek, maxConsecutiveDays: c.maxConsecutiveDays, daysOffPerWeek: c.daysOffPerWeek,
                              pairedDaysOff: c.pairedDaysOff, restMinutes: rest, restLookDays: max(2, LocalDateTime.days(inMinutes: rest) + 2))
            }
        }
        templates = p.templates.indices.map { tm in
            let starts = p.starts(tm), t = p.templates[tm]
            var allowed = [Bool](repeating: false, count: (starts.max() ?? -1) + 1)
            for s in starts where s >= 0 { allowed[s] = true }
            return Template(starts: starts, startAllowed: allowed, lengthMinutes: t.lengthMinutes, paidHours: t.paidHours,
                            paidSlots: p.grid.slots(inHours: t.paidHours))
        }
        preferences = p.agents.map { a in
            Preferences(preferredStart: a.preferredStart, daysOff: (0..<7).map { a.preferredDaysOff.contains($0) },
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
        for r in hardRules where !r.admits(sh, in: self) { return false }
        return true
    }

    /// False when a hard rule rules out every shift of agent a on `day`.
    func dayOpen(_ a: Int, _ day: Int) -> Bool {
        for r in hardRules where !r.admitsDay(agent: a, day: day, in: self) { return false }
        return true
    }

    /// False when a hard rule rules out every start of template tm for agent a on `day`.
    func templateOpen(_ a: Int, _ day: Int, _ tm: Int) -> Bool {
        for r in hardRules where !r.admitsTemplate(agent: a, day: day, template: tm, in: self) { return false }
        return true
    }

    /// Channel per slot: the skill with the largest open requirement, then the better proficiency.
    func channels(_ a: Int, _ day: Int, _ tm: Int, _ start: Int) -> (channels: [Int], gain: Double) {
        var out = [Int](repeating: -1, count: lengthSlots[tm])
        let gain = out.withUnsafeMutableBufferPointer { serve(a, day, tm, start, into: $0) }
        return (out, gain)
    }

    /// The open requirement the shift would cover (`channels(...).gain`, without building the channels).
    func gain(_ a: Int, _ day: Int, _ tm: Int, _ start: Int) -> Double { serve(a, day, tm, start, into: nil) }

    /// Picks each slot's channel (written to `out` when given) and returns the gain: 1 per slot with open
    /// requirement, less 0.1 per proficiency level above 1.
    @inline(__always)
    private func serve(_ a: Int, _ day: Int, _ tm: Int, _ start: Int, into out: UnsafeMutableBufferPointer<Int>?) -> Double {
        let first = p.grid.slot(ofMinute: LocalDateTime.minute(day: day, minuteOfDay: start))
        var gain = 0.0
        let br = breakSlots[tm]
        let sk = skills[a]
        let firstChannel = sk.first?.channel ?? -1
        for k in 0..<lengthSlots[tm] {
            if let br, br.contains(k) { continue }
            let t = first + k
            var bestC = firstChannel, bestGap = Int.min, bestProf = 1
            if t < slots {
                for (c, prof) in sk {
                    let gap = p.required[c][t] - cover[c][t]
                    if gap > bestGap { bestGap = gap; bestC = c; bestProf = prof }
                }
                if bestGap > 0 { gain += 1 - 0.1 * Double(bestProf - 1) }
            }
            out?[k] = bestC
        }
        return gain
    }

    /// What adding this shift is worth: the soft rules' terms, in rule order (coverage gain, preferences,
    /// stable starts, fairness with the registry's rules).
    func score(_ a: Int, _ day: Int, _ tm: Int, _ start: Int) -> Double {
        let sh = RosterShift(agent: a, day: day, template: tm, start: start, channels: [])
        var s = 0.0
        for r in softRules { r.scorePlacement(sh, in: self, into: &s) }
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
                    if minGain > -Double.infinity {
                        if gain(a, day, tm, start) < minGain * t.paidSlots { continue }
                    }
                    let sc = score(a, day, tm, start)
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
        for (k, c) in ch.enumerated() where c >= 0 && first + k < slots { cover[c][first + k] += 1 }
        shift[a][day] = Placed(template: tm, start: start, channels: ch, locked: locked)
        weekHours[a][day / 7] += templates[tm].paidHours
        if isWeekend(day: day) { weekendCount[a] += 1 }
        if isLate(template: tm, start: start) { lateCount[a] += 1 }
    }

    func fits(_ k: [Int], _ a: Int, _ tm: Int) -> Bool {
        guard k.count == lengthSlots[tm] else { return false }
        let br = breakSlots[tm]
        return k.indices.allSatisfy { i in
            (br?.contains(i) ?? false) ? k[i] == -1 : skills[a].contains { $0.channel == k[i] }
        }
    }

    mutating func remove(_ a: Int, _ day: Int) {
        guard let s = shift[a][day] else { return }
        let first = p.firstSlot(day: day, start: s.start)
        for (k, c) in s.channels.enumerated() where c >= 0 && first + k < slots { cover[c][first + k] -= 1 }
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
