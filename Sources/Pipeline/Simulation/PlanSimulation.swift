import Foundation
import PlanningCore
import Reports
import Routing
import Simulation
import Staffing
import Store

/// The plan simulated as the floor would run it: the rostered agents (their on-queue time, breaks off, every
/// skill with its level) answering the forecast contacts of every queue (Poisson arrivals per interval,
/// lognormal handle times with the forecast's mean handle time and CV 1, exponential patience when the channel
/// has one), routed by static skill priority (an agent takes the longest-waiting contact of its best-level
/// queues). Shrinkage takes people off the queues: each rostered agent-interval on a queue is kept with
/// probability (1 - p)(1 - u) of the agent's primary queue on that weekday (a seeded draw, the same every run),
/// so meetings, coaching and absence are lost at random as they are on a real floor; breaks are the roster's
/// own. Replications on fixed seeds, so the same plan gives the same figures. The same roster is then run under
/// the plan's routing table (`weights`: agents carry their group, the instance the table) and delay-based
/// overflow on the same random numbers, and compared with the main run (`comparison`).
public struct PlanSimulation: Sendable {
    public static let replications = 20
    public static let seed: UInt64 = 1
    public static let policy = "priority"

    public var instance: SimInstance
    public var result: SimulationResult
    /// Service-level target per queue, and staffing's planned service level per queue and interval (the Erlang
    /// figure at the staffed agents, nil where staffing has none).
    public var targets: [String: Double]
    public var planned: [String: [Double?]]
    public var timeline: (firstDay: Int64, intervalMinutes: Int)
    /// The routing policies compared on the same random numbers (`comparedPolicies`, differences against `policy`).
    public var comparison: PolicyComparison?

    /// The policies the plan compares: the plan's weight table, static skill priority, delay-based overflow.
    public static let comparedPolicies = ["weights", "priority", "overflow"]

    /// The ccsim/1 instance of a roster with the staffing runs' forecast.
    public static func instance(_ doc: RosterDocument, runs: [Store.StaffingRun], configuration c: Configuration, zone: ZoneRules) -> SimInstance {
        let slots = doc.slots, minutes = Double(doc.intervalMinutes)
        let queues: [SimInstance.QueueSpec] = doc.queues.enumerated().map { q, name in
            let run = runs.first { $0.channel == name }
            let rows = run?.rows.filter { $0.aht.isFinite && $0.volume > 0 } ?? []
            let volume = rows.reduce(0) { $0 + $1.volume }
            let fallback = (try? c.staffing.settings(for: name))?.fallbackAHTSeconds ?? 180
            let aht = volume > 0 ? rows.reduce(0) { $0 + $1.volume * $1.aht } / volume : fallback
            let patience = (try? c.staffing.settings(for: name))?.patienceSeconds
            return SimInstance.QueueSpec(id: name, arrivalsPerInterval: doc.arrivals[q], ahtSeconds: aht, ahtCV: 1, patienceSeconds: patience)
        }
        var segments = [[(start: Double, end: Double)]](repeating: [], count: doc.agents.count)
        let floor = FloorRequirement(staffing: c.staffing, placedPlanned: doc.activityShare ?? 0)
        let grid = TimeGrid(validMinutes: doc.intervalMinutes) ?? .halfHour
        for sh in doc.shifts {
            let primary = doc.agents[sh.agent].skills.min { ($0.level, $0.queue) < ($1.level, $1.queue) }?.queue ?? ""
            for (k, q) in sh.queues.enumerated() where q >= 0 {
                let t = sh.firstSlot + k
                guard t >= 0 && t < slots else { continue }
                let sk = floor.shrinkage(channel: primary, local: grid.localSeconds(firstDay: doc.startDay, index: t))
                if keep(agent: sh.agent, slot: t, probability: (1 - sk.planned) * (1 - sk.unplanned)) {
                    segments[sh.agent].append((Double(t) * minutes, Double(t + 1) * minutes))
                }
            }
        }
        let agents = doc.agents.enumerated().map { i, a in
            SimInstance.AgentSpec(
                id: a.id, skills: a.skills.map { ($0.queue, $0.level) }, segments: merged(segments[i].sorted { $0.start < $1.start }), group: a.group)
        }
        var inst = SimInstance(
            name: "plan", intervalMinutes: minutes, intervals: slots, slThresholdSeconds: c.workspace.service.answerSeconds,
            queues: queues, agents: agents, replications: replications, seed: seed)
        // The plan's routing table (routing.csv), for the `weights` policy.
        inst.routing = doc.routing.rows.map {
            RoutingRow(interval: $0.period, queue: $0.queue, group: $0.group, weight: $0.weight, plannedAgents: $0.plannedAgents, fallback: $0.fallback)
        }
        return inst
    }

