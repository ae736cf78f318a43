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
            try output.emit(ErlangText.render(m, load: load, targets: targets, serviceSeconds: slSeconds, given: given, needed: needed, continuous: continuous,
                                              format: output.format.format))
        } catch let e as StaffingError {
            throw fail(e.description, code: Exit.usage)
        } catch { throw failure(error) }
    }
}
