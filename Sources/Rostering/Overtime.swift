import PlanningCore

/// Overtime and extra shifts where a finished roster leaves gaps: what a planner would offer agents, best first.
///
/// Candidates, for agents whose contract and hard rules otherwise allow it:
/// - `extend-before` / `extend-after`: an existing shift one or two hours longer at either end (keeping the
///   minimum rest to the neighbouring shifts, the agent's availability window and time off);
/// - `extra-shift`: a shift of one of the agent's templates on a day it is off and available (keeping rest,
///   consecutive days and availability; weekly hours may go over the contract's maximum: that is the overtime).
/// Each candidate serves, per slot it adds, the agent's skill with the largest open requirement. Suggestions are
/// chosen greedily by short agent-hours covered (fewer added hours first on a tie), the coverage updated after
/// each, among those covering at least `minYield` of their hours; at most `limit`, one per agent and day.
public struct OvertimeAdvisor {
    public struct Suggestion: Sendable, Equatable {
        public var agent: Int
        public var day: Int
        public var kind: String
        /// Minutes from the horizon start.
        public var start: Int, end: Int
        public var hours: Double
        /// Short agent-hours the added time covers, and on which queues (most first).
        public var coveredHours: Double
        public var queues: [String]
        /// The slots the added time works (from the horizon start), in order, and the queue served in each.
        public var slots: [Int] = []
        public var served: [Int] = []
    }

    public var limit = 25
    public var minYield = 0.5
    public init(limit: Int = 25, minYield: Double = 0.5) { self.limit = limit; self.minYield = minYield }

    public func suggest(_ roster: Roster, _ p: RosterProblem) -> (suggestions: [Suggestion], shortfallPctAfter: Double) {
        var cover = p.coverage(roster)
        var taken = Set<Int>()
        var out: [Suggestion] = []
        let byAgent = p.shiftsByAgent(roster)
        var state = RosterState(p)
        for s in roster.shifts { state.add(s.agent, s.day, s.template, s.start, locked: true, keep: s.channels) }
        let all = p.agents.indices.map { a in state.contract[a] == nil ? [] : candidates(a, byAgent[a], state, p) }
        while out.count < limit {
            var best: (Suggestion, [(Int, Int)])? = nil
            for a in p.agents.indices {
                for cand in all[a] where !taken.contains(a * 10_000 + cand.day) {
                    let (covered, slots, queues) = value(a, cand.slots, cover, p, state)
                    let hours = Double(cand.slots.count) * p.grid.hoursPerSlot
                    guard hours > 0, covered >= minYield * hours - 1e-9 else { continue }
                    let sug = Suggestion(
                        agent: a, day: cand.day, kind: cand.kind, start: cand.start, end: cand.end, hours: hours, coveredHours: covered, queues: queues,
                        slots: slots.map(\.1), served: slots.map(\.0))
                    if let b = best?.0, b.coveredHours > covered + 1e-9 || (abs(b.coveredHours - covered) <= 1e-9 && b.hours <= hours) { continue }
                    best = (sug, slots)
                }
            }
            guard let (sug, slots) = best else { break }
            for (c, t) in slots { cover[c][t] += 1 }
            taken.insert(sug.agent * 10_000 + sug.day)
            out.append(sug)
        }
        var req = 0, short = 0
        for c in p.channels.indices { for t in 0..<p.slots { req += p.required[c][t]; short += max(0, p.required[c][t] - cover[c][t]) } }
        return (out, req == 0 ? 0 : 100 * Double(short) / Double(req))
    }

    struct Candidate { var day: Int, kind: String, start: Int, end: Int, slots: [Int] }

