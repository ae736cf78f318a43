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
        agents with the queue as a secondary skill may take it too); weights =
        the plan's routing table, read from the instance's optional "routing"
        rows and agents' "group" keys (per queue and interval only the named
        groups take its contacts, split by their weights; without rows, any
        agent with the skill). Every policy sees the same contacts in a
        replication (common random numbers: separate streams per queue for
        arrivals, handle times and patience).

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

    typealias ByArg = SimulationText.View

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
            try output.emit(SimulationText.render(result, instance: name, seconds: seconds, by: by, format: output.format.format))
        } catch { throw failure(error) }
    }
}

extension SimulationText.View: ExpressibleByArgument {}
