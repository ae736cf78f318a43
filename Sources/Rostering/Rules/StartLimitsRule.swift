import PlanningCore

/// Hard (when `[roster]` sets the limits, default on): within a roster week an agent's shift starts lie within
/// `max_start_spread_hours` of each other, and a shift starts at most `max_backward_rotation_hours` earlier than
/// the agent's shift the day before (history included; a later start, forward rotation, is always allowed).
/// Starts compare as clock times of their start days.
public struct StartLimitsRule: RosterRule {
    public var id: String { "start-limits" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}

    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        let spread = p.workability.maxStartSpreadMinutes, back = p.workability.maxBackwardRotationMinutes
        guard spread != nil || back != nil else { return [] }
        var out: [Violation] = []
        for (a, shifts) in p.shiftsByAgent(roster).enumerated() {
            if let spread {
                let weeks = Dictionary(grouping: shifts.filter { $0.day >= 0 }, by: { $0.day / 7 })
                for w in weeks.keys.sorted() {
                    let starts = weeks[w]!.map(\.start)
                    let lo = starts.min()!, hi = starts.max()!
                    if hi - lo > spread {
                        out.append(
                            Violation(
                                rule: id, agent: p.agents[a].id, date: p.date(w * 7),
                                message: "starts spread \(formatClock(lo))-\(formatClock(hi)) in the week, more than the limit of \(LocalDateTime.hours(minutes: spread)) h"))
                    }
                }
            }
            if let back {
                for k in shifts.indices.dropFirst() {
                    let s = shifts[k], prev = shifts[k - 1]
                    guard s.day >= 0, prev.day == s.day - 1, prev.start - s.start > back else { continue }
                    out.append(
                        Violation(
                            rule: id, agent: p.agents[a].id, date: p.date(s.day),
                            message:
                                "starts \(formatClock(s.start)) after a \(formatClock(prev.start)) start the day before: more than \(LocalDateTime.hours(minutes: back)) h earlier (backward rotation)"
                        ))
                }
            }
        }
        return out
    }

    public func admits(_ s: RosterShift, in st: RosterState) -> Bool {
        let a = s.agent, day = s.day
        if let limit = st.spreadLimit {
            let w = day / 7
            var lo = s.start, hi = s.start
            for d in (w * 7)..<min(w * 7 + 7, st.days) where d != day { if let o = st.shift[a][d] { lo = min(lo, o.start); hi = max(hi, o.start) } }
            if hi - lo > limit { return false }
        }
        if let back = st.backwardLimit {
            if let prev = st.startOfDay(a, day - 1), prev - s.start > back { return false }
            if day + 1 < st.days, let next = st.shift[a][day + 1], s.start - next.start > back { return false }
        }
        return true
    }
}

extension RosterState {
    /// The clock start (minutes after its day's midnight) of agent a's shift on `day`, history included.
    func startOfDay(_ a: Int, _ day: Int) -> Int? {
        if day < 0 { return history[a][day].map { $0.start - LocalDateTime.minute(day: day, minuteOfDay: 0) } }
        return day < days ? shift[a][day]?.start : nil
    }
}
