import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Reports
import Simulation

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Discrete-event simulation of a multi-skill contact centre from a ccsim/1 instance: service level, ASA, abandonment per queue.",
        discussion: """
        Reads a ccsim/1 JSON instance (queues with expected arrivals per interval,
        handle time mean/CV/distribution and patience; agents with skills by level
        and on-queue segments; Datasets/simulation/README.md) and simulates it:
        Poisson arrivals with a rate constant within each interval, lognormal or
        exponential handle times, exponential patience (abandonment), agents who
        finish a contact at a segment's end and then leave. Routing policies
        (--policy): priority = static priority by skill level (best level first;
        the longest-idle agent takes an arriving contact; a freed agent takes the
        longest-waiting contact of its best level with anyone waiting);
        overflow = delay-based overflow (a contact is for the agents whose best
        level includes its queue; after --overflow-delay seconds of waiting,
        agents with the queue as a secondary skill may take it too).

        Definitions (per arrival interval, pooled over replications): service
        level = answered within sl_threshold_s / offered (abandoned contacts count
        as not answered in time); ASA = mean wait of the answered contacts;
        abandonment % = abandoned / offered. 95% confidence half-widths (ci95) are
        Student t over the per-replication values. Replication r uses streams
        seeded from seed x 1,000,003 + r: the same seed gives the same results.

        --by queue (default) prints one row per queue and the total; --by interval
        one row per queue and arrival interval; --by agent each agent's mean
        occupancy (busy time inside its segments / segment time). --format json
        prints ONE object with the reference simulator's keys (instance,
        replications, seconds, events, events_per_second, queues, total,
        per_replication) plus policy, seed and ci95 per queue; seconds is the
        simulation time (reading the file excluded).

        Examples:
          peakplan simulate --instance Datasets/simulation/erlang_c_check.json
          peakplan simulate --instance Datasets/simulation/anonbank_demo_2w.json \\
            --replications 20 --seed 1 --format json
          peakplan simulate --instance Datasets/simulation/anonbank_demo_2w.json --by interval --format csv --out intervals.csv
          peakplan simulate --instance Datasets/simulation/synthetic_20q_1w.json --policy overflow --overflow-delay 20
        """
    )

    enum ByArg: String, ExpressibleByArgument, CaseIterable { case queue, interval, agent }

    @Option(help: ArgumentHelp("The ccsim/1 instance (JSON).", valueName: "file")) var instance: String
    @Option(help: "Replications (default: the instance's \"replications\", else 10).") var replications: Int?
    @Option(help: "Seed (default: the instance's \"seed\", else 1).") var seed: UInt64?
    @Option(help: ArgumentHelp("Routing policy: \(RoutingPolicies.all.map(\.name).joined(separator: ", ")).", valueName: "name"))
    var policy: String = "priority"
    @Option(name: .customLong("overflow-delay"), help: ArgumentHelp("overflow: seconds a contact waits for its own (best-level) agents before secondary agents may take it.", valueName: "seconds"))
    var overflowDelay: Double = 30
    @Option(help: "Rows: queue (per queue and total), interval (per queue and arrival interval) or agent (occupancy).") var by: ByArg = .queue
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let r = replications, r < 1 || r > 100_000 { throw ValidationError("--replications must be between 1 and 100000") }
        guard overflowDelay.isFinite && overflowDelay >= 0 else { throw ValidationError("--overflow-delay must be a number of seconds >= 0") }
        guard RoutingPolicies.named(policy) != nil else {
            throw ValidationError("--policy: unknown policy \"\(policy)\"; use one of: \(RoutingPolicies.all.map(\.name).joined(separator: ", "))")
        }
    }

    func run() throws {
        do {
            let inst = try SimulationStage.loadInstance(instance)
            let reps = replications ?? inst.replications
            let progress = Progress("simulate")
            let model = SimModel(inst)
            let clock = ContinuousClock()
            let t0 = clock.now
            var options = RunOptions(replications: reps, seed: seed ?? inst.seed, progress: { done in
                progress.update(Double(done) / Double(reps))
            })
            options.routing.overflowDelaySeconds = overflowDelay
            let result = RoutingPolicies.named(policy)!.run(model, options)
            let d = clock.now - t0
            progress.finish()
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            let name = inst.name.isEmpty ? instance : inst.name
            try output.emit(SimulationRender.render(result, instance: name, seconds: seconds, by: by, format: output.format.format))
        } catch { throw failure(error) }
    }
}

