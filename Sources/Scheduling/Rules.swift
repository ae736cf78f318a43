import Optimization

/// Hard rules are constraints (a violation makes a schedule invalid); soft rules price what they measure.
public enum RuleKind: String, Sendable, Codable {
    case hard, soft
}

/// One thing a rule found in a schedule.
public struct RuleViolation: Sendable, Equatable {
    public var rule: String
    public var message: String
    public var queue: String?
    public var group: String?
    /// Absolute period, when the finding is about one interval.
    public var period: Int?
    public var amount: Double

    public init(rule: String, message: String, queue: String? = nil, group: String? = nil, period: Int? = nil, amount: Double = 0) {
        self.rule = rule
        self.message = message
        self.queue = queue
        self.group = group
        self.period = period
        self.amount = amount
    }
}

/// A rule's verdict on a schedule: its weighted penalty (objective units) and what it found.
public struct RuleScore: Sendable {
    public var rule: String
    public var kind: RuleKind
    public var weight: Double
    /// Weighted penalty in objective units (cost units; 0 for a satisfied hard rule).
    public var penalty: Double
    /// Hard-rule violations make the schedule invalid; soft findings explain the penalty.
    public var findings: [RuleViolation]

    public var isViolated: Bool { kind == .hard && !findings.isEmpty }
}

/// How rules behave in one run (from the `[schedule]` table and command-line flags).
public struct RuleSettings: Sendable, Equatable {
    /// `--soft`: hard coverage and head-count rules become soft with the costs below.
    public var soft: Bool = false
    /// Cost of a short agent-hour on a hard queue when softened.
    public var softUnderstaffingCost: Double = 1000
    /// Cost of one shift above a head-count limit when softened.
    public var headcountExcessCost: Double = 1000
    /// Weight per rule id (default 1): multiplies the rule's penalty.
    public var weights: [String: Double] = [:]
    /// Break placement in the model: implicit (Bechtold-Jacobs) or every placement as its own column.
    public var breakPlacement: BreakPlacement = .implicit

    public init() {}

    public func weight(_ id: String) -> Double { weights[id] ?? 1 }
}

public enum BreakPlacement: String, Sendable, Equatable {
    /// Break variables per break start with forward/backward constraints (Bechtold & Jacobs 1990).
    case implicit
    /// One column per (template, start, break placement) (Dantzig 1954 set covering).
    case explicit
}

/// A scheduling rule: one file in `Constraints/`, one line in `RuleRegistry`.
///
/// `encode` adds the rule's variables, rows and objective terms to a component's model; `evaluate` scores a
/// finished schedule without any solver. For every schedule the engine returns, the solver's objective equals the
/// sum of the rules' evaluated penalties (tested).
public protocol ScheduleRule: Sendable {
    /// Stable id used in configuration, explanations and row tags.
    static var id: String { get }
    /// One-line description for `peakplan schedule explain`.
    static var summary: String { get }
    init(settings: RuleSettings)
    var kind: RuleKind { get }
    var weight: Double { get }
    func encode(_ context: EncodingContext)
    func evaluate(_ schedule: ShiftSchedule, problem: ScheduleProblem) -> RuleScore
}

extension ScheduleRule {
    public var id: String { Self.id }
}
