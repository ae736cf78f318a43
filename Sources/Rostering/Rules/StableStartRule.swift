/// Soft: within a week, each shift starting more than an hour away from the agent's most common start
/// that week costs the weight.
public struct StableStartRule: RosterRule {
    public var id: String { "stable-start" }
    public var isHard: Bool { false }
    public var weight = 0.2
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for (a, shifts) in p.shiftsByAgent(roster, includeHistory: false).enumerated() {
            let weeks = Dictionary(grouping: shifts, by: { $0.day / 7 })
            for w in weeks.keys.sorted() {
                let ws = weeks[w]!
                var counts: [Int: Int] = [:]
                for s in ws { counts[s.start, default: 0] += 1 }
                let mode = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!.key
                for s in ws where abs(s.start - mode) > 60 {
                    out.append(Violation(rule: id, agent: p.agents[a].id, date: p.date(s.day),
                                         message: "start \(s.start / 60):\(s.start % 60 < 10 ? "0" : "")\(s.start % 60) differs from the week's usual start", penalty: weight))
                }
            }
        }
        return out
    }

    /// Plus the weight when the shift starts when the agent's first other shift of that week does.
    public func scorePlacement(_ s: RosterShift, in st: RosterState, into score: inout Double) {
        let w = s.day / 7
        for k in 0..<7 where w * 7 + k != s.day { if let o = st.shift[s.agent][w * 7 + k] { if o.start == s.start { score += weight }; break } }
    }
}
