import PlanningCore

/// One interval of demand for one channel, as `peakplan staff` reads it from a forecast or a CSV.
public struct IntervalDemand: Sendable, Equatable {
    /// Interval start in UTC seconds (orders the intervals; deadline windows count on this grid).
    public var utc: Int64
    /// Interval start as local wall-clock seconds (weekday shrinkage, business hours, messages).
    public var local: Int64
    /// Contacts to staff to (already the chosen forecast quantile).
    public var volume: Double
    /// Mean handle time in seconds; NaN = unknown (the channel's `aht_seconds` fallback applies).
    public var ahtSeconds: Double

    public init(utc: Int64, local: Int64, volume: Double, ahtSeconds: Double) {
        self.utc = utc; self.local = local; self.volume = volume; self.ahtSeconds = ahtSeconds
    }
}

/// The requirement of one interval. Metrics describe the queue at `agents` (nil where the model has no such
/// figure: Erlang C has no abandonment; deadline work has no service level, ASA or abandonment; an unstable
/// Erlang C queue has no finite ASA).
public struct IntervalRequirement: Sendable, Equatable {
    public var volume: Double
    /// Handle time used (the fallback where the input had none); NaN when nothing arrives and none is known.
    public var ahtSeconds: Double
    /// Productive (on-queue) agents planned: the fewest meeting every target, capped at `max_agents`.
    public var agents: Int
    /// The exact continuous requirement (capped at `max_agents` too).
    public var agentsFractional: Double
    /// Agents to schedule for `agents` on queue after planned and unplanned shrinkage (not rounded).
    public var scheduled: Double
    /// The uncapped requirement (equals `agents` unless `max_agents` binds).
    public var needed: Int
    public var serviceLevel: Double?
    public var asaSeconds: Double?
    public var occupancy: Double?
    public var probAbandon: Double?
    /// Chat: chats per agent used.
    public var concurrency: Int?
    /// Deadline work: unfinished work after the interval, agent-intervals.
    public var backlog: Double?
    /// Erlang C (or chat without patience) at or below the offered load: no steady state, waits grow without bound.
    public var unstable: Bool
}

/// A channel's requirement per interval plus what the caller should tell the user.
public struct RequirementPlan: Sendable, Equatable {
    public var rows: [IntervalRequirement]
    /// Indices where the requirement exceeded `max_agents`.
    public var capped: [Int]
    /// Indices where the capped staffing leaves an Erlang C queue without steady state.
    public var unstable: [Int]
    /// Deadline work: indices of intervals whose deadline is missed with the capped curve, and the work late.
    public var missedDeadlines: [MissedDeadline]
    /// Deadline work still open at the end of the horizon (agent-intervals).
    public var carriedOut: Double

    /// Productive agent-hours (whole agents) and of the continuous requirement, and scheduled agent-hours.
    public func agentHours(intervalMinutes: Int) -> (whole: Double, fractional: Double, scheduled: Double) {
        let h = LocalDateTime.hours(minutes: intervalMinutes)
        return (
            rows.reduce(0) { $0 + Double($1.agents) } * h, rows.reduce(0) { $0 + $1.agentsFractional } * h,
            rows.reduce(0) { $0 + $1.scheduled } * h
        )
    }
}

/// Why an interval could not be staffed. `index` is the position in the demand array.
public struct RequirementError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The interval's data is unusable (exit 65).
        case data
        /// A setting is missing: `key` names it (exit 78).
        case missingSetting(key: String)
    }
    public var kind: Kind
    public var index: Int
    public var message: String
    public var description: String { message }
}