    /// A seeded draw per agent and slot: true with `probability`.
    static func keep(agent: Int, slot: Int, probability: Double) -> Bool {
        guard probability < 1 else { return true }
        var g = SplitMix64(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(agent) &* 1_000_003 &+ UInt64(slot))
        return Double(g.next() >> 11) / Double(1 << 53) < probability
    }

    static func merged(_ s: [(start: Double, end: Double)]) -> [(start: Double, end: Double)] {
        var out: [(start: Double, end: Double)] = []
        for x in s {
            if let last = out.last, x.start <= last.end { out[out.count - 1].end = max(last.end, x.end) } else { out.append(x) }
        }
        return out
    }

    /// Simulates the plan; nil when there is nothing to simulate.
    public static func run(_ doc: RosterDocument, runs: [Store.StaffingRun], configuration c: Configuration, zone: ZoneRules) -> PlanSimulation? {
        let inst = instance(doc, runs: runs, configuration: c, zone: zone)
        guard inst.intervals > 0, !inst.agents.isEmpty else { return nil }
        let model = SimModel(inst)
        var options = RunOptions(replications: replications, seed: seed)
        options.keepCells = true
        // The main run first, then the others on the same random numbers (common random numbers).
        let simulated = ([policy] + comparedPolicies.filter { $0 != policy }).compactMap { Simulator.run(model, policy: $0, options: options) }
        guard let r = simulated.first else { return nil }
        var targets: [String: Double] = [:]
        var planned: [String: [Double?]] = [:]
        let grid = TimeGrid(validMinutes: doc.intervalMinutes) ?? .halfHour
        for q in doc.queues {
            targets[q] = (try? c.staffing.settings(for: q))?.targets.serviceLevel ?? c.workspace.service.serviceLevel
            var v = [Double?](repeating: nil, count: doc.slots)
            if let run = runs.first(where: { $0.channel == q }) {
                for row in run.rows where row.serviceLevel.isFinite {
                    let t = grid.slot(ofMinute: Int((zone.local(fromUTC: row.ts) - LocalDateTime.startOfDay(doc.startDay)) / 60))
                    if t >= 0 && t < doc.slots { v[t] = row.serviceLevel }
                }
            }
            planned[q] = v
        }
        let comparison = try? PolicyComparison.compare(simulated, target: { targets[$0] ?? c.workspace.service.serviceLevel }, minimumOffered: minimumOffered)
        return PlanSimulation(
            instance: inst, result: r, targets: targets, planned: planned, timeline: (doc.startDay, doc.intervalMinutes), comparison: comparison)
    }

    /// Queue-intervals with at least this many contacts (mean over replications) count in the miss figures.
    public static let minimumOffered = 10.0

    /// Queue-intervals with enough contacts whose simulated service level misses the target.
    public var misses: [SimulationResult.IntervalSummary] {
        result.byInterval.filter { $0.offered >= Self.minimumOffered && ($0.serviceLevel.value ?? 1) < (targets[$0.queue] ?? 0.8) - 1e-9 }
    }

    public var counted: Int { result.byInterval.filter { $0.offered >= Self.minimumOffered }.count }

