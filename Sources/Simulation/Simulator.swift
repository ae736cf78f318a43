/// How to run: replications, seed, and whether to record every service (for checks; slower).
public struct RunOptions {
    public var replications: Int
    public var seed: UInt64
    public var trace: Bool
    public var routing = RoutingSettings()
    /// Keep every replication's offered and answered-within counts per queue and interval
    /// (`SimulationResult.cellReplications`, for paired comparisons per queue-interval).
    public var keepCells = false
    /// Called after each replication with the number done (for a progress bar).
    public var progress: ((Int) -> Void)?

    public init(replications: Int, seed: UInt64, trace: Bool = false, progress: ((Int) -> Void)? = nil) {
        self.replications = replications; self.seed = seed; self.trace = trace; self.progress = progress
    }
}

/// Runs replications of a model under a routing policy.
public enum Simulator {
    /// Replications are independent (their streams are seeded from `seed x 1,000,003 + replication`) and run
    /// in order on the calling thread, so results are identical run to run.
    ///
    /// Internal on purpose: called from another module, a generic function runs unspecialized (every event
    /// through witness tables, about 4 times slower). Other modules go through `RoutingPolicies`, whose entries
    /// call it specialized.
    static func run<P: RoutingPolicy>(_ model: SimModel, policy: P.Type, options: RunOptions) -> SimulationResult {
        var engine = Engine<P>(model: model, trace: options.trace, settings: options.routing)
        defer { engine.free() }
        var result = SimulationResult(model: model, policy: P.name, seed: options.seed)
        result.keepCells = options.keepCells
        for r in 0..<options.replications {
            let outcome = engine.run(seed: options.seed, replication: r)
            result.add(outcome)
            options.progress?(r + 1)
        }
        return result
    }

    /// Runs with the policy registered under `policy` (nil when there is none).
    public static func run(_ model: SimModel, policy: String, options: RunOptions) -> SimulationResult? {
        RoutingPolicies.named(policy).map { $0.run(model, options) }
    }
}
