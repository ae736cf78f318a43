import Scheduling

/// Routing weights implied by a solved schedule (DESIGN §4).
///
/// Per interval and queue, each agent group's weight is the share of that queue's planned agents the group is
/// planned to provide: `weight = allocation[g, q, t] / Σ_g allocation[g, q, t]`, so the weights of a queue and
/// interval sum to 1. A router that sends each queue's contacts to groups in these proportions reproduces the
/// plan's fluid split of capacity (the same split the scheduling model optimised; Cezik & L'Ecuyer 2008 discuss
/// what pooling adds beyond it). The per-group view gives, per interval, the share of a group's on-duty agents
/// planned on each of its queues (these shares sum to 1 when the group has anyone on duty).
public struct RoutingTable: Sendable {
    public struct Row: Sendable, Equatable {
        /// Absolute period of the interval.
        public var period: Int
        public var queue: String
        public var group: String
        public var weight: Double
        public var plannedAgents: Double
    }

    public struct GroupInterval: Sendable, Equatable {
        public var period: Int
        public var onDuty: Double
        /// Share of the on-duty agents per queue (skill order of the group).
        public var shares: [(queue: String, share: Double)]

        public static func == (a: GroupInterval, b: GroupInterval) -> Bool {
            a.period == b.period && a.onDuty == b.onDuty && a.shares.map(\.queue) == b.shares.map(\.queue) && a.shares.map(\.share) == b.shares.map(\.share)
        }
    }

    /// Rows per (interval, queue) with planned agents, groups in declaration order.
    public var rows: [Row]
    /// Per group (declaration order): intervals with anyone on duty.
    public var groups: [(group: String, intervals: [GroupInterval])]

    /// Allocations below this (agents) are treated as zero.
    public static let epsilon = 1e-9

    public init(problem p: ScheduleProblem, schedule s: ShiftSchedule) {
        var rows: [Row] = []
        let skills = p.groups.indices.map { p.skills(of: $0) }
        for t in 0 ..< p.horizon {
            for q in p.queues.indices {
                var parts: [(Int, Double)] = []
                for g in p.groups.indices {
                    guard let k = skills[g].firstIndex(where: { $0.queue == q }), k < s.allocation[g].count else { continue }
                    let a = s.allocation[g][k][t]
                    if a > Self.epsilon { parts.append((g, a)) }
                }
                let total = parts.reduce(0) { $0 + $1.1 }
                guard total > Self.epsilon else { continue }
                for (g, a) in parts {
                    rows.append(Row(period: t, queue: p.queues[q].id, group: p.groups[g].id, weight: a / total, plannedAgents: a))
                }
            }
        }
        self.rows = rows
        let duty = s.onDuty(p)
        var views: [(String, [GroupInterval])] = []
        for g in p.groups.indices {
            var list: [GroupInterval] = []
            for t in 0 ..< p.horizon where duty[g][t] > Self.epsilon {
                let shares = skills[g].enumerated().map { (k, sk) in
                    (queue: p.queues[sk.queue].id, share: k < s.allocation[g].count ? s.allocation[g][k][t] / duty[g][t] : 0)
                }
                list.append(GroupInterval(period: t, onDuty: duty[g][t], shares: shares))
            }
            views.append((p.groups[g].id, list))
        }
        groups = views
    }

    /// Largest |Σ weights − 1| over (interval, queue): 0 up to rounding.
    public var maxWeightError: Double {
        var sums: [String: Double] = [:]
        for r in rows { sums["\(r.period)|\(r.queue)", default: 0] += r.weight }
        return sums.values.map { abs($0 - 1) }.max() ?? 0
    }
}
