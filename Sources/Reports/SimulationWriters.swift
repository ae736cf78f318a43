import Foundation
import Simulation

/// Renders simulation results as a table, CSV or the reference's JSON object (`peakplan simulate`).
public enum SimulationText {
    /// The rows: per queue with the total, per queue and arrival interval, or per agent (occupancy).
    public enum View: String, CaseIterable, Sendable { case queue, interval, agent }

    public static func render(_ r: SimulationResult, instance: String, seconds: Double, by: View, format: OutputFormat) -> String {
        if format == .json { return json(r, instance: instance, seconds: seconds, by: by) }
        let eps = seconds > 0 ? Double(r.events) / seconds : 0
        let title =
            format == .table
            ? "Simulation of \(instance): policy \(r.policy), \(r.replications) replication\(r.replications == 1 ? "" : "s"), seed \(r.seed), SL threshold \(fmt(r.slThreshold)) s; \(grouped(r.events)) events in \(String(format: "%.3f", seconds)) s (\(grouped(Int(eps.rounded()))) events/s)"
            : nil
        switch by {
        case .queue:
            var t = Table(
                title: title, columns: ["queue", "offered", "answered", "abandoned", "still_waiting", "sl", "sl_ci95", "asa_s", "asa_ci95", "abandon_pct", "abandon_ci95"])
            for q in r.queues + [r.total] {
                t.rows.append([
                    .text(q.queue), .number(q.offered, decimals: 2), .number(q.answered, decimals: 2), .number(q.abandoned, decimals: 2),
                    .number(q.stillWaiting, decimals: 2), num(q.serviceLevel.value, 4), num(q.serviceLevel.halfWidth, 4),
                    num(q.asaSeconds.value, 2), num(q.asaSeconds.halfWidth, 2), num(q.abandonPercent.value, 2), num(q.abandonPercent.halfWidth, 2)
                ])
            }
            return t.render(format)
        case .interval:
            var t = Table(
                title: title, columns: ["queue", "interval", "start_minute", "offered", "answered", "answered_within", "abandoned", "sl", "sl_ci95", "asa_s", "abandon_pct"])
            for row in r.byInterval {
                t.rows.append([
                    .text(row.queue), .int(row.interval), .number(Double(row.interval) * r.intervalMinutes, decimals: 0), .number(row.offered, decimals: 3),
                    .number(row.answered, decimals: 3), .number(row.answeredWithin, decimals: 3), .number(row.abandoned, decimals: 3),
                    num(row.serviceLevel.value, 4), num(row.serviceLevel.halfWidth, 4), num(row.asaSeconds, 2), num(row.abandonPercent, 2)
                ])
            }
            return t.render(format)
        case .agent:
            var t = Table(title: title, columns: ["agent", "occupancy", "occupancy_ci95"])
            for (a, id) in r.agentIDs.enumerated() {
                let v = r.agentOccupancy[a].compactMap { $0 }
                t.rows.append([.text(id), num(r.meanOccupancy[a], 4), num(Stats.halfWidth(v), 4)])
            }
            return t.render(format)
        }
    }

    static func fmt(_ x: Double) -> String { x == x.rounded() ? String(Int(x)) : String(x) }

    static func num(_ x: Double?, _ decimals: Int) -> Cell { x.map { .number($0, decimals: decimals) } ?? .null }

    /// A number rounded to `decimals` places as the reference writes it (Python floats: `0.0`, `7.786`), or null.
    static func j(_ x: Double?, _ decimals: Int) -> JSONOutput.Rounded? { x.map { JSONOutput.Rounded($0, decimals, pythonFloat: true) } }

