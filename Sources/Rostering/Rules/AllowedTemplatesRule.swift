/// Hard: every shift uses a template the agent's contract allows, at a start inside its window.
public struct AllowedTemplatesRule: RosterRule {
    public var id: String { "allowed-templates" }
    public var isHard: Bool { true }
    public var weight = 1.0
    public init() {}
    public func evaluate(_ roster: Roster, _ p: RosterProblem) -> [Violation] {
        var out: [Violation] = []
        for s in roster.shifts {
            let agent = p.agents[s.agent]
            guard p.templates.indices.contains(s.template), let c = p.contract(of: s.agent) else {
                out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "unknown template or contract")); continue
            }
            let t = p.templates[s.template]
            if !c.templates.contains(t.name) {
                out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "template \(t.name) is not allowed by contract \(c.name)"))
            } else if !p.starts(s.template).contains(s.start) {
                out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "start minute \(s.start) is outside template \(t.name)'s window"))
            } else if s.channels.count != p.lengthSlots(s.template) {
                out.append(Violation(rule: id, agent: agent.id, date: p.date(s.day), message: "shift length differs from template \(t.name)"))
            }
        }
        return out
    }

    /// A template of the agent's contract, at a start of its window.
    public func admits(_ s: RosterShift, in st: RosterState) -> Bool {
        st.allowedTemplates[s.agent].contains(s.template) && st.templates[s.template].allows(start: s.start)
    }
}
