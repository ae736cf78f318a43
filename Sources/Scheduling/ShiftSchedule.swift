/// `count` agents of one group working the same shift: same template, start and break starts.
public struct ShiftBlock: Sendable, Equatable, Hashable {
    public var group: Int
    public var template: Int
    /// Horizon day the shift starts on.
    public var day: Int
    /// Absolute start period (`day * periodsPerDay + period of day`).
    public var start: Int
    /// Absolute start period of each of the template's breaks, in the template's order.
    public var breakStarts: [Int]
    public var count: Int

    public init(group: Int, template: Int, day: Int, start: Int, breakStarts: [Int], count: Int) {
        self.group = group
        self.template = template
        self.day = day
        self.start = start
        self.breakStarts = breakStarts
        self.count = count
    }

    /// Absolute end period (exclusive).
    public func end(in p: ScheduleProblem) -> Int { start + p.templates[template].spanPeriods }

    /// True when the agent is on the queues in absolute period `t`.
    public func onDuty(at t: Int, in p: ScheduleProblem) -> Bool {
        let tp = p.templates[template]
        guard t >= start && t < start + tp.spanPeriods else { return false }
        for (k, b) in breakStarts.enumerated() where k < tp.breaks.count {
            if t >= b && t < b + tp.breaks[k].durationPeriods { return false }
        }
        return true
    }
}

/// A solved schedule: shifts, and how each group's on-duty capacity is split over its queues per period.
public struct ShiftSchedule: Sendable {
    public var shifts: [ShiftBlock]
    /// `allocation[g][k][t]`: agents of group g planned on its k-th skill (order of `problem.skills(of: g)`) in
    /// absolute period t. Routing weights are these numbers normalised per queue and period.
    public var allocation: [[[Double]]]

    public init(shifts: [ShiftBlock], allocation: [[[Double]]]) {
        self.shifts = shifts
        self.allocation = allocation
    }

    /// Builds a schedule from shifts alone, allocating capacity with `Allocator`.
    public init(shifts: [ShiftBlock], problem: ScheduleProblem, weights: [Double]) {
        self.shifts = shifts.sorted { ($0.group, $0.start, $0.template, $0.breakStarts.first ?? 0) < ($1.group, $1.start, $1.template, $1.breakStarts.first ?? 0) }
        self.allocation = Allocator.allocate(onDuty: ShiftSchedule.onDuty(shifts, problem), problem: problem, coverageWeights: weights)
    }

    /// Agents on the queues per group and absolute period (horizon only).
    public static func onDuty(_ shifts: [ShiftBlock], _ p: ScheduleProblem) -> [[Double]] {
        var out = [[Double]](repeating: [Double](repeating: 0, count: p.horizon), count: p.groups.count)
        for s in shifts {
            let tp = p.templates[s.template]
            let end = min(s.start + tp.spanPeriods, p.horizon)
            guard s.start < end else { continue }
            for t in s.start ..< end { out[s.group][t] += Double(s.count) }
            for (k, b) in s.breakStarts.enumerated() where k < tp.breaks.count {
                for t in b ..< b + tp.breaks[k].durationPeriods where t >= 0 && t < p.horizon { out[s.group][t] -= Double(s.count) }
            }
        }
        return out
    }

    public func onDuty(_ p: ScheduleProblem) -> [[Double]] { ShiftSchedule.onDuty(shifts, p) }

    /// Agents planned per queue and absolute period (sum of the allocation).
    public func planned(_ p: ScheduleProblem) -> [[Double]] {
        var out = [[Double]](repeating: [Double](repeating: 0, count: p.horizon), count: p.queues.count)
        for g in p.groups.indices {
            for (k, s) in p.skills(of: g).enumerated() where k < allocation[g].count {
                let a = allocation[g][k]
                for t in 0 ..< p.horizon where a[t] != 0 { out[s.queue][t] += a[t] }
            }
        }
        return out
    }

    /// Paid agent-hours (unpaid breaks excluded).
    public func paidAgentHours(_ p: ScheduleProblem) -> Double {
        shifts.reduce(0) { $0 + Double($1.count * p.templates[$1.template].paidPeriods) } * p.hoursPerPeriod
    }

    public var shiftCount: Int { shifts.reduce(0) { $0 + $1.count } }
}

/// Coverage figures of a schedule.
public struct CoverageSummary: Sendable, Equatable {
    /// Required agent-hours.
    public var requiredHours: Double
    /// On-duty agent-hours (all groups, inside the horizon).
    public var onDutyHours: Double
    /// Short agent-hours (requirement not met by the allocation).
    public var shortHours: Double
    /// (queue, period) cells planned below the requirement.
    public var shortIntervals: Int
    /// 100 × (on-duty capacity − requirement + shortage) / requirement: every on-duty agent-hour beyond need.
    public var overPercent: Double

    public init(schedule: ShiftSchedule, problem p: ScheduleProblem) {
        let planned = schedule.planned(p)
        let duty = schedule.onDuty(p)
        var req = 0.0, short = 0.0, cells = 0
        for q in p.queues.indices {
            for t in 0 ..< p.horizon {
                let r = p.queues[q].requirement[t]
                req += r
                let s = r - planned[q][t]
                if s > 1e-6 { short += s; cells += 1 }
            }
        }
        let onDuty = duty.reduce(0) { $0 + $1.reduce(0, +) }
        requiredHours = req * p.hoursPerPeriod
        onDutyHours = onDuty * p.hoursPerPeriod
        shortHours = short * p.hoursPerPeriod
        shortIntervals = cells
        overPercent = req > 0 ? 100 * (onDuty - req + short) / req : 0
    }
}
