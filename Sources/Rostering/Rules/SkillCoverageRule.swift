/// Hard: an agent serves only channels it has a skill for, and takes its break off the queue. While a roster is
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
            let breakSlots: Set<Int> = {
                guard p.templates.indices.contains(s.template), let r = p.breakSlots(s.template) else { return [] }
                return Set(r)
            }()
            for (k, c) in s.channels.enumerated() {
                if breakSlots.contains(k) {
                    if c != -1 { out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "works a channel during the unpaid break")); break }
                } else if c < 0 || c >= p.channels.count || !skills.contains(p.channels[c]) {
                    let name = c >= 0 && c < p.channels.count ? p.channels[c] : "none"
                    out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "serves \(name) without that skill")); break
                }
            }
        }
        return out
    }
}