/// Turns intervals of volume and handle time into agents with the channel's model (see `ChannelStaffingModel`).
///
/// Erlang C / A: `StaffSolver.solve` (whole agents) and `solveFractional` (continuous requirement) per interval.
/// Chat: `ChatStaffing.solve` over caps 1...k; the continuous requirement is the least over caps j of the
/// fractional slot requirement / j. Deadline: one `DeadlineWork` over the UTC grid of the intervals (gaps count
/// as intervals with no work), window = floor(deadline_hours / interval length) business intervals (at least 1,
/// so work is finished no later than its deadline), the levelled or latest curve, whole agents rounded up per
/// interval (more capacity never delays earliest-deadline-first work). Shrinkage by local weekday.
/// `max_agents` caps the plan: the metrics are then those of the cap, Erlang C at or below the load is marked
/// unstable instead of failing, and deadline misses are listed.
public enum RequirementPlanner {
    public static func plan(_ s: ChannelStaffingSettings, intervalMinutes: Int, demand: [IntervalDemand]) throws(RequirementError) -> RequirementPlan {
        let iv = Double(LocalDateTime.seconds(minutes: intervalMinutes))
        var plan = RequirementPlan(rows: [], capped: [], unstable: [], missedDeadlines: [], carriedOut: 0)
        // Validate every interval first: a bad one stops the whole channel.
        var aht = [Double](repeating: .nan, count: demand.count)
        for (k, d) in demand.enumerated() {
            guard d.volume.isFinite, d.volume >= 0 else {
                throw RequirementError(kind: .data, index: k, message: "volume \(StaffingError.show(d.volume)) must be a finite number >= 0")
            }
            if d.ahtSeconds.isNaN {
                if let f = s.fallbackAHTSeconds {
                    aht[k] = f
                } else if d.volume > 0 {
                    throw RequirementError(
                        kind: .missingSetting(key: "staffing.aht_seconds"), index: k,
                        message:
                            "no handle time for volume \(StaffingError.show((d.volume * 100).rounded() / 100)): the input has none; set aht_seconds in [staffing] or [[staffing.channels]] for channel \(s.channel)"
                    )
                }
            } else {
                guard d.ahtSeconds.isFinite, d.ahtSeconds >= 0 else {
                    throw RequirementError(kind: .data, index: k, message: "aht_seconds \(StaffingError.show(d.ahtSeconds)) must be a finite number >= 0")
                }
                if d.ahtSeconds == 0 && d.volume > 0 {
                    throw RequirementError(
                        kind: .data, index: k,
                        message:
                            "aht_seconds is 0 with volume \(StaffingError.show((d.volume * 100).rounded() / 100)): contacts without handle time cannot be staffed; give the mean handle time in seconds (> 0)"
                    )
                }
                aht[k] = d.ahtSeconds
            }
        }
        if s.model == .deadline {
            try deadline(s, intervalSeconds: iv, demand: demand, aht: aht, into: &plan)
        } else {
            for k in demand.indices {
                plan.rows.append(try queue(s, intervalSeconds: iv, volume: demand[k].volume, aht: aht[k], index: k))
                if plan.rows[k].needed > plan.rows[k].agents { plan.capped.append(k) }
                if plan.rows[k].unstable { plan.unstable.append(k) }
            }
        }
        for k in demand.indices {
            let (day, second) = Civil.split(demand[k].local)
            plan.rows[k].scheduled = s.shrinkage(weekday: Civil.weekday(ofDay: day), minute: Int(second / 60)).scheduled(productive: Double(plan.rows[k].agents))
        }
        return plan
    }

    /// Erlang C / A / chat for one interval.
    static func queue(_ s: ChannelStaffingSettings, intervalSeconds iv: Double, volume: Double, aht: Double, index k: Int) throws(RequirementError) -> IntervalRequirement {
        let t = s.targets.serviceSeconds
        var row = IntervalRequirement(
            volume: volume, ahtSeconds: aht, agents: 0, agentsFractional: 0, scheduled: 0, needed: 0,
            serviceLevel: 1, asaSeconds: 0, occupancy: 0, probAbandon: s.patienceSeconds == nil ? nil : 0,
            concurrency: s.model == .chat ? 1 : nil, backlog: nil, unstable: false)
        guard volume > 0 else { return row }
        do {
            let load = try QueueLoad(arrivals: volume, intervalSeconds: iv, ahtSeconds: aht, patienceSeconds: s.patienceSeconds)
            var metrics: QueueMetrics
            if s.model == .chat {
                let q = try ChatQueue(load: load, concurrencyFactors: s.concurrencyFactors)
                let m = ChatStaffing.model(q)
                let r = try ChatStaffing.solve(q, targets: s.targets)
                var frac = Double(r.agents)
                for j in 1...q.maxConcurrency {
                    if let f = try? StaffSolver.solveFractional(m, load: try q.slotLoad(concurrency: j), targets: s.targets) {
                        frac = min(frac, f.agents / Double(j))
                    }
                }
                row.needed = r.agents; row.agents = r.agents; row.agentsFractional = frac; row.concurrency = r.concurrency
                metrics = r.metrics
                if let cap = s.maxAgents, r.agents > cap {
                    row.agents = cap; row.agentsFractional = min(frac, Double(cap)); row.concurrency = q.maxConcurrency
                    do { metrics = try ChatStaffing.metrics(q, agents: cap, serviceSeconds: t).metrics } catch StaffingError.unstable {
                        return unstable(row)
                    }
                }
            } else {
                let model: QueueModel = s.model == .erlangA ? .erlangA : .erlangC
                let whole = try StaffSolver.solve(model, load: load, targets: s.targets)
                let frac = try StaffSolver.solveFractional(model, load: load, targets: s.targets)
                row.needed = whole.agents; row.agents = whole.agents; row.agentsFractional = frac.agents
                metrics = whole.metrics
                if let cap = s.maxAgents, whole.agents > cap {
                    row.agents = cap; row.agentsFractional = min(frac.agents, Double(cap))
                    if model == .erlangC && Double(cap) <= load.offeredLoad { return unstable(row) }
                    metrics = try model.metrics(load, agents: cap, serviceSeconds: t)
                }
            }
            row.serviceLevel = metrics.serviceLevel
            row.asaSeconds = metrics.asaSeconds
            row.occupancy = metrics.occupancy
            row.probAbandon = metrics.probAbandon
            return row
        } catch let e as StaffingError {
            throw RequirementError(kind: .data, index: k, message: e.description)
        } catch {
            throw RequirementError(kind: .data, index: k, message: "\(error)")
        }
    }

