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
/// sum of the rules' evaluated penalties (tested). The model-free questions (`admits`, `cost`, `shortfall`) are
/// what the greedy heuristic and the column pricing ask instead of knowing the rules themselves; `explain` and
/// `whyShort` read conflict rows (by their typed `RowTag`) and short intervals. Every one of them has a neutral
/// default, so a rule implements only what it governs.
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

    /// Whether `shift` (one agent: `count` is ignored) is a shift this rule allows at all: template, start grid,
    /// break windows. Asked once per candidate shift.
    func admits(_ shift: ShiftBlock, in problem: ScheduleProblem) -> Bool
    /// Whether one more `shift` keeps this rule on top of the shifts in `tally` (count limits). Asked while a
    /// schedule is built up shift by shift.
    func admits(_ shift: ShiftBlock, given tally: ShiftTally, in problem: ScheduleProblem) -> Bool
    /// Objective cost this rule charges for one agent working `shift` (weight included).
    func cost(of shift: ShiftBlock, in problem: ScheduleProblem) -> Double
    /// How this rule treats a shortfall of queue q: must be covered, or may be short at a price; nil when the rule
    /// says nothing about coverage.
    func shortfall(queue q: Int, in problem: ScheduleProblem) -> ShortfallTerms?
    /// Readable conflicts from the infeasible rows this rule tagged (`mine`); `all` holds every conflicting row.
    func explain(_ mine: [ConflictFinding], all: [ConflictFinding], problem: ScheduleProblem) -> [ScheduleConflict]
    /// Why queue q is short in period t of a schedule whose shifts are `tally`, when this rule is the reason.
    func whyShort(queue q: Int, period t: Int, tally: ShiftTally, problem: ScheduleProblem) -> ShortReason?
}

extension ScheduleRule {
    public var id: String { Self.id }

    public func admits(_ shift: ShiftBlock, in problem: ScheduleProblem) -> Bool { true }
    public func admits(_ shift: ShiftBlock, given tally: ShiftTally, in problem: ScheduleProblem) -> Bool { true }
    public func cost(of shift: ShiftBlock, in problem: ScheduleProblem) -> Double { 0 }
    public func shortfall(queue q: Int, in problem: ScheduleProblem) -> ShortfallTerms? { nil }
    public func whyShort(queue q: Int, period t: Int, tally: ShiftTally, problem: ScheduleProblem) -> ShortReason? { nil }

    /// Default: each of the first five rows by name and violation.
    public func explain(_ mine: [ConflictFinding], all: [ConflictFinding], problem: ScheduleProblem) -> [ScheduleConflict] {
        mine.prefix(5).map { r in
            ScheduleConflict(rule: r.tag.rule, queues: [], groups: [], periods: [], message: "row \(r.name) violated by \(fmt(r.violation, 2))")
        }
    }
}

/// What a model row is about, recorded when a rule adds it (`EncodingContext.addRow`): the rule, and the queue,
/// group, period or day it concerns. Conflict explanations read these instead of parsing row names.
public struct RowTag: Sendable, Hashable {
    public var rule: String
    public var queue: Int?
    public var group: Int?
    /// Absolute period.
    public var period: Int?
    /// Horizon day (for a week: its first day in the component).
    public var day: Int?

    public init(rule: String, queue: Int? = nil, group: Int? = nil, period: Int? = nil, day: Int? = nil) {
        self.rule = rule; self.queue = queue; self.group = group; self.period = period; self.day = day
    }
}

/// One row of an infeasible model's conflict, with its typed tag.
public struct ConflictFinding: Sendable {
    public var tag: RowTag
    public var name: String
    /// How far the row must bend.
    public var violation: Double
}

/// A queue's coverage terms: every required agent must be there, or a short agent-hour costs `perAgentHour`.
public enum ShortfallTerms: Sendable, Equatable {
    case hard
    case priced(perAgentHour: Double)

    public var price: Double? {
        if case .priced(let c) = self { return c }
        return nil
    }
}

/// Why an interval is short: a `limit` (a rule stopped more agents from being planned) explains it before a
/// `tradeOff` (covering would cost more than the shortfall).
public enum ShortReason: Sendable {
    case limit(String)
    case tradeOff(String)
}

/// Shifts placed so far per group and day, and per group and Monday-Sunday week: what count-limited rules look
/// at in `admits(_:given:in:)`.
public struct ShiftTally: Sendable {
    private var perDay: [Int: Int] = [:]
    private var perWeek: [Int: Int] = [:]
    let days: Int

    public init(problem: ScheduleProblem) { days = problem.days }

    public func shifts(group g: Int, day d: Int) -> Int { perDay[g * days + d, default: 0] }
    public func shifts(group g: Int, week w: Int) -> Int { perWeek[g * 1000 + w, default: 0] }

    /// Adds n agents of `shift` (n < 0 removes them).
    public mutating func add(_ shift: ShiftBlock, _ n: Int, in p: ScheduleProblem) {
        perDay[shift.group * days + shift.day, default: 0] += n
        perWeek[shift.group * 1000 + p.week(ofDay: shift.day), default: 0] += n
    }

    public mutating func removeAll() { perDay = [:]; perWeek = [:] }
}
