import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Staffing

struct Erlang: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erlang B/C/A calculator for one queue and interval: P(wait), service level, ASA, occupancy, P(abandon), agents.",
        discussion: """
        Models: b = Erlang B (callers who find every agent busy are lost),
        c = Erlang C (callers wait as long as it takes), a = Erlang A (waiting
        callers hang up after an exponential patience; needs --patience).
        Offered load = arrivals * AHT / interval seconds (Erlangs).

        Definitions, per arriving contact in steady state
        (Datasets/benchmarks/erlang/erlang_reference_notes.md):
          P(wait)        every agent busy on arrival (Erlang B: blocked)
          service level  P(answered and wait <= --sl-seconds); in Erlang A
                         abandoners never count as answered
          ASA            mean wait over ALL arrivals, zero waits included;
                         abandoners count with their time to abandon
          occupancy      handled load / agents
          P(abandon)     Erlang A: share hanging up; Erlang B: share blocked;
                         Erlang C: n/a (null in JSON), nobody hangs up

        --agents N evaluates that staffing. Targets (--sl-target, --max-asa,
        --max-abandon, --max-occupancy) find the fewest agents meeting all of
        them. With both, the table shows both columns and csv/json describe
        --agents. --fractional adds the exact continuous requirement
        (Jagerman's continuous Erlang B function, not a rounding).
        --format json prints one object with the keys prob_wait,
        service_level, asa_seconds, occupancy, prob_abandon, agents.

        Examples:
          peakplan erlang --model a --arrivals 50 --interval-seconds 900 \\
            --aht 180 --patience 60 --agents 14 --sl-seconds 20
          peakplan erlang --model c --arrivals 100 --aht 180 --sl-target 0.8
          peakplan erlang --model a --arrivals 100 --aht 180 --patience 60 \\
            --sl-target 0.8 --max-abandon 0.03 --format json
        """
    )

    enum ModelArg: String, ExpressibleByArgument, CaseIterable {
        case b, c, a
        var model: QueueModel { QueueModel(rawValue: rawValue)! }
    }

    @Option(help: "Queueing model: b, c or a (a needs --patience).") var model: ModelArg = .c
    @Option(parsing: .unconditional, help: ArgumentHelp("Arrivals offered during the interval.", valueName: "count")) var arrivals: Double
    @Option(name: .customLong("interval-seconds"), parsing: .unconditional, help: ArgumentHelp("Interval length.", valueName: "seconds"))
    var intervalSeconds = Double(TimeGrid.halfHour.secondsPerSlot)
    @Option(parsing: .unconditional, help: ArgumentHelp("Average handle time.", valueName: "seconds")) var aht: Double
    @Option(parsing: .unconditional, help: ArgumentHelp("Erlang A: mean time a waiting caller waits before hanging up.", valueName: "seconds"))
    var patience: Double?
    @Option(parsing: .unconditional, help: "Evaluate at this many agents.") var agents: Int?
    @Option(name: .customLong("sl-seconds"), parsing: .unconditional, help: ArgumentHelp("T of the service level.", valueName: "seconds"))
    var slSeconds: Double = 20
    @Option(name: .customLong("sl-target"), parsing: .unconditional, help: ArgumentHelp("Target: share answered within T, in (0, 1], e.g. 0.8.", valueName: "fraction"))
    var slTarget: Double?
    @Option(name: .customLong("max-asa"), parsing: .unconditional, help: ArgumentHelp("Target: maximum ASA.", valueName: "seconds")) var maxASA: Double?
    @Option(name: .customLong("max-abandon"), parsing: .unconditional, help: ArgumentHelp("Target: maximum abandonment (Erlang A) or blocking (Erlang B) rate, in (0, 1].", valueName: "fraction"))
    var maxAbandon: Double?
    @Option(name: .customLong("max-occupancy"), parsing: .unconditional, help: ArgumentHelp("Target: maximum occupancy, in (0, 1].", valueName: "fraction"))
    var maxOccupancy: Double?
    @Flag(help: "Also report the exact continuous (fractional) requirement.") var fractional = false
    @OptionGroup var output: OutputOptions

    /// The option a `StaffingError` field comes from, so messages name what the user typed.
    static let optionForField: [String: String] = [
        "arrivals per interval": "--arrivals", "interval seconds": "--interval-seconds", "AHT seconds": "--aht",
        "patience seconds": "--patience", "agents": "--agents", "service level time T (seconds)": "--sl-seconds",
        "service level target": "--sl-target", "maximum ASA (seconds)": "--max-asa",
        "maximum abandonment rate": "--max-abandon", "maximum occupancy": "--max-occupancy",
    ]

    static func usageError(_ e: StaffingError) -> ValidationError {
        if case .invalidInput(let field, _, _) = e, let option = optionForField[field] {
            return ValidationError("\(option): \(e.description)")
        }
        return ValidationError(e.description)
    }

    var load: QueueLoad {
        get throws {
            try QueueLoad(arrivals: arrivals, intervalSeconds: intervalSeconds, ahtSeconds: aht,
                          patienceSeconds: model == .a ? patience : nil)
        }
    }

    var targets: StaffingTargets {
        get throws {
            try StaffingTargets(serviceLevel: slTarget, serviceSeconds: slSeconds, maxASASeconds: maxASA,
                                maxAbandon: maxAbandon, maxOccupancy: maxOccupancy)
        }
    }

    func validate() throws {
        do {
            if model == .a && patience == nil {
                throw ValidationError("--model a (Erlang A) needs --patience SECONDS: the mean time a waiting caller waits before hanging up")
            }
            if let p = patience, model == .a {
                _ = try QueueLoad(arrivals: 0, ahtSeconds: 1, patienceSeconds: p)
            }
            let load = try self.load
            let targets = try self.targets
            if let n = agents {
                guard n >= 0 else { throw ValidationError("--agents must be >= 0 (got \(n))") }
                if model == .c && n > 0 && Double(n) <= load.offeredLoad {
                    throw ValidationError("--agents \(n): " + StaffingError.unstable(load: load.offeredLoad, agents: Double(n)).description
                                          + " (--model a --patience SECONDS)")
                }
            }
            if agents == nil && targets.isEmpty {
                throw ValidationError("give --agents N to evaluate a staffing, or a target (--sl-target, --max-asa, --max-abandon, --max-occupancy) to find the agents needed")
            }
            if fractional && targets.isEmpty {
                throw ValidationError("--fractional reports the continuous requirement for targets: add --sl-target, --max-asa, --max-abandon or --max-occupancy")
            }
            if model == .c && maxAbandon != nil {
                throw ValidationError("--max-abandon: Erlang C assumes nobody hangs up, so it cannot staff to an abandonment rate; use --model a --patience SECONDS")
            }
        } catch let e as StaffingError {
            throw Self.usageError(e)
        }
    }

    func run() throws {
        do {
            if patience != nil && model != .a {
                Diagnostics.note("--patience is ignored by Erlang \(model.rawValue.uppercased()); use --model a to model abandonment")
            }
            let load = try self.load, targets = try self.targets, m = model.model
            let given = try agents.map { try m.metrics(load, agents: $0, serviceSeconds: slSeconds) }
            let needed = targets.isEmpty ? nil : try StaffSolver.solve(m, load: load, targets: targets)
            let continuous = fractional && !targets.isEmpty ? try StaffSolver.solveFractional(m, load: load, targets: targets) : nil
            try output.emit(render(load: load, targets: targets, given: given, needed: needed, continuous: continuous))
        } catch let e as StaffingError {
            throw fail(e.description, code: Exit.usage)
        } catch { throw failure(error) }
    }

    func render(load: QueueLoad, targets: StaffingTargets, given: QueueMetrics?, needed: StaffingSolution?,
                continuous: FractionalStaffingSolution?) -> String {
        // The one record csv/json describe: the given staffing, else the continuous answer, else the whole one.
        let primary = given ?? continuous?.metrics ?? needed!.metrics
        switch output.format.format {
        case .json:
            return JSONOutput.render(Record(primary, agentsContinuous: given == nil && continuous != nil))
        case .csv:
            let agentsText = given != nil || continuous == nil ? String(Int(primary.agents)) : Self.number(primary.agents)
            let fields: [(String, String)] = [
                ("prob_wait", Self.number(primary.probWait)), ("service_level", Self.number(primary.serviceLevel)),
                ("asa_seconds", Self.number(primary.asaSeconds)), ("occupancy", Self.number(primary.occupancy)),
                ("prob_abandon", primary.probAbandon.map(Self.number) ?? ""), ("agents", agentsText),
            ]
            return fields.map(\.0).joined(separator: ",") + "\n" + fields.map(\.1).joined(separator: ",") + "\n"
        case .table:
            let m = model.model
            var title = "\(m.displayName): \(StaffingError.show(load.arrivals)) arrivals in \(StaffingError.show(load.intervalSeconds)) s, "
                + "AHT \(StaffingError.show(load.ahtSeconds)) s"
            if let p = load.patienceSeconds { title += ", patience \(StaffingError.show(p)) s" }
            title += String(format: "; offered load %.3f Erlangs", load.offeredLoad)
            if !targets.isEmpty { title += "\ntargets: " + targets.summary }
            var columns = ["measure"]
            var cols: [QueueMetrics] = []
            if let g = given { columns.append("at \(Int(g.agents)) agents"); cols.append(g) }
            if let n = needed { columns.append("needed"); cols.append(n.metrics) }
            var t = Table(title: title, columns: columns)
            func row(_ name: String, _ cell: (QueueMetrics) -> Cell) { t.rows.append([.text(name)] + cols.map(cell)) }
            row("agents") { .int(Int($0.agents)) }
            row("P(wait > 0)" + (m == .erlangB ? " = P(blocked)" : "")) { .number($0.probWait, decimals: 6) }
            row("service level: answered within \(StaffingError.show(slSeconds)) s") { .number($0.serviceLevel, decimals: 6) }
            row("ASA seconds (all arrivals)") { .number($0.asaSeconds, decimals: 3) }
            row("occupancy") { .number($0.occupancy, decimals: 4) }
            row(m == .erlangB ? "P(blocked)" : "P(abandon)") { $0.probAbandon.map { .number($0, decimals: 6) } ?? .text("n/a") }
            if let g = given, needed != nil {
                let met: [Cell] = [.text("targets met"), .text(targets.isMet(by: g) ? "yes" : "no"), .text("yes")]
                t.rows.append(met)
            }
            if let c = continuous {
                let cells: [Cell] = cols.indices.map { $0 == cols.count - 1 ? Cell.number(c.agents, decimals: 4) : Cell.text("") }
                t.rows.append([Cell.text("agents, continuous requirement")] + cells)
            }
            return t.renderText()
        }
    }

    /// Shortest text that reads back to the same double; empty for non-finite values.
    static func number(_ d: Double) -> String { d.isFinite ? "\(d)" : "" }

    /// The one record `--format json` prints: numbers as Python writes floats (`0.0`, `7.84`), prob_abandon
    /// null under Erlang C, agents whole unless it is the continuous requirement.
    struct Record: Encodable {
        enum Agents: Encodable {
            case whole(Int), continuous(Double)
            func encode(to encoder: Encoder) throws {
                var c = encoder.singleValueContainer()
                switch self {
                case .whole(let n): try c.encode(n)
                case .continuous(let x): try c.encode(JSONOutput.PythonFloat(x))
                }
            }
        }
        var prob_wait: JSONOutput.PythonFloat
        var service_level: JSONOutput.PythonFloat
        var asa_seconds: JSONOutput.PythonFloat
        var occupancy: JSONOutput.PythonFloat
        var prob_abandon: JSONOutput.PythonFloat?
        var agents: Agents

        init(_ m: QueueMetrics, agentsContinuous: Bool) {
            prob_wait = .init(m.probWait)
            service_level = .init(m.serviceLevel)
            asa_seconds = .init(m.asaSeconds)
            occupancy = .init(m.occupancy)
            prob_abandon = m.probAbandon.map { .init($0) }
            agents = agentsContinuous ? .continuous(m.agents) : .whole(Int(m.agents))
        }
    }
}