    /// Erlang C at or below its load: every arrival waits, the queue grows for as long as the overload lasts.
    static func unstable(_ r: IntervalRequirement) -> IntervalRequirement {
        var row = r
        row.unstable = true
        row.serviceLevel = 0
        row.asaSeconds = nil
        row.occupancy = 1
        row.probAbandon = nil
        return row
    }

    static func deadline(
        _ s: ChannelStaffingSettings, intervalSeconds iv: Double, demand: [IntervalDemand], aht: [Double],
        into plan: inout RequirementPlan
    ) throws(RequirementError) {
        guard let first = demand.first else { return }
        let step = Int64(iv)
        // Grid positions on the UTC axis; the demand must be ordered and on one grid.
        var pos = [Int](repeating: 0, count: demand.count)
        for (k, d) in demand.enumerated() {
            let off = d.utc - first.utc
            guard off % step == 0, k == 0 || d.utc > demand[k - 1].utc else {
                throw RequirementError(
                    kind: .data, index: k,
                    message: "interval is not on the \(Int(iv / 60))-minute grid after the previous one (deadline work needs ordered intervals of one length)")
            }
            pos[k] = Int(off / step)
        }
        let n = (pos.last ?? 0) + 1
        guard n <= 10_000_000 else { throw RequirementError(kind: .data, index: demand.count - 1, message: "the intervals span more than 10 million intervals") }
        var workload = [Double](repeating: 0, count: n)
        var open = [Bool](repeating: false, count: n)
        // Local time of a grid slot: that of the nearest given interval at or before it, plus the steps since.
        var j = 0
        for g in 0..<n {
            while j + 1 < demand.count && pos[j + 1] <= g { j += 1 }
            let local = demand[j].local + Int64(g - pos[j]) * step
            open[g] = s.isOpen(localSeconds: local)
        }
        for (k, d) in demand.enumerated() where d.volume > 0 { workload[pos[k]] += d.volume * aht[k] / iv }
        let window = max(1, Int((s.deadlineHours * Double(TimeGrid.secondsPerHour) / iv + 1e-9).rounded(.down)))
        let work: DeadlineWork
        do { work = try DeadlineWork(workload: workload, window: window, open: open) } catch {
            throw RequirementError(kind: .data, index: 0, message: "\(error)")
        }
        let curve = s.deadlineCurve == .levelled ? DeadlineStaffing.levelled(work) : DeadlineStaffing.latest(work)
        var whole = curve.staffing.map { max(0, Int(($0 - 1e-9 * max(1, $0)).rounded(.up))) }
        if let cap = s.maxAgents, whole.contains(where: { $0 > cap }) {
            whole = whole.map { min($0, cap) }
            let missed = (try? DeadlineStaffing.missedDeadlines(staffing: whole.map(Double.init), work: work)) ?? []
            // Map grid positions back to demand indices (the nearest given interval at or before).
            plan.missedDeadlines = missed.map { m in MissedDeadline(interval: pos.lastIndex { $0 <= m.interval } ?? 0, amount: m.amount) }
        }
        plan.carriedOut = curve.carriedOut
        for (k, d) in demand.enumerated() {
            let g = pos[k]
            let needed = max(0, Int((curve.staffing[g] - 1e-9 * max(1, curve.staffing[g])).rounded(.up)))
            let agents = whole[g]
            let done = min(curve.staffing[g], Double(agents))
            plan.rows.append(
                IntervalRequirement(
                    volume: d.volume, ahtSeconds: aht[k], agents: agents, agentsFractional: min(curve.staffing[g], Double(agents)),
                    scheduled: 0, needed: needed, serviceLevel: nil, asaSeconds: nil,
                    occupancy: agents > 0 ? min(1, done / Double(agents)) : 0, probAbandon: nil,
                    concurrency: nil, backlog: curve.backlog[g], unstable: false))
            if needed > agents { plan.capped.append(k) }
        }
    }
}
