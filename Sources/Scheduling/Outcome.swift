/// How the engine runs.
public struct EngineOptions: Sendable {
    /// Hard wall-clock limit for the whole solve, seconds. With a `work` limit (the default) it is only a safety
    /// cap: the search stops on work, and the result carries a warning when the cap stopped it first.
    public var timeLimit: Double = 60
    /// Deterministic work limit, the default stopping rule: the same problem gives the same schedule on any
    /// machine and under any load (CBC and CLP run single-threaded; nothing depends on the clock). nil: the
    /// older time-sliced search, where each part gets a share of `timeLimit` and the result can change with load.
    public var work: WorkLimit? = WorkLimit()
    /// Each component stops searching when its gap to its own bound falls to this.
    public var relativeGap: Double = 0.001
    public var settings = RuleSettings()
    /// The rules, in encoding order (`RuleRegistry.all`; tests add their own to prove the engine asks them).
    public var registry: [any ScheduleRule.Type] = RuleRegistry.all
    /// Components solved at once (LP solves run in parallel; CBC runs are serialised).
    public var workers: Int = 2
    /// Called with the fraction of components done (0...1), from any thread.
    public var progress: (@Sendable (Double) -> Void)?
    /// Solver log on stderr.
    public var solverLog: Bool = false

    public init() {}
}

/// Work budget of one schedule solve, in units that do not depend on the machine's speed or load.
public struct WorkLimit: Sendable, Equatable {
    /// Branch-and-bound nodes of each part's first, lean search from the heuristic's point.
    public var leanNodes: Int = 400
    /// Branch-and-bound nodes of the full search of a part the lean search left open.
    public var nodes: Int = 2000
    /// Branch-and-bound nodes of each window of the fix-and-optimize passes over multi-day parts.
    public var windowNodes: Int = 200
    /// Fix-and-optimize passes over the windows (each pass slides a two-day window over the part).
    public var windowPasses: Int = 3

    public init(leanNodes: Int = 400, nodes: Int = 2000, windowNodes: Int = 200, windowPasses: Int = 3) {
        self.leanNodes = leanNodes; self.nodes = nodes; self.windowNodes = windowNodes; self.windowPasses = windowPasses
    }
}

/// How one component was solved.
public struct ComponentReport: Sendable {
    public var component: Component
    public var columns: Int
    public var integerColumns: Int
    public var rows: Int
    /// LP relaxation value (a valid lower bound of the component).
    public var lpBound: Double
    /// Best bound known at the end (≥ lpBound).
    public var bound: Double
    public var objective: Double
    public var proven: Bool
    /// What produced the schedule: "cbc", "cbc (restricted)", "rounding", ...
    public var method: String
    public var seconds: Double
    /// Seconds in the LP relaxation.
    public var lpSeconds: Double = 0
}

/// A solved schedule with its score and how close to optimal it is.
public struct ScheduleResult: Sendable {
    public var problem: ScheduleProblem
    public var schedule: ShiftSchedule
    /// Score per rule, registry order.
    public var scores: [RuleScore]
    /// Sum of the rules' evaluated penalties (objective units).
    public var objective: Double
    /// Sum of the components' solver objectives (equals `objective` up to rounding; tested).
    public var solverObjective: Double
    /// Lower bound on the optimum: sum of the components' bounds (LP relaxation or better).
    public var lowerBound: Double
    /// (objective − lowerBound) / objective.
    public var gap: Double
    /// Every component proven optimal (within the gap tolerance).
    public var proven: Bool
    public var components: [ComponentReport]
    public var seconds: Double
    public var coverage: CoverageSummary
    /// Notes for the user (soft-mode findings, fallbacks).
    public var warnings: [String]
}

/// One reason a problem cannot be solved: the rule, and the queues, groups and intervals it concerns.
public struct ScheduleConflict: Sendable, Equatable {
    public var rule: String
    public var queues: [String]
    public var groups: [String]
    /// Absolute periods concerned.
    public var periods: [Int]
    public var message: String
}

/// Why there is no schedule; `description` is the message for the user.
public struct InfeasibilityReport: Error, Sendable, CustomStringConvertible {
    public var conflicts: [ScheduleConflict]
    public var description: String {
        "no schedule satisfies every hard rule:\n" + conflicts.map { "  - [\($0.rule)] \($0.message)" }.joined(separator: "\n")
            + "\n  (run with --soft to get the cheapest schedule that breaks as little as possible, priced per short agent-hour and per shift over a limit)"
    }
}

/// The deadline came before every component had a schedule.
public struct TimeLimitReport: Sendable, CustomStringConvertible {
    public var seconds: Double
    public var componentsSolved: Int
    public var componentsTotal: Int
    public var lowerBound: Double?
    public var description: String {
        "time limit of \(fmt(seconds, 1)) s reached with \(componentsSolved) of \(componentsTotal) parts scheduled; no partial schedule is returned. Raise --time-limit."
    }
}

/// Typed outcome of `ScheduleEngine.solve`.
public enum ScheduleOutcome: Sendable {
    /// Every component proven optimal (within the tolerance); `result.gap` is tiny.
    case optimal(ScheduleResult)
    /// A complete schedule, not proven optimal; `result.gap` bounds the distance to the optimum.
    case feasible(ScheduleResult)
    case infeasible(InfeasibilityReport)
    case timeLimit(TimeLimitReport)

    public var result: ScheduleResult? {
        switch self {
        case .optimal(let r), .feasible(let r): return r
        default: return nil
        }
    }
}
