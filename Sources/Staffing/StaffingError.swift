/// Why a staffing computation refused its input. Every case renders as one readable sentence that names the
/// offending input, what was given and what is allowed; no case is ever turned into a silent number.
public enum StaffingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An input outside its domain. `field` names it in the user's words, `requirement` says what is allowed.
    case invalidInput(field: String, value: Double, requirement: String)
    /// Erlang C asked about `agents` at or below the offered load: the queue has no steady state.
    case unstable(load: Double, agents: Double)
    /// A target the chosen model does not describe (abandonment in Erlang C).
    case targetNotModelled(target: String, model: QueueModel, suggestion: String)
    /// A solve was asked for without any target.
    case noTarget
    /// No staffing up to `limit` agents meets `target`.
    case targetUnreachable(target: String, limit: Int)
    /// A table input (concurrency factors, quantile levels, per-interval series) is malformed.
    case invalidTable(field: String, message: String)

    public var description: String {
        switch self {
        case let .invalidInput(field, value, requirement):
            return "\(field) must be \(requirement) (got \(StaffingError.show(value)))"
        case let .unstable(load, agents):
            return "Erlang C is unstable at \(StaffingError.show(agents)) agents for an offered load of "
                + "\(StaffingError.show(load)) Erlangs: with agents <= load the queue grows without bound, so no finite "
                + "staffing below the load exists. Staff above \(StaffingError.show(load)) agents, or use Erlang A "
                + "(give a patience) to model callers who hang up"
        case let .targetNotModelled(target, model, suggestion):
            return "\(model.displayName) does not model \(target); \(suggestion)"
        case .noTarget:
            return "no staffing target given: set a service level, a maximum ASA, a maximum abandonment rate or a maximum occupancy"
        case let .targetUnreachable(target, limit):
            return "no staffing up to \(limit) agents meets \(target); relax the target"
        case let .invalidTable(field, message):
            return "\(field): \(message)"
        }
    }

    /// Numbers as a user would type them: `12`, `0.5`, `nan`, `-inf`.
    public static func show(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        if v == v.rounded() && abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