    public func label(_ t: Int) -> String {
        RoutingTableLabel.label(firstDay: timeline.firstDay, intervalMinutes: timeline.intervalMinutes, t)
    }

    /// simulation.csv: one row per queue and interval with contacts.
    public func table() -> Table {
        var t = Table(columns: ["interval_start", "queue", "offered", "answered", "abandoned", "service_level", "service_level_ci95", "planned_service_level", "target"])
        for r in result.byInterval where r.offered > 0 {
            t.rows.append([
                .text(label(r.interval)), .text(r.queue), .number(r.offered, decimals: 2), .number(r.answered, decimals: 2), .number(r.abandoned, decimals: 2),
                r.serviceLevel.value.map { .number($0, decimals: 4) } ?? .null, r.serviceLevel.halfWidth.map { .number($0, decimals: 4) } ?? .null,
                (planned[r.queue]?[r.interval] ?? nil).map { .number($0, decimals: 4) } ?? .null, .number(targets[r.queue] ?? 0, decimals: 2)
            ])
        }
        return t
    }

    /// Per queue: contacts, target, staffing's planned (Erlang) mean service level, the simulated one with its 95%
    /// half-width, abandonment and the intervals that miss the target.
    public func queueTable() -> Table {
        var t = Table(columns: ["queue", "contacts", "target %", "planned %", "simulated %", "ci95 ±", "abandoned %", "intervals missing"])
        let misses = self.misses
        for q in result.queues {
            let p = (planned[q.queue] ?? []).compactMap { $0 }
            t.rows.append([
                .text(q.queue), .number(q.offered, decimals: 0), .number((targets[q.queue] ?? 0) * 100, decimals: 0),
                p.isEmpty ? .null : .number(100 * p.reduce(0, +) / Double(p.count), decimals: 1),
                q.serviceLevel.value.map { .number($0 * 100, decimals: 1) } ?? .null, q.serviceLevel.halfWidth.map { .number($0 * 100, decimals: 1) } ?? .null,
                q.abandonPercent.value.map { .number($0, decimals: 1) } ?? .null, .int(misses.filter { $0.queue == q.queue }.count)
            ])
        }
        return t
    }

    /// One line on what overtime buys: this plan's simulated service level and misses beside `other`'s (the same
    /// roster with the overtime offers, on the same random numbers).
    public func overtimeLine(_ other: PlanSimulation, offers: Int, hours: Double) -> String {
        func sl(_ p: PlanSimulation) -> String { p.result.total.serviceLevel.value.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a" }
        return "with the \(offers) overtime offers (\(String(format: "%.0f", hours)) h) simulated service level \(sl(self)) -> \(sl(other)), "
            + "queue-intervals missing their target \(misses.count) -> \(other.misses.count) of \(counted)"
    }

    /// One line: overall simulated service level and the misses.
    public var summaryLine: String {
        let total = result.total
        let sl = total.serviceLevel.value.map { String(format: "%.1f%%", $0 * 100) } ?? "n/a"
        let hw = total.serviceLevel.halfWidth.map { String(format: " ± %.1f", $0 * 100) } ?? ""
        return
            "simulated (\(result.replications) replications, \(Self.policy) routing, \(instance.agents.count) rostered agents less shrinkage): service level \(sl)\(hw) within \(Int(instance.slThresholdSeconds)) s, abandoned \(String(format: "%.1f", total.abandonPercent.value ?? 0))%; \(misses.count) of \(counted) queue-intervals with \(Int(Self.minimumOffered))+ contacts miss their target"
    }
}

/// Interval labels on a plan's grid.
enum RoutingTableLabel {
    static func label(firstDay: Int64, intervalMinutes: Int, _ t: Int) -> String {
        let grid = TimeGrid(validMinutes: intervalMinutes) ?? .halfHour
        return String(Civil.formatLocal(grid.localSeconds(firstDay: firstDay, index: t)).prefix(16))
    }
}
