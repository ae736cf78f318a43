extension RosterProblem {
    /// Agents serving each channel in each slot of the horizon.
    public func coverage(_ roster: Roster) -> [[Int]] {
        var cover = [[Int]](repeating: [Int](repeating: 0, count: slots), count: channels.count)
        for s in roster.shifts {
            let first = firstSlot(s)
            for (k, c) in s.channels.enumerated() where c >= 0 && c < channels.count {
                let t = first + k
                if t >= 0 && t < slots { cover[c][t] += 1 }
            }
        }
        return cover
    }
}

/// Soft: agents short of the requirement per channel and interval. Each agent-interval served at a
/// proficiency level p > 1 also costs (p - 1) x 0.1 (a less proficient agent is a weaker cover).
public struct CoverageShortfallRule: RosterRule {
    public var id: String { "coverage-shortfall" }
    public var isHard: Bool { false }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        let cover = p.coverage(roster)
        var out: [Violation] = []
        for c in p.channels.indices {
            for day in 0..<p.days {
                var short = 0, worst = 0
                for k in 0..<p.grid.slotsPerDay {
                    let t = p.grid.index(day: day, slot: k)
                    let gap = max(0, p.required[c][t] - cover[c][t])
                    short += gap; worst = max(worst, gap)
                }
                if short > 0 {
                    out.append(Violation(rule: id, agent: nil, date: p.date(day),
                                         message: "\(p.channels[c]): \(Double(short) * p.grid.hoursPerSlot) agent-hours short (worst interval \(worst) agents)",
                                         penalty: weight * Double(short)))
                }
            }
        }
        for s in roster.shifts {
            let prof = Dictionary(p.agents[s.agent].skills.map { ($0.channel, $0.proficiency) }, uniquingKeysWith: min)
            let extra = s.channels.reduce(0.0) { acc, c in c >= 0 ? acc + Double(max(0, (prof[p.channels[c]] ?? 1) - 1)) * 0.1 : acc }
            if extra > 0 {
                out.append(Violation(rule: id, agent: p.agents[s.agent].id, date: p.date(s.day),
                                     message: "serves channels at a lower proficiency", penalty: weight * extra))
            }
        }
        return out
    }

    /// Open requirement the shift would cover (1 per slot, less 0.1 per proficiency level above 1), times the weight.
    public func scorePlacement(_ s: RosterShift, in st: RosterState, into score: inout Double) {
        score += weight * st.gain(s.agent, s.day, s.template, s.start)
    }
}
