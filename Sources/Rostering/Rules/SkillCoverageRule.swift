/// Hard: an agent serves only channels it has a skill for, and takes its unpaid break (one run of the template's
/// break length starting inside the template's window) off the queues, and is on a queue in every other slot. While a roster is
/// built the engine assigns channels from the agent's skills only, so every shift is admitted (no `admits`).
public struct SkillCoverageRule: RosterRule {
    public var id: String { "skill-coverage" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for s in roster.shifts {
            let agent = p.agents[s.agent]
            let skills = Set(agent.skills.map(\.channel))
            let placed = p.breakPlacement(s)
            let window = p.templates.indices.contains(s.template) ? p.breakWindow(s.template) : nil
            if let w = window {
                guard let b = placed, b.count == w.length, b.lowerBound >= w.earliest, b.lowerBound <= w.latest else {
                    out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "the unpaid break is not one break of the template's length inside its window"));
                    continue
                }
            }
            for (k, c) in s.channels.enumerated() {
                if c <= -2 {
                    if p.activity(code: c) == nil {
                        out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "off the queues for an unknown activity")); break
                    }
                } else if c < 0 {
                    if window == nil || !(placed?.contains(k) ?? false) {
                        out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "off the queues outside the unpaid break")); break
                    }
                } else if c >= p.channels.count || !skills.contains(p.channels[c]) {
                    let name = c < p.channels.count ? p.channels[c] : "none"
                    out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "serves \(name) without that skill")); break
                }
            }
        }
        return out
    }
}
