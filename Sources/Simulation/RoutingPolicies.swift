/// The registered routing policies (one file each in `RoutingPolicies/`). A policy is listed here only when
/// it is finished and tested; the registry test runs the shared engine checks over every entry.
public enum RoutingPolicies {
    public struct Entry: Sendable {
        public var name: String
        public var summary: String
        /// Runs the simulation with this policy.
        public var run: @Sendable (SimModel, RunOptions) -> SimulationResult
    }

    public static let all: [Entry] = [
        entry(PriorityRouting.self),
        entry(OverflowRouting.self),
        entry(WeightRouting.self),
    ]

    public static func named(_ name: String) -> Entry? { all.first { $0.name == name } }

    static func entry<P: RoutingPolicy>(_ p: P.Type) -> Entry {
        Entry(name: P.name, summary: P.summary, run: { model, options in Simulator.run(model, policy: P.self, options: options) })
    }
}
