import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Optimization
import PlanningCore
import Reports
import Scheduling

/// `peakplan-bench schedule`: PeakPlan's engine on the shared scheduling instances, beside the peers.
struct ScheduleBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Solve wfm-shift-benchmark/1 instances; print our figures beside the best peer's, with the ratio last.",
        discussion: """
        For each instance: seconds (wall, model build included), paid agent-hours, objective and our LP lower
        bound (cost units: paid hours × cost per paid hour), gap to that bound, over-staffing % (every on-duty
        agent-hour beyond the requirement, as the peers count it) and short intervals (queue × interval cells
        under the requirement). Peer figures are the measured ones in peer_scheduling_results.jsonl (default:
        next to the instances' folder), same instance and template set; the best peer is the one with the
        fewest paid hours among runs with no short interval (multi-skill peers excluded with --dedicated-only).
        ratio = our paid hours / best peer's paid hours (below 1: fewer hours). The worst gap is printed last.
        --run-peers also runs the peers' solve_schedule.py in the same run when their virtualenv exists
        (peers/scheduling/.venv; see peers/scheduling/README.md).
        By default every agent group of the instance and its `all` template set are used.
        With --format json: one JSON document, {"instances": [one object per instance], "worst_gap": {gap, instance}}.

        Example:
          peakplan-bench schedule Datasets/benchmarks/scheduling/instances/*.json
          peakplan-bench schedule base_3q_1w.json --templates fulltime --dedicated-only
        """
    )

    @Argument(help: ArgumentHelp("Instance files (wfm-shift-benchmark/1 JSON).", valueName: "instance"))
    var instances: [String]

    @Option(help: "Template set of each instance.")
    var templates: String = "all"

    @Flag(help: "Only single-skill agent groups (the peers' single-skill methods).")
    var dedicatedOnly = false

    @Option(help: ArgumentHelp("Wall-clock safety cap per instance, seconds (the stopping rule is --node-limit; the peers' time limits are the ones in their results file).", valueName: "seconds"))
    var timeLimit: Double = 600

    @Option(help: ArgumentHelp("Work limit: branch-and-bound nodes of each part's full search (default 2000, as in `schedule`); 0: the time-sliced search that splits --time-limit over the parts.", valueName: "nodes"))
    var nodeLimit: Int = WorkLimit().nodes

    @Option(help: ArgumentHelp("Relative gap at which a part stops searching.", valueName: "fraction"))
    var gap: Double = 0.001

    @Option(help: ArgumentHelp("Peer results (JSON lines); default: peer_scheduling_results.jsonl beside the instances' folder.", valueName: "file"))
    var peers: String?

    @Flag(help: "Also run the peers (highs-decomp, highs-ms) in this run when peers/scheduling/.venv exists.")
    var runPeers = false

    @OptionGroup var output: OutputOptions

    func validate() throws {
        if instances.isEmpty { throw ValidationError("name at least one instance file") }
        if !(timeLimit > 0) { throw ValidationError("--time-limit must be > 0") }
        if nodeLimit < 0 { throw ValidationError("--node-limit must be >= 0 (0: time-sliced search)") }
    }

    struct Peer {
        var method: String
        var paidHours: Double
        var overPct: Double?
        var shortIntervals: Int
        var seconds: Double
        var measuredNow: Bool
    }

    func run() throws {
        do {
            let json = output.format.format == .json
            var t = Table(title: json ? nil : "Shift scheduling benchmark: PeakPlan (\(CbcBackend().name)) vs best peer, templates \(templates)\(dedicatedOnly ? ", dedicated groups only" : ", all groups")",
                          columns: ["instance", "seconds", "paid_agent_hours", "objective", "lp_bound", "gap_pct", "over_pct", "short_intervals",
                                    "peer", "peer_seconds", "peer_paid_agent_hours", "peer_over_pct", "peer_short_intervals", "ratio"])
            var records: [Record] = []
            var worst: (String, Double)?
            for path in instances {
                guard let data = FileManager.default.contents(atPath: path) else { throw fail("\(path): cannot read", code: Exit.noInput) }
                let inst: BenchmarkInstance
                let problem: ScheduleProblem
                do {
                    inst = try BenchmarkInstance.decode(data)
                    problem = try inst.problem(templateSet: templates, dedicatedOnly: dedicatedOnly)
                } catch { throw fail("\(path): \(error.description)", code: Exit.dataError) }
                var o = EngineOptions()
                o.timeLimit = timeLimit
                o.relativeGap = gap
                o.work = nodeLimit == 0 ? nil : WorkLimit(nodes: nodeLimit)
                let bar = Progress("solving \(inst.name)")
                o.progress = { bar.update($0) }
                let t0 = Date()
                let outcome = ScheduleEngine().solve(problem, options: o)
                let wall = Date().timeIntervalSince(t0)
                bar.finish()
                var peer = bestPeer(inst.name, path)
                if runPeers, let measured = runPeerNow(inst.name, path) { peer = measured }
                guard let r = outcome.result else {
                    let why: String
                    switch outcome {
                    case .infeasible(let rep): why = rep.description
                    case .timeLimit(let tl): why = tl.description
                    default: why = "no schedule"
                    }
                    Diagnostics.error("\(inst.name): \(why)")
                    t.rows.append([.text(inst.name), .number(wall, decimals: 2), .null, .null, .null, .null, .null, .null,
                                   .text(peer?.method ?? ""), peer.map { .number($0.seconds, decimals: 1) } ?? .null,
                                   peer.map { .number($0.paidHours, decimals: 1) } ?? .null, peer?.overPct.map { .number($0, decimals: 2) } ?? .null,
                                   peer.map { .int($0.shortIntervals) } ?? .null, .null])
                    records.append(.failed(.init(instance: inst.name, seconds: .init(wall, 3), error: why)))
                    continue
                }
                let paid = r.schedule.paidAgentHours(problem)
                let ratio = peer.map { paid / $0.paidHours }
                if worst == nil || r.gap > worst!.1 { worst = (inst.name, r.gap) }
                t.rows.append([.text(inst.name), .number(wall, decimals: 2), .number(paid, decimals: 1), .number(r.objective, decimals: 2),
                               .number(r.lowerBound, decimals: 2), .number(r.gap * 100, decimals: 3), .number(r.coverage.overPercent, decimals: 2),
                               .int(r.coverage.shortIntervals), .text(peer.map { $0.method + ($0.measuredNow ? " (now)" : "") } ?? "none"),
                               peer.map { .number($0.seconds, decimals: 1) } ?? .null, peer.map { .number($0.paidHours, decimals: 1) } ?? .null,
                               peer?.overPct.map { .number($0, decimals: 2) } ?? .null, peer.map { .int($0.shortIntervals) } ?? .null,
                               ratio.map { .number($0, decimals: 4) } ?? .null])
                records.append(
                    .solved(
                        .init(instance: inst.name, templates: templates, groups: dedicatedOnly ? "dedicated" : "all", seconds: .init(wall, 3),
                              paid_agent_hours: .init(paid, 1), objective: .init(r.objective, 4), lp_bound: .init(r.lowerBound, 4), gap: .init(r.gap, 6),
                              over_pct: .init(r.coverage.overPercent, 3), short_intervals: r.coverage.shortIntervals, proven_optimal: r.proven,
                              peer: peer.map { pr in
                                  .init(peer: pr.method, peer_seconds: .init(pr.seconds), peer_paid_agent_hours: .init(pr.paidHours),
                                        peer_over_pct: pr.overPct.map { .init($0) }, peer_short_intervals: pr.shortIntervals, ratio: .init(ratio!, 5))
                              })))
            }
            if json {
                // One JSON document: the instances in order, then the worst gap.
                try output.emit(JSONOutput.render(Document(instances: records, worst_gap: worst.map { .init(gap: .init($0.1, 6), instance: $0.0) }), layout: .sections))
            } else if output.format.format == .csv {
                try output.emit(t.renderCSV())
            } else {
                var text = t.renderText()
                if let w = worst { text += "worst gap to our LP bound: \(String(format: "%.3f", w.1 * 100))% (\(w.0))\n" }
                try output.emit(text)
            }
        } catch { throw failure(error) }
    }

    /// `--format json`: the instances in order, then the worst gap (null when nothing solved).
    struct Document: Encodable {
        struct Worst: Encodable {
            var gap: JSONOutput.Fixed
            var instance: String
        }
        var instances: [Record]
        var worst_gap: Worst?
    }

    /// One instance: solved (with the best peer's figures when there is one) or failed with the reason.
    enum Record: Encodable {
        case solved(Solved), failed(Failed)

        struct Failed: Encodable {
            var instance: String
            var seconds: JSONOutput.Fixed
            var paid_agent_hours, lp_bound, gap, over_pct: Double?
            var short_intervals: Int?
            var error: String
            init(instance: String, seconds: JSONOutput.Fixed, error: String) {
                self.instance = instance
                self.seconds = seconds
                self.error = error
            }
        }

        struct Peer: Encodable {
            var peer: String
            var peer_seconds, peer_paid_agent_hours: JSONOutput.PythonFloat
            var peer_over_pct: JSONOutput.PythonFloat?
            var peer_short_intervals: Int
            var ratio: JSONOutput.Fixed
        }

        struct Solved: Encodable {
            var instance, templates, groups: String
            var seconds, paid_agent_hours, objective, lp_bound, gap, over_pct: JSONOutput.Fixed
            var short_intervals: Int
            var proven_optimal: Bool
            /// The peer's keys follow ours in the same object; absent when no peer solved the instance.
            var peer: Peer?

            enum CodingKeys: String, CodingKey {
                case instance, templates, groups, seconds, paid_agent_hours, objective, lp_bound, gap, over_pct, short_intervals, proven_optimal
            }

            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(instance, forKey: .instance); try c.encode(templates, forKey: .templates); try c.encode(groups, forKey: .groups)
                try c.encode(seconds, forKey: .seconds); try c.encode(paid_agent_hours, forKey: .paid_agent_hours)
                try c.encode(objective, forKey: .objective); try c.encode(lp_bound, forKey: .lp_bound); try c.encode(gap, forKey: .gap)
                try c.encode(over_pct, forKey: .over_pct); try c.encode(short_intervals, forKey: .short_intervals)
                try c.encode(proven_optimal, forKey: .proven_optimal)
                try peer?.encode(to: encoder)
            }
        }

        func encode(to encoder: Encoder) throws {
            switch self {
            case .solved(let s): try s.encode(to: encoder)
            case .failed(let f): try f.encode(to: encoder)
            }
        }
    }

    /// Peer results file next to the instances folder (…/scheduling/instances/x.json → …/scheduling/peer_scheduling_results.jsonl).
    func peersFile(_ instancePath: String) -> String {
        if let p = peers { return p }
        let dir = ((instancePath as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        return ((dir.isEmpty ? "." : dir) as NSString).appendingPathComponent("peer_scheduling_results.jsonl")
    }

    func bestPeer(_ name: String, _ instancePath: String) -> Peer? {
        guard let data = FileManager.default.contents(atPath: peersFile(instancePath)), let text = String(data: data, encoding: .utf8) else { return nil }
        var list: [Peer] = []
        for line in text.split(separator: "\n") {
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  obj["instance"] as? String == name, (obj["templates"] as? String ?? "all") == templates,
                  let method = obj["method"] as? String, let paid = obj["paid_agent_hours"] as? Double, paid > 0 else { continue }
            if dedicatedOnly && method.hasSuffix("-ms") { continue }
            list.append(Peer(method: method, paidHours: paid, overPct: obj["over_pct"] as? Double, shortIntervals: obj["under_intervals"] as? Int ?? 0,
                             seconds: obj["wall_s"] as? Double ?? .nan, measuredNow: false))
        }
        return Self.best(list)
    }

    static func best(_ list: [Peer]) -> Peer? {
        let clean = list.filter { $0.shortIntervals == 0 }
        if !clean.isEmpty { return clean.min { ($0.paidHours, $0.seconds) < ($1.paidHours, $1.seconds) } }
        return list.min { ($0.shortIntervals, $0.paidHours) < ($1.shortIntervals, $1.paidHours) }
    }

    /// Runs the peers' solve_schedule.py (highs-decomp and, unless --dedicated-only, highs-ms) if their venv exists.
    func runPeerNow(_ name: String, _ instancePath: String) -> Peer? {
        let scheduling = ((instancePath as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let python = (scheduling as NSString).appendingPathComponent(".venv/bin/python")
        let script = (scheduling as NSString).appendingPathComponent("solve_schedule.py")
        guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: script) else {
            Diagnostics.note("no peer virtualenv at \(python); using the measured peer figures")
            return nil
        }
        var found: [Peer] = []
        for method in dedicatedOnly ? ["highs-decomp"] : ["highs-decomp", "highs-ms"] {
            let proc = Process()
            proc.executableURL = URL(fileURLWithPath: python)
            proc.arguments = [script, instancePath, "--method", method, "--templates", templates, "--time-limit", String(Int(timeLimit))]
            let pipe = Pipe()
            proc.standardOutput = pipe
            proc.standardError = FileHandle.nullDevice
            do { try proc.run() } catch { continue }
            let out = pipe.fileHandleForReading.readDataToEndOfFile()
            proc.waitUntilExit()
            guard let line = String(data: out, encoding: .utf8)?.split(separator: "\n").last,
                  let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let paid = obj["paid_agent_hours"] as? Double, paid > 0 else { continue }
            found.append(Peer(method: method, paidHours: paid, overPct: obj["over_pct"] as? Double, shortIntervals: obj["under_intervals"] as? Int ?? 0,
                              seconds: obj["wall_s"] as? Double ?? .nan, measuredNow: true))
        }
        return Self.best(found)
    }
}
