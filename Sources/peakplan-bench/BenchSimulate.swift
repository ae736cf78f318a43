import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Reports
import Simulation

extension Bench {
    /// `peakplan-bench simulate`: the simulator's speed per instance, beside the SimPy reference run in the same
    /// command (or its recorded figures), and the agreement of the results.
    struct SimulateBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "simulate",
            abstract: "Simulator speed (events/s, wall time) per ccsim/1 instance beside the SimPy reference, and the agreement of their results.",
            discussion: """
            For each instance: our simulation time (replications only, reading excluded; the fastest of --rounds
            runs), events and events per second on one core; then, when --reference names the SimPy reference
            simulator (simulate_simpy.py, from the peer tools beside the project; not part of PeakPlan) and its
            virtualenv exists, that simulator run once in this command with the same instance, replications and seed:
              python3 -m venv ~/.cache/peakplan-simpy/.venv && ~/.cache/peakplan-simpy/.venv/bin/pip install simpy
            Its "seconds" (its replications only) give the ratio simpy_seconds / our seconds. Without it, the
            figures recorded in the reference's README (Datasets/simulation/simpy-reference.json) are printed
            instead, marked "recorded", and compared only at their own replication counts.

            Agreement (the reference README's rule): per queue and metric (SL, abandonment %, ASA), the two
            means of per-replication values differ by at most 4 standard errors of the difference or 0.5 points
            of SL / abandonment %; the rule asks for >= 20 replications each. Compared with the live run, or
            without it with the reference's stored 20-replication runs (simpy-reference.json). agree = rows
            agreeing / rows compared; worst_z = the largest |difference| / its standard error. Below 20
            replications on a side, both standard errors come from the pooled per-replication variance (two-sample
            t test). Rows that do not agree are listed under the table. Build with -c release for meaningful times.

            Examples:
              swift build -c release && .build/release/peakplan-bench simulate
              .build/release/peakplan-bench simulate --replications 20 --reference PEERS/simulation/simulate_simpy.py
              .build/release/peakplan-bench simulate Datasets/simulation/synthetic_20q_1w.json --no-reference
            """
        )

        @Argument(help: ArgumentHelp("ccsim/1 instances (default: the four in Datasets/simulation).", valueName: "instance"))
        var instances: [String] = []
        @Option(help: "Replications (default: each instance's own).") var replications: Int?
        @Option(help: "Seed (default: each instance's own).") var seed: UInt64?
        @Option(help: "Runs of our simulator per instance; the fastest is reported (SimPy runs once).") var rounds: Int = 1
        @Option(help: ArgumentHelp("The SimPy reference simulator (simulate_simpy.py) to run beside ours; without it the recorded figures are used.", valueName: "file")) var reference: String?
        @Option(help: ArgumentHelp("Python with SimPy installed.", valueName: "file")) var python: String = "~/.cache/peakplan-simpy/.venv/bin/python"
        @Option(help: ArgumentHelp("Recorded reference results (README figures and stored runs).", valueName: "file"))
        var recorded: String = "Datasets/simulation/simpy-reference.json"
        @Flag(help: "Do not run the reference even when it is available.") var noReference = false
        @OptionGroup var output: OutputOptions

        static let defaultInstances = ["erlang_c_check", "erlang_a_check", "anonbank_demo_2w", "synthetic_20q_1w"].map { "Datasets/simulation/\($0).json" }

        func validate() throws {
            if let r = replications, r < 1 || r > 100_000 { throw ValidationError("--replications must be between 1 and 100000") }
            guard rounds >= 1 && rounds <= 20 else { throw ValidationError("--rounds must be 1-20") }
        }

        /// One reference result: seconds, events, per-replication values, and where it comes from.
        struct Reference {
            var seconds: Double?
            var events: Int?
            var replications: Int
            var perReplication: [String: [String: [Double?]]]
            var source: String
        }

        static func parsePerReplication(_ any: Any?) -> [String: [String: [Double?]]] {
            guard let per = any as? [String: [String: [Any]]] else { return [:] }
            return per.mapValues { $0.mapValues { $0.map { ($0 as? NSNumber)?.doubleValue } } }
        }

        func runReference(instance: String, replications: Int, seed: UInt64) -> (Reference?, String?) {
            let py = (python as NSString).expandingTildeInPath
            guard let reference else { return (nil, "no --reference simulate_simpy.py given") }
            guard FileManager.default.fileExists(atPath: reference) else { return (nil, "no reference simulator at \(reference)") }
            guard FileManager.default.isExecutableFile(atPath: py) else { return (nil, "no SimPy virtualenv at \(python)") }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: py)
            p.arguments = [reference, instance, "--replications", String(replications), "--seed", String(seed)]
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            do { try p.run() } catch { return (nil, "cannot run \(py): \(error)") }
            let data = out.fileHandleForReading.readDataToEndOfFile()
            _ = err.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            guard p.terminationStatus == 0, let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
                return (nil, "the reference failed on \(instance) (exit \(p.terminationStatus))")
            }
            return (Reference(seconds: (obj["seconds"] as? NSNumber)?.doubleValue, events: (obj["events"] as? NSNumber)?.intValue,
                              replications: (obj["replications"] as? NSNumber)?.intValue ?? replications,
                              perReplication: Self.parsePerReplication(obj["per_replication"]), source: "live"), nil)
        }

        func recordedReference(name: String) -> (Reference?, Reference?) {
            guard let data = FileManager.default.contents(atPath: recorded),
                  let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else { return (nil, nil) }
            var readme: Reference?
            if let r = (obj["recorded"] as? [String: Any])?[name] as? [String: Any] {
                readme = Reference(seconds: (r["seconds"] as? NSNumber)?.doubleValue, events: nil,
                                   replications: (r["replications"] as? NSNumber)?.intValue ?? 0, perReplication: [:], source: "recorded (reference README)")
            }
            var stored: Reference?
            if let run = (obj["runs"] as? [String: Any])?[name] as? [String: Any] {
                stored = Reference(seconds: nil, events: (run["events"] as? NSNumber)?.intValue, replications: (run["replications"] as? NSNumber)?.intValue ?? 0,
                                   perReplication: Self.parsePerReplication(run["per_replication"]), source: "stored run (\(recorded))")
            }
            return (readme, stored)
        }

        func run() throws {
            do {
                let files = instances.isEmpty ? Self.defaultInstances : instances
                let isTable = output.format.format == .table
                var t = Table(title: isTable ? "Simulation benchmark (one core, policy priority; ours: fastest of \(rounds) run\(rounds == 1 ? "" : "s"); SimPy: one run)" : nil,
                              columns: ["instance", "replications", "events", "seconds", "events_per_second", "simpy_seconds", "simpy_events_per_second", "simpy_source",
                                        "ratio_simpy_over_ours", "agree", "worst_z", "agreement_source"])
                var notes: [String] = []
                var disagreements: [String] = []
                for file in files {
                    let inst = try SimulationStage.loadInstance(file)
                    let reps = replications ?? inst.replications
                    let s = seed ?? inst.seed
                    let model = SimModel(inst)
                    let clock = ContinuousClock()
                    var best = Double.infinity
                    var result: SimulationResult?
                    for _ in 0..<rounds {
                        let t0 = clock.now
                        let r = Simulator.run(model, policy: PriorityRouting.name, options: RunOptions(replications: reps, seed: s))!
                        best = min(best, StaffingBench.seconds(clock.now - t0))
                        result = r
                    }
                    let r = result!
                    let name = inst.name.isEmpty ? file : inst.name
                    var live: Reference?
                    if !noReference {
                        let (ref, why) = runReference(instance: file, replications: reps, seed: s)
                        live = ref
                        if let why, !notes.contains(where: { $0.contains(why) }) { notes.append("SimPy not run: \(why)") }
                    }
                    let (readme, stored) = recordedReference(name: name)
                    // Speed: the live run, else the README's figure at its own replication count.
                    var speed: Reference? = live
                    if speed == nil, let rd = readme, rd.replications == reps { speed = rd }
                    if live == nil, let rd = readme, rd.replications != reps {
                        notes.append("\(name): the reference's recorded time is for \(rd.replications) replications, not \(reps): no ratio")
                    }
                    // Agreement: the live run, else the stored 20-replication run.
                    let agreeWith = (live.map { $0.perReplication.isEmpty } ?? true) ? stored : live
                    var agreeCell: Cell = .null, zCell: Cell = .null, agreeSource: Cell = .null
                    if let ref = agreeWith, !ref.perReplication.isEmpty {
                        let cs = Agreement.compare(r, reference: ref.perReplication, pooled: reps < 20 || ref.replications < 20)
                        let ok = cs.filter(\.agrees).count
                        agreeCell = .text("\(ok)/\(cs.count)")
                        zCell = cs.compactMap { $0.zScore.map(abs) }.max().map { .number($0, decimals: 2) } ?? .null
                        agreeSource = .text(ref.source == "live" ? "live, \(ref.replications) reps" : "stored SimPy run, \(ref.replications) reps")
                        if reps < 20 || ref.replications < 20 {
                            notes.append("\(name): agreement from \(reps) / \(ref.replications) replications (the rule asks for >= 20 each): standard errors from the pooled per-replication variance")
                        }
                        for c in cs where !c.agrees {
                            disagreements.append(String(format: "%@ %@ %@: ours %.4f (SE %.4f) vs SimPy %.4f (SE %.4f), difference %.4f > allowed %.4f",
                                                        name, c.queue, c.metric.rawValue, c.ours, c.oursSE, c.reference, c.referenceSE, c.difference, c.allowed))
                        }
                    }
                    let simpySeconds = speed?.seconds
                    t.rows.append([.text(name), .int(reps), .int(r.events), .number(best, decimals: 3), .number(Double(r.events) / best, decimals: 0),
                                   simpySeconds.map { .number($0, decimals: 3) } ?? .null,
                                   (speed?.events).flatMap { ev in simpySeconds.map { .number(Double(ev) / $0, decimals: 0) } } ?? .null,
                                   speed.map { .text($0.source) } ?? .null,
                                   simpySeconds.map { .number($0 / best, decimals: 1) } ?? .null, agreeCell, zCell, agreeSource])
                }
                var text = t.render(output.format.format)
                if isTable {
                    text += "events: arrivals, service completions, segment starts and ends, abandonments (SimPy counts its own; compare wall times).\n"
                    for n in notes { text += n + "\n" }
                    text += disagreements.isEmpty ? "agreement: every compared queue and metric agrees.\n" : "not agreeing:\n" + disagreements.map { "  " + $0 }.joined(separator: "\n") + "\n"
                }
                try output.emit(text)
            } catch { throw failure(error) }
        }
    }
}