/// Renders simulation results as a table, CSV or the reference's JSON object.
enum SimulationRender {
    static func render(_ r: SimulationResult, instance: String, seconds: Double, by: SimulateCommand.ByArg, format: OutputFormat) -> String {
        if format == .json { return json(r, instance: instance, seconds: seconds, by: by) }
        let eps = seconds > 0 ? Double(r.events) / seconds : 0
        let title = format == .table
            ? "Simulation of \(instance): policy \(r.policy), \(r.replications) replication\(r.replications == 1 ? "" : "s"), seed \(r.seed), SL threshold \(fmt(r.slThreshold)) s; \(grouped(r.events)) events in \(String(format: "%.3f", seconds)) s (\(grouped(Int(eps.rounded()))) events/s)"
            : nil
        switch by {
        case .queue:
            var t = Table(title: title, columns: ["queue", "offered", "answered", "abandoned", "still_waiting", "sl", "sl_ci95", "asa_s", "asa_ci95", "abandon_pct", "abandon_ci95"])
            for q in r.queues + [r.total] {
                t.rows.append([.text(q.queue), .number(q.offered, decimals: 2), .number(q.answered, decimals: 2), .number(q.abandoned, decimals: 2),
                               .number(q.stillWaiting, decimals: 2), num(q.serviceLevel.value, 4), num(q.serviceLevel.halfWidth, 4),
                               num(q.asaSeconds.value, 2), num(q.asaSeconds.halfWidth, 2), num(q.abandonPercent.value, 2), num(q.abandonPercent.halfWidth, 2)])
            }
            return t.render(format)
        case .interval:
            var t = Table(title: title, columns: ["queue", "interval", "start_minute", "offered", "answered", "answered_within", "abandoned", "sl", "sl_ci95", "asa_s", "abandon_pct"])
            for row in r.byInterval {
                t.rows.append([.text(row.queue), .int(row.interval), .number(Double(row.interval) * r.intervalMinutes, decimals: 0), .number(row.offered, decimals: 3),
                               .number(row.answered, decimals: 3), .number(row.answeredWithin, decimals: 3), .number(row.abandoned, decimals: 3),
                               num(row.serviceLevel.value, 4), num(row.serviceLevel.halfWidth, 4), num(row.asaSeconds, 2), num(row.abandonPercent, 2)])
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
                offered = SimulationRender.j(q.offered, 3); answered = SimulationRender.j(q.answered, 3); abandoned = SimulationRender.j(q.abandoned, 3)
                sl = SimulationRender.j(q.serviceLevel.value, 5); asa_s = SimulationRender.j(q.asaSeconds.value, 3); abandon_pct = SimulationRender.j(q.abandonPercent.value, 3)
                answered_within = SimulationRender.j(q.answeredWithin, 3); still_waiting = SimulationRender.j(q.stillWaiting, 3)
                ci95 = CI(sl: SimulationRender.j(q.serviceLevel.halfWidth, 5), asa_s: SimulationRender.j(q.asaSeconds.halfWidth, 3), abandon_pct: SimulationRender.j(q.abandonPercent.halfWidth, 3))
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

    static func document(_ r: SimulationResult, instance: String, seconds: Double, by: SimulateCommand.ByArg) -> Document {
        var d = Document(
            instance: instance, replications: r.replications, seconds: j(seconds, 3), events: r.events,
            events_per_second: seconds > 0 ? Int((Double(r.events) / seconds).rounded()) : nil, policy: r.policy, seed: r.seed,
            sl_threshold_s: j(r.slThreshold, 3), queues: .init(r.queues.map { ($0.queue, .init($0)) }), total: .init(r.total),
            per_replication: .init(r.queueIDs.indices.map { q in
                let reps = r.perReplication[q]
                return (r.queueIDs[q], .init(sl: reps.map { j($0.serviceLevel, 6) }, abandon_pct: reps.map { j($0.abandonPercent, 4) }, asa_s: reps.map { j($0.asaSeconds, 4) }))
            }))
        switch by {
        case .queue: break
        case .interval:
            d.intervals = r.byInterval.map { row in
                .init(queue: row.queue, interval: row.interval, offered: j(row.offered, 4), answered: j(row.answered, 4), answered_within: j(row.answeredWithin, 4),
                      abandoned: j(row.abandoned, 4), sl: j(row.serviceLevel.value, 5), sl_ci95: j(row.serviceLevel.halfWidth, 5), asa_s: j(row.asaSeconds, 3),
                      abandon_pct: j(row.abandonPercent, 3))
            }
        case .agent:
            d.agents = .init(r.agentIDs.indices.map { (r.agentIDs[$0], j(r.meanOccupancy[$0], 5)) })
        }
        return d
    }

    static func json(_ r: SimulationResult, instance: String, seconds: Double, by: SimulateCommand.ByArg) -> String {
        JSONOutput.render(document(r, instance: instance, seconds: seconds, by: by))
    }
}
