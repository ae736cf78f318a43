import PlanningCore
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
        /// A fallback instruction: contacts are expected but no agent is planned on the queue in the interval;
        /// `group` takes them (weight 0, outside the sum-to-1; `group` is "" when no group has the skill).
        public var fallback: Bool = false

        public init(period: Int, queue: String, group: String, weight: Double, plannedAgents: Double, fallback: Bool = false) {
            self.period = period; self.queue = queue; self.group = group; self.weight = weight; self.plannedAgents = plannedAgents
            self.fallback = fallback
        }
    }

    /// Where period 0 starts and how long a period is (wall clock of the workspace).
    public struct Timeline: Sendable, Equatable {
        public var firstDay: Int64
        public var intervalMinutes: Int
        public init(firstDay: Int64, intervalMinutes: Int) { self.firstDay = firstDay; self.intervalMinutes = intervalMinutes }
        /// `YYYY-MM-DDTHH:MM` of a period's start.
        public func label(_ t: Int) -> String {
            let grid = TimeGrid(validMinutes: intervalMinutes) ?? .halfHour
            return String(Civil.formatLocal(grid.localSeconds(firstDay: firstDay, index: t)).prefix(16))
        }
    }

    /// A group's skills in priority order (level 1 first) for the overflow choice.
    public struct GroupSkills: Sendable, Equatable {
        public var id: String
        public var skills: [(queue: String, level: Int)]
        public init(id: String, skills: [(queue: String, level: Int)]) { self.id = id; self.skills = skills }
        public static func == (a: Self, b: Self) -> Bool {
            a.id == b.id && a.skills.map(\.queue) == b.skills.map(\.queue) && a.skills.map(\.level) == b.skills.map(\.level)
        }
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

    /// Period 0 and the period length.
    public var timeline: Timeline

    /// Allocations below this (agents) are treated as zero.
    public static let epsilon = 1e-9

    public init(problem p: ScheduleProblem, schedule s: ShiftSchedule) {
        timeline = Timeline(firstDay: p.firstDay, intervalMinutes: p.intervalMinutes)
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

    /// Routing from people: `planned[g][q][t]` agents of group `g` on queue `q` in period `t` (a roster's
    /// allocation), `onDuty[g][t]` the group's agents working any queue. Rows as for a schedule; in addition every
    /// (queue, period) with expected arrivals (`arrivals[q][t] > 0`) and nobody planned gets one fallback row naming
    /// the group that takes the overflow: a group with the skill and anyone on duty (best level, then most on
    /// duty), else the group with the best level of the skill.
    public init(timeline: Timeline, queues: [String], groups: [GroupSkills], planned: [[[Double]]], onDuty: [[Double]], arrivals: [[Double]]) {
        self.timeline = timeline
        let periods = arrivals.first?.count ?? planned.first?.first?.count ?? 0
        var rows: [Row] = []
        for t in 0..<periods {
            for (q, queue) in queues.enumerated() {
                let parts = groups.indices.compactMap { g -> (Int, Double)? in
                    let a = planned[g][q][t]
                    return a > Self.epsilon ? (g, a) : nil
                }
                let total = parts.reduce(0) { $0 + $1.1 }
                if total > Self.epsilon {
                    for (g, a) in parts { rows.append(Row(period: t, queue: queue, group: groups[g].id, weight: a / total, plannedAgents: a)) }
                } else if arrivals[q][t] > Self.epsilon {
                    rows.append(Row(period: t, queue: queue, group: Self.overflowGroup(queue, t, groups, onDuty), weight: 0, plannedAgents: 0, fallback: true))
                }
            }
        }
        self.rows = rows
        var views: [(String, [GroupInterval])] = []
        for (g, group) in groups.enumerated() {
            var list: [GroupInterval] = []
            for t in 0..<periods where onDuty[g][t] > Self.epsilon {
                let shares = group.skills.map { sk -> (queue: String, share: Double) in
                    guard let q = queues.firstIndex(of: sk.queue) else { return (sk.queue, 0) }
                    return (sk.queue, planned[g][q][t] / onDuty[g][t])
                }
                list.append(GroupInterval(period: t, onDuty: onDuty[g][t], shares: shares))
            }
            views.append((group.id, list))
        }
        self.groups = views
    }

    /// The group that takes a queue's contacts when nobody is planned on it.
    static func overflowGroup(_ queue: String, _ t: Int, _ groups: [GroupSkills], _ onDuty: [[Double]]) -> String {
        let able = groups.indices.compactMap { g in groups[g].skills.first { $0.queue == queue }.map { (g, $0.level) } }
        let onNow = able.filter { onDuty[$0.0][t] > Self.epsilon }
        let pick = (onNow.isEmpty ? able : onNow).min { a, b in
            (a.1, -onDuty[a.0][t], a.0) < (b.1, -onDuty[b.0][t], b.0)
        }
        return pick.map { groups[$0.0].id } ?? ""
    }

    /// Largest |Σ weights − 1| over (interval, queue): 0 up to rounding.
    public var maxWeightError: Double {
        var sums: [String: Double] = [:]
        for r in rows where !r.fallback { sums["\(r.period)|\(r.queue)", default: 0] += r.weight }
        return sums.values.map { abs($0 - 1) }.max() ?? 0
    }
}