    /// `--format json`: the reference simulator's keys in its order, then ours (policy, seed, ci95, views).
    struct Document: Encodable {
        struct Summary: Encodable {
            struct CI: Encodable { var sl, asa_s, abandon_pct: JSONOutput.Rounded? }
            var offered, answered, abandoned, sl, asa_s, abandon_pct, answered_within, still_waiting: JSONOutput.Rounded?
            var ci95: CI
            init(_ q: SimulationResult.QueueSummary) {
                offered = SimulationText.j(q.offered, 3); answered = SimulationText.j(q.answered, 3); abandoned = SimulationText.j(q.abandoned, 3)
                sl = SimulationText.j(q.serviceLevel.value, 5); asa_s = SimulationText.j(q.asaSeconds.value, 3); abandon_pct = SimulationText.j(q.abandonPercent.value, 3)
                answered_within = SimulationText.j(q.answeredWithin, 3); still_waiting = SimulationText.j(q.stillWaiting, 3)
                ci95 = CI(
                    sl: SimulationText.j(q.serviceLevel.halfWidth, 5), asa_s: SimulationText.j(q.asaSeconds.halfWidth, 3),
                    abandon_pct: SimulationText.j(q.abandonPercent.halfWidth, 3))
            }
        }
        struct Replications: Encodable { var sl, abandon_pct, asa_s: [JSONOutput.Rounded?] }
        struct Interval: Encodable {
            var queue: String
            var interval: Int
            var offered, answered, answered_within, abandoned, sl, sl_ci95, asa_s, abandon_pct: JSONOutput.Rounded?
        }
        var instance: String
        var replications: Int
        var seconds: JSONOutput.Rounded?
        var events: Int
        var events_per_second: Int?
        var policy: String
        var seed: UInt64
        var sl_threshold_s: JSONOutput.Rounded?
        var queues: JSONOutput.OrderedObject<Summary>
        var total: Summary
        var per_replication: JSONOutput.OrderedObject<Replications>
        /// Only with --by interval / --by agent (absent otherwise).
        var intervals: [Interval]?
        var agents: JSONOutput.OrderedObject<JSONOutput.Rounded?>?

        enum CodingKeys: String, CodingKey {
            case instance, replications, seconds, events, events_per_second, policy, seed, sl_threshold_s, queues, total, per_replication, intervals, agents
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(instance, forKey: .instance); try c.encode(replications, forKey: .replications)
            try c.encode(seconds, forKey: .seconds); try c.encode(events, forKey: .events)
            try c.encode(events_per_second, forKey: .events_per_second); try c.encode(policy, forKey: .policy)
            try c.encode(seed, forKey: .seed); try c.encode(sl_threshold_s, forKey: .sl_threshold_s)
            try c.encode(queues, forKey: .queues); try c.encode(total, forKey: .total); try c.encode(per_replication, forKey: .per_replication)
            if let intervals { try c.encode(intervals, forKey: .intervals) }
            if let agents { try c.encode(agents, forKey: .agents) }
        }
    }

    static func document(_ r: SimulationResult, instance: String, seconds: Double, by: View) -> Document {
        var d = Document(
            instance: instance, replications: r.replications, seconds: j(seconds, 3), events: r.events,
            events_per_second: seconds > 0 ? Int((Double(r.events) / seconds).rounded()) : nil, policy: r.policy, seed: r.seed,
            sl_threshold_s: j(r.slThreshold, 3), queues: .init(r.queues.map { ($0.queue, .init($0)) }), total: .init(r.total),
            per_replication: .init(
                r.queueIDs.indices.map { q in
                    let reps = r.perReplication[q]
                    return (
                        r.queueIDs[q], .init(sl: reps.map { j($0.serviceLevel, 6) }, abandon_pct: reps.map { j($0.abandonPercent, 4) }, asa_s: reps.map { j($0.asaSeconds, 4) })
                    )
                }))
        switch by {
        case .queue: break
        case .interval:
            d.intervals = r.byInterval.map { row in
                .init(
                    queue: row.queue, interval: row.interval, offered: j(row.offered, 4), answered: j(row.answered, 4), answered_within: j(row.answeredWithin, 4),
                    abandoned: j(row.abandoned, 4), sl: j(row.serviceLevel.value, 5), sl_ci95: j(row.serviceLevel.halfWidth, 5), asa_s: j(row.asaSeconds, 3),
                    abandon_pct: j(row.abandonPercent, 3))
            }
        case .agent:
            d.agents = .init(r.agentIDs.indices.map { (r.agentIDs[$0], j(r.meanOccupancy[$0], 5)) })
        }
        return d
    }

    static func json(_ r: SimulationResult, instance: String, seconds: Double, by: View) -> String {
        JSONOutput.render(document(r, instance: instance, seconds: seconds, by: by))
    }
}