    /// Extensions of the agent's shifts and extra shifts on its free days (slots from the horizon start).
    func candidates(_ a: Int, _ shifts: [RosterShift], _ st: RosterState, _ p: RosterProblem) -> [Candidate] {
        var out: [Candidate] = []
        let slot = p.grid.minutes, rest = st.limits[a]?.restMinutes ?? 0
        let spans = shifts.map { ($0.startMinute, p.endMinute($0)) }
        func restOK(_ lo: Int, _ hi: Int, skipping i: Int?) -> Bool {
            spans.enumerated().allSatisfy { j, sp in j == i || sp.1 + rest <= lo || hi + rest <= sp.0 }
        }
        for (i, s) in shifts.enumerated() where s.day >= 0 {
            let (lo, hi) = spans[i]
            // The longer shift stays in the agent's availability window and off its time off, as any shift must.
            func available(_ a0: Int, _ a1: Int) -> Bool {
                let dayStart = LocalDateTime.minute(day: s.day, minuteOfDay: 0)
                if !p.agents[a].fitsWindow(weekday: p.weekday(s.day), start: a0 - dayStart, length: a1 - a0) { return false }
                let last = LocalDateTime.lastDay(endMinute: a1)
                return !(s.day...max(s.day, last)).contains { $0 < p.days && p.isUnavailable(agent: a, day: $0) }
            }
            for hours in [1, 2] {
                let m = hours * 60
                guard m % slot == 0 else { continue }
                if lo - m >= 0, restOK(lo - m, hi, skipping: i), available(lo - m, hi) {
                    let first = p.grid.slot(ofMinute: lo - m)
                    out.append(Candidate(day: s.day, kind: "extend-before", start: lo - m, end: lo, slots: Array(first..<(first + m / slot))))
                }
                if hi + m <= p.days * TimeGrid.minutesPerDay, restOK(lo, hi + m, skipping: i), available(lo, hi + m) {
                    let first = p.grid.slot(ofMinute: hi)
                    out.append(Candidate(day: s.day, kind: "extend-after", start: hi, end: hi + m, slots: Array(first..<(first + m / slot))))
                }
            }
        }
        var scratch = st
        for day in 0..<p.days where !st.works(a, day) {
            for tm in st.allowedTemplates[a] {
                for start in st.templates[tm].starts {
                    // Every hard rule but the weekly maximum (the overtime): checked with the week's hours lifted off.
                    let hours = scratch.weekHours[a][day / 7]
                    scratch.weekHours[a][day / 7] = 0
                    let ok = scratch.feasible(a, day, tm, start)
                    scratch.weekHours[a][day / 7] = hours
                    guard ok else { continue }
                    let (ch, _) = scratch.channels(a, day, tm, start)
                    let first = p.firstSlot(day: day, start: start)
                    let lo = LocalDateTime.minute(day: day, minuteOfDay: start)
                    out.append(
                        Candidate(
                            day: day, kind: "extra-shift", start: lo, end: lo + st.templates[tm].lengthMinutes,
                            slots: ch.indices.filter { ch[$0] >= 0 }.map { first + $0 }))
                }
            }
        }
        return out
    }

    /// Short agent-hours the slots cover (each on the agent's skill with the largest open requirement), the
    /// (channel, slot) pairs used, and the queues by slots covered.
    func value(_ a: Int, _ slots: [Int], _ cover: [[Int]], _ p: RosterProblem, _ st: RosterState) -> (Double, [(Int, Int)], [String]) {
        var covered = 0, used: [(Int, Int)] = [], count: [Int: Int] = [:]
        for t in slots where t >= 0 && t < p.slots {
            guard let (c, gap) = st.skills[a].map({ ($0.channel, p.required[$0.channel][t] - cover[$0.channel][t]) }).max(by: { $0.1 < $1.1 }) else { continue }
            used.append((c, t))
            if gap > 0 { covered += 1; count[c, default: 0] += 1 }
        }
        let queues = count.sorted { ($0.value, p.channels[$1.key]) > ($1.value, p.channels[$0.key]) }.map { p.channels[$0.key] }
        return (Double(covered) * p.grid.hoursPerSlot, used, queues)
    }
}
