import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Reports
import Simulation

extension Bench {
    /// `peakplan-bench simulate-speed`: the simulator's speed targets of issue 16, item 7.
    struct SimulateSpeedBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate-speed",
            abstract: "Simulator speed against its targets: the demo plan x 100 replications, the 50-queue 4-week instance x 20, events per second on one core.",
            discussion: """
                Cases (simulation time only: reading and compiling the instance excluded; the fastest of --rounds runs;
                one thread):
                  (a) Datasets/simulation/anonbank_demo_2w.json: the demo plan, 6 queues, 33 agents, 2 weeks of 30-minute
                      intervals; 100 replications; target under 5 s.
                  (b) Datasets/simulation/synthetic_50q_4w.json: 50 queues, 1,500 agents, 4 weeks (written by
                      scripts/make-sim-instance, seed 7); 20 replications; target under 60 s.
                Both also against >= 5 million events per second (events: arrivals, service completions, segment starts
                and ends, abandonments, policy wake-ups). Seed: each instance's own. Build with -c release:
                  swift build -c release && .build/release/peakplan-bench simulate-speed
                """
        )

        @Option(help: "Runs per case; the fastest is reported.") var rounds: Int = 1
        @Option(help: ArgumentHelp("Cases to run: a, b or both (comma-separated).", valueName: "list")) var cases: String = "a,b"
        @Option(help: "Replications instead of each case's own (a quick check; the targets are for the cases' own).") var replications: Int?
        @Option(help: "Routing policy (\(RoutingPolicies.all.map(\.name).joined(separator: ", "))).") var policy: String = "priority"
        @OptionGroup var output: OutputOptions

        struct Case {
            var label: String
            var file: String
            var replications: Int
            var targetSeconds: Double
        }

        static let all = [
            Case(label: "(a) demo plan, 2 weeks", file: "Datasets/simulation/anonbank_demo_2w.json", replications: 100, targetSeconds: 5),
            Case(label: "(b) 50 queues, 4 weeks, 1,500 agents", file: "Datasets/simulation/synthetic_50q_4w.json", replications: 20, targetSeconds: 60)
        ]
        static let targetEventsPerSecond = 5e6

        /// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): the run's own time on its core, without the
        /// time it waited for one on a busy machine.
        static func threadCPUSeconds() -> Double {
            var ts = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
            return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
        }

        func validate() throws {
            guard rounds >= 1 && rounds <= 20 else { throw ValidationError("--rounds must be 1-20") }
            guard !selected.isEmpty, selected.count == cases.split(separator: ",").count else {
                throw ValidationError("--cases \(cases): give a, b or a,b")
            }
            if let r = replications, r < 1 || r > 10_000 { throw ValidationError("--replications must be between 1 and 10000") }
            guard RoutingPolicies.named(policy) != nil else {
                throw ValidationError("--policy \(policy): not a policy; use one of \(RoutingPolicies.all.map(\.name).joined(separator: ", "))")
            }
        }

        /// The cases named by --cases, in order.
        var selected: [Case] {
            cases.split(separator: ",").compactMap { name in
                ["a": Self.all[0], "b": Self.all[1]][name.trimmingCharacters(in: .whitespaces)]
            }
        }

        func run() throws {
            do {
                let entry = RoutingPolicies.named(policy)!
                let isTable = output.format.format == .table
                var t = Table(
                    title: isTable ? "Simulator speed (one core, policy \(policy), fastest of \(rounds) run\(rounds == 1 ? "" : "s"))" : nil,
                    columns: [
                        "case", "queues", "agents", "intervals", "replications", "events", "seconds", "events_per_second", "cpu_seconds", "events_per_cpu_second", "target_seconds",
                        "seconds_ok", "events_per_second_ok"
                    ])
                for var c in selected {
                    if let r = replications { c.replications = r }
                    let inst = try SimulationStage.loadInstance(c.file)
                    let model = SimModel(inst)
                    let clock = ContinuousClock()
                    var best = Double.infinity, bestCPU = Double.infinity
                    var events = 0
                    for _ in 0..<rounds {
                        let t0 = clock.now, c0 = Self.threadCPUSeconds()
                        let r = entry.run(model, RunOptions(replications: c.replications, seed: inst.seed))
                        bestCPU = min(bestCPU, Self.threadCPUSeconds() - c0)
                        best = min(best, StaffingBench.seconds(clock.now - t0))
                        events = r.events
                    }
                    let rate = Double(events) / best
                    t.rows.append([
                        .text(c.label), .int(inst.queues.count), .int(inst.agents.count), .int(inst.intervals), .int(c.replications), .int(events),
                        .number(best, decimals: 3), .number(rate, decimals: 0), .number(bestCPU, decimals: 3), .number(Double(events) / bestCPU, decimals: 0),
                        .number(c.targetSeconds, decimals: 0),
                        .text(best < c.targetSeconds ? "yes" : "no"), .text(rate >= Self.targetEventsPerSecond ? "yes" : "no")
                    ])
                }
                var text = t.render(output.format.format)
                if isTable {
                    text +=
                        "targets: events per second >= \(Int(Self.targetEventsPerSecond)) on one core; (a) < 5 s; (b) < 60 s (simulation time only). seconds: wall clock; cpu_seconds: the thread's CPU time (the two differ when the machine is busy).\n"
                }
                try output.emit(text)
            } catch { throw failure(error) }
        }
    }
}
