import Foundation

/// A wall-clock instant after which a solve must have returned. Enforced by the backend itself (the solver runs
/// on its own thread and is abandoned at the deadline), not left to the solver's own time limit.
public struct Deadline: Sendable, Equatable {
    /// Monotonic time (`DispatchTime.uptimeNanoseconds`) of the deadline; nil = none.
    public let uptimeNanoseconds: UInt64?

    public static let none = Deadline(uptimeNanoseconds: nil)

    public static func after(seconds: Double) -> Deadline {
        let s = max(0, seconds)
        guard s < 1e7 else { return .none }
        return Deadline(uptimeNanoseconds: DispatchTime.now().uptimeNanoseconds + UInt64(s * 1e9))
    }

    /// Seconds left (may be negative); `.infinity` without a deadline.
    public var remaining: Double {
        guard let d = uptimeNanoseconds else { return .infinity }
        return (Double(d) - Double(DispatchTime.now().uptimeNanoseconds)) / 1e9
    }

    public var hasPassed: Bool { remaining <= 0 }

    /// The earlier of this deadline and `seconds` from now.
    public func capped(seconds: Double) -> Deadline {
        let other = Deadline.after(seconds: seconds)
        guard let a = uptimeNanoseconds else { return other }
        guard let b = other.uptimeNanoseconds else { return self }
        return Deadline(uptimeNanoseconds: min(a, b))
    }
}

/// How a solve is run.
public struct SolveOptions: Sendable {
    /// Hard wall-clock deadline; the backend returns by then (plus thread hand-off, milliseconds).
    public var deadline: Deadline = .none
    /// Stop when (objective - bound) / |objective| falls to this.
    public var relativeGap: Double = 1e-6
    /// Stop when objective - bound falls to this (set to just under the objective's granularity when known).
    public var absoluteGap: Double = 1e-7
    /// A known integer-feasible point (all columns) to start from; CBC keeps it as the incumbent.
    public var start: [Double]?
    /// Print the solver log on stderr.
    public var log: Bool = false
    /// How much machinery the search uses.
    public var effort: SearchEffort = .full
    /// Simplex variant for linear relaxations.
    public var lpAlgorithm: LPAlgorithm = .automatic
    /// Stop after this many branch-and-bound nodes (nil: no limit); the outcome is then `.feasible` or `.timeLimit`.
    public var nodeLimit: Int?
    /// Backend-specific settings, in order, applied after `effort` (CBC: command-line parameters such as
    /// `("cuts", "off")`).
    public var parameters: [(String, String)] = []

    public init(deadline: Deadline = .none, relativeGap: Double = 1e-6, absoluteGap: Double = 1e-7,
                start: [Double]? = nil, log: Bool = false) {
        self.deadline = deadline
        self.relativeGap = relativeGap
        self.absoluteGap = absoluteGap
        self.start = start
        self.log = log
    }
}

/// Optimal point of a linear relaxation with its dual information.
public struct LPSolution: Sendable {
    public var objective: Double
    public var values: [Double]
    /// Row prices (one per row): the change of the objective per unit of right-hand side.
    public var duals: [Double]
    /// Reduced costs (one per column): the objective increase per unit a non-basic column is moved off its bound.
    public var reducedCosts: [Double]
    public var iterations: Int
    public var seconds: Double
}

/// How a linear program is solved.
public enum LPAlgorithm: String, Sendable {
    /// The solver's choice (CLP: presolve, then dual or primal simplex by problem shape).
    case automatic
    case dual
    case primal
    /// Interior point, then crossover to a basis.
    case barrier
    /// Interior point without crossover: a central (not vertex) point whose duals are smooth; no basis.
    case barrierNoCrossover
}

/// Search machinery of an integer solve.
public enum SearchEffort: String, Sendable {
    /// Everything the solver has: preprocessing, cutting planes, primal heuristics, strong branching.
    case full
    /// Plain branch and bound on the LP relaxation (no preprocessing, cuts, heuristics or strong branching).
    /// On small covering models with tiny integrality gaps (one queue-day of shifts) this is 3-5× faster than
    /// `.full` (measured with CBC 2.10: 20 ms vs 90 ms per model); give it a node or time limit.
    case lean
}

/// Result of solving a linear program (integrality ignored).
public enum LPOutcome: Sendable {
    case optimal(LPSolution)
    case infeasible
    case unbounded
    /// The deadline came first.
    case timeLimit
    case failed(String)

    public var solution: LPSolution? { if case .optimal(let s) = self { return s } else { return nil } }
}

/// An integer-feasible point with the best bound known when the solver returned.
public struct MIPSolution: Sendable {
    public var values: [Double]
    public var objective: Double
    /// A valid lower bound on the optimum (for minimisation); `-infinity` when none is known.
    public var bound: Double
    public var nodes: Int
    public var seconds: Double

    /// (objective - bound) / max(|objective|, 1e-9), 0 when proven, `.infinity` without a bound.
    public var gap: Double {
        guard bound.isFinite else { return .infinity }
        return max(0, objective - bound) / max(abs(objective), 1e-9)
    }

    public init(values: [Double], objective: Double, bound: Double, nodes: Int = 0, seconds: Double = 0) {
        self.values = values
        self.objective = objective
        self.bound = bound
        self.nodes = nodes
        self.seconds = seconds
    }
}

/// Why a search stopped before proving optimality.
public enum StopReason: String, Sendable {
    case deadline = "time limit"
    case nodeLimit = "node limit"
    case numerical = "numerical difficulties"
}

/// Typed outcome of an integer solve: never a sentinel value.
public enum MIPOutcome: Sendable {
    /// Proven optimal within the requested gap tolerances.
    case optimal(MIPSolution)
    /// An integer point, not proven optimal; `solution.gap` says how far from the bound it may be.
    case feasible(MIPSolution, stoppedBy: StopReason)
    /// Proven: no point satisfies all rows. `Diagnosis.conflict` names rows that conflict.
    case infeasible
    /// The deadline (or node limit) came before any integer point was found; `bound` is what is known.
    case timeLimit(bound: Double?)
    case unbounded
    case failed(String)

    public var solution: MIPSolution? {
        switch self {
        case .optimal(let s), .feasible(let s, _): return s
        default: return nil
        }
    }
}

/// The solver-neutral interface the engine programs against. `CbcBackend` implements it over CBC/CLP.
public protocol SolverBackend: Sendable {
    var name: String { get }
    /// Solves the linear relaxation (integrality dropped) to optimality, with duals and reduced costs.
    func solveRelaxation(_ model: LinearModel, options: SolveOptions) -> LPOutcome
    /// Solves the mixed-integer model; returns by `options.deadline`.
    func solve(_ model: LinearModel, options: SolveOptions) -> MIPOutcome
}
