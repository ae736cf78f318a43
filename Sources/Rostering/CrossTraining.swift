import PlanningCore

/// Which cross-training would cover most of the gap a finished roster leaves: for every skill set of the agents
/// (the agents who share exactly those queues) and every queue none of them serves, the short agent-hours the same
/// shifts would cover if those agents could also take that queue. An agent moves, slot by slot, from a queue that
/// has more agents than it needs to the new queue where it is short (greedy in agent and slot order, coverage
/// updated after each move): no hours are added, so this is what the skill alone is worth. The planner's measure of
/// it is a new roster with the skill (`RosterStage` re-solves the best few).
public struct CrossTrainingAdvisor {
    public struct Suggestion: Sendable, Equatable {
        /// The agents' shared queues (`ps+pe`), the agents, and the queue to add.
        public var skillSet: String
        public var agents: [Int]
        public var queue: String
        /// Short agent-hours the moves cover.
        public var coveredHours: Double
    }

    public var limit: Int
    public init(limit: Int = 5) { self.limit = limit }

    /// The best suggestions, most hours covered first (then skill set and queue names: the same order every run);
    /// only those that cover something.
    public func suggest(_ roster: Roster, _ p: RosterProblem) -> [Suggestion] {
        let cover = p.coverage(roster)
        var sets: [String: [Int]] = [:]
        for a in p.agents.indices where p.contract(of: a) != nil {
            sets[Set(p.agents[a].skills.map(\.queue)).sorted().joined(separator: "+"), default: []].append(a)
        }
        let shifts = p.shiftsByAgent(roster, includeHistory: false)
        var out: [Suggestion] = []
        for (key, agents) in sets {
            let known = Set(agents.flatMap { p.agents[$0].skills.map(\.queue) })
            for q in p.channels.indices where !known.contains(p.channels[q]) {
                var c = cover, moved = 0
                for a in agents {
                    for s in shifts[a] {
                        let first = p.firstSlot(s)
                        for (k, from) in s.channels.enumerated() where from >= 0 {
                            let t = first + k
                            guard t >= 0, t < p.slots, c[from][t] > p.required[from][t], c[q][t] < p.required[q][t] else { continue }
                            c[from][t] -= 1; c[q][t] += 1; moved += 1
                        }
                    }
                }
                if moved > 0 {
                    out.append(Suggestion(skillSet: key, agents: agents, queue: p.channels[q], coveredHours: Double(moved) * p.grid.hoursPerSlot))
                }
            }
        }
        out.sort { ($0.coveredHours, $1.skillSet, $1.queue) > ($1.coveredHours, $0.skillSet, $0.queue) }
        return Array(out.prefix(limit))
    }

    /// The problem with the suggestion's agents given its queue at `level` (a new skill: below their own, 2 by default).
    public static func applying(_ s: Suggestion, to p: RosterProblem, level: Int = 2) -> RosterProblem {
        var q = p
        for a in s.agents where !q.agents[a].skills.contains(where: { $0.queue == s.queue }) {
            q.agents[a].skills.append(Skill(queue: s.queue, level: level))
        }
        return q
    }
}
