import PlanningCore

/// The roster's agents seen as agent groups, as the group-level schedule (`peakplan schedule`) sees them:
/// one group per skill set and contract (the contract's templates), with a head-count limit per day of the
/// group's agents available that day.
///
/// Every roster that keeps the hard rules is, counted per group and day, a group-level schedule within these
/// limits (one shift a day per agent, no shift on time off, only the contract's templates). So the
/// group-level coverage shortfall is a floor for the roster's, and the difference is what naming the agents
/// costs: weekly hours, days off, rest and consecutive-day rules, which groups do not see.
public struct AgentGroupSummary: Sendable, Equatable {
    /// `voice+chat/full_time`.
    public var id: String
    /// Channels (sorted by name) and, per channel, the best proficiency in the group (1 = fully proficient).
    public var channels: [String]
    public var levels: [Int]
    public var contract: String
    /// Template names the contract allows.
    public var templates: [String]
    /// Agent indices of the problem.
    public var agents: [Int]
    public var availablePerDay: [Int]
}

extension RosterProblem {
    /// Agents grouped by skill set and contract, in first-seen order.
    public func groupSummaries() -> [AgentGroupSummary] {
        var out: [AgentGroupSummary] = []
        var index: [String: Int] = [:]
        for (a, agent) in agents.enumerated() {
            guard let c = contract(of: a) else { continue }
            let skills = agent.skills.filter { channels.contains($0.channel) }.sorted { $0.channel < $1.channel }
            guard !skills.isEmpty else { continue }
            let id = skills.map(\.channel).joined(separator: "+") + "/" + c.name
            let g: Int
            if let i = index[id] {
                g = i
            } else {
                g = out.count; index[id] = g
                out.append(
                    AgentGroupSummary(
                        id: id, channels: skills.map(\.channel), levels: skills.map(\.proficiency), contract: c.name,
                        templates: c.templates, agents: [], availablePerDay: Array(repeating: 0, count: days)))
            }
            out[g].agents.append(a)
            for (k, s) in skills.enumerated() { out[g].levels[k] = min(out[g].levels[k], s.proficiency) }
            for d in 0..<days where !isUnavailable(agent: a, day: d) { out[g].availablePerDay[d] += 1 }
        }
        return out
    }
}
