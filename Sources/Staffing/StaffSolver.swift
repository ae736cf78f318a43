import Foundation

/// What a queue must achieve; any combination of the four targets (at least one for a solve).
/// Comparisons allow 1e-12 so that values equal up to rounding (e.g. occupancy 8/10 against 0.8) count as met.
public struct StaffingTargets: Sendable, Equatable {
    /// T of the service level, in seconds (also the T reported when only other targets are set).
    public let serviceSeconds: Double
    /// Minimum share answered within `serviceSeconds`, in (0, 1].
    public let serviceLevel: Double?
    /// Maximum ASA (mean wait over all arrivals) in seconds, > 0.
    public let maxASASeconds: Double?
    /// Maximum share of arrivals abandoning (Erlang A) or blocked (Erlang B), in (0, 1].
    public let maxAbandon: Double?
    /// Maximum agent occupancy, in (0, 1].
    public let maxOccupancy: Double?

    public static let tolerance = 1e-12

    /// - Throws: `StaffingError.invalidInput` for a target outside its range or a negative or NaN T.
    public init(serviceLevel: Double? = nil, serviceSeconds: Double = 20, maxASASeconds: Double? = nil,
                maxAbandon: Double? = nil, maxOccupancy: Double? = nil) throws {
        guard serviceSeconds.isFinite, serviceSeconds >= 0 else {
            throw StaffingError.invalidInput(field: "service level time T (seconds)", value: serviceSeconds, requirement: "a finite number >= 0")
        }
        func fraction(_ v: Double?, _ name: String) throws {
            if let v, !(v > 0 && v <= 1) {
                throw StaffingError.invalidInput(field: name, value: v, requirement: "in (0, 1], a fraction such as 0.8")
            }
        }
        try fraction(serviceLevel, "service level target")
        try fraction(maxAbandon, "maximum abandonment rate")
        try fraction(maxOccupancy, "maximum occupancy")
        if let v = maxASASeconds, !(v.isFinite && v > 0) {
            throw StaffingError.invalidInput(field: "maximum ASA (seconds)", value: v, requirement: "a finite number > 0")
        }
        self.serviceSeconds = serviceSeconds
        self.serviceLevel = serviceLevel
        self.maxASASeconds = maxASASeconds
        self.maxAbandon = maxAbandon
        self.maxOccupancy = maxOccupancy
    }

    public var isEmpty: Bool { serviceLevel == nil && maxASASeconds == nil && maxAbandon == nil && maxOccupancy == nil }

    @inlinable public func isMet(by m: QueueMetrics) -> Bool {
        let tol = StaffingTargets.tolerance
        if let s = serviceLevel, m.serviceLevel < s - tol { return false }
        if let a = maxASASeconds, m.asaSeconds > a + tol * max(1, a) { return false }
        if let p = maxAbandon, (m.probAbandon ?? 0) > p + tol { return false }
        if let o = maxOccupancy, m.occupancy > o + tol { return false }
        return true
    }

    /// The targets as a phrase for messages: "service level 80% within 20 s and ASA <= 30 s".
    public var summary: String {
        var parts: [String] = []
        if let s = serviceLevel { parts.append("service level \(StaffingError.show(s * 100))% within \(StaffingError.show(serviceSeconds)) s") }
        if let a = maxASASeconds { parts.append("ASA <= \(StaffingError.show(a)) s") }
        if let p = maxAbandon { parts.append("abandonment <= \(StaffingError.show(p * 100))%") }
        if let o = maxOccupancy { parts.append("occupancy <= \(StaffingError.show(o * 100))%") }
        return parts.isEmpty ? "no target" : parts.joined(separator: " and ")
    }
}

/// The fewest whole agents meeting every target, and the metrics there.
public struct StaffingSolution: Sendable, Equatable {
    public let agents: Int
    public let metrics: QueueMetrics
}

/// The exact continuous requirement: the smallest real x with every target met under the continuous extension,
/// `wholeAgents - 1 < agents <= wholeAgents`.
public struct FractionalStaffingSolution: Sendable, Equatable {
    public let agents: Double
    public let wholeAgents: Int
    public let metrics: QueueMetrics
}

/// Solve for staff.
///
/// Erlang C: an incremental scan that is exact without any monotonicity assumption. Every n <= A is unstable
/// and every n < A / maxOccupancy breaks the occupancy target, so the scan starts at the larger of the two
/// bounds, computes q = 1/B - 1 there once (warm-started, O(sqrt(A)) steps) and then moves to n + 1 with one
/// step of the Erlang B recursion, O(1) per agent; the first n meeting every target is the answer. It typically
/// takes about beta sqrt(A) steps, beta ~ 0.5-3 (square-root staffing, Halfin & Whitt 1981).
///
/// Erlang A and B: a gallop from a square-root-staffing guess followed by bisection, which returns an n with
/// n - 1 failing and n meeting the targets. That n is the minimum because, in these models, service level
/// increases and ASA, abandonment and occupancy decrease with n; the property tests check each monotonicity
/// over wide random cases and compare every answer with a full scan from 1. Lower bounds that hold for every model with
/// throughput at most n mu: SL <= n/A and 1 - P(abandon) <= n/A, so n >= SL target * A and n >= (1 - max
/// abandonment) * A.
///
/// Fractional mode (`solveFractional`): bisection to 1e-10 on (n* - 1, n*] of the targets evaluated with the
/// continuous extension of the Erlang B function (Jagerman 1974; see `ErlangB`), which is exact at integers and
/// monotone in between, rather than linear interpolation of a metric between n* - 1 and n*: the metrics are
/// convex in n, so a linear interpolation would depend on which metric is interpolated and would overstate
/// the requirement by up to the curvature over one agent; the continuous extension gives one well-defined
/// number for any combination of targets.
public enum StaffSolver {
    /// The fewest whole agents meeting every target. 0 when nothing arrives.
    /// - Throws: `StaffingError.noTarget`, `.targetNotModelled` (abandonment with Erlang C; Erlang A without a
    ///   patience), `.targetUnreachable` when no staffing up to A / maxOccupancy + 100 sqrt(A) + 1000 works.
    public static func solve(_ model: QueueModel, load: QueueLoad, targets: StaffingTargets) throws -> StaffingSolution {
        try check(model, load: load, targets: targets)
        let a = load.offeredLoad, t = targets.serviceSeconds
        guard a > 0 else { return StaffingSolution(agents: 0, metrics: idleMetrics(model, agents: 0, serviceSeconds: t)) }
        let limit = searchLimit(load: a, targets: targets)
        switch model {
        case .erlangC:
            var n = max(1, Int(a.rounded(.down)) + 1)
            if let o = targets.maxOccupancy { n = max(n, Int(min(a / o, 1e9).rounded(.up)) - 1) }
            var q = ErlangB.belowCapacityRatio(agents: Double(n), load: a)
            while n <= limit {
                let m = ErlangC.metrics(belowCapacityRatio: q, agents: Double(n), load: a, aht: load.ahtSeconds, serviceSeconds: t)
                if targets.isMet(by: m) { return StaffingSolution(agents: n, metrics: m) }
                n += 1
                q = ErlangB.step(q, toAgents: Double(n), load: a)
            }
            throw StaffingError.targetUnreachable(target: targets.summary, limit: limit)
        case .erlangA, .erlangB:
            let evaluate: (Int) -> QueueMetrics = model == .erlangA
                ? { ErlangA.evaluate(load, agents: Double($0), serviceSeconds: t) }
                : { ErlangB.metrics(load, agents: Double($0), serviceSeconds: t) }
            let lower = max(1, Int((a * max(targets.serviceLevel ?? 0, 1 - (targets.maxAbandon ?? 1))).rounded(.down)))
            let guess = max(lower, Int((a + 0.5 * a.squareRoot()).rounded(.up)))
            return try monotoneSearch(lower: lower, guess: guess, limit: limit, targets: targets, evaluate: evaluate)
        }
    }

    /// The exact continuous requirement (see the type's doc comment).
    public static func solveFractional(_ model: QueueModel, load: QueueLoad, targets: StaffingTargets) throws -> FractionalStaffingSolution {
        let whole = try solve(model, load: load, targets: targets)
        guard whole.agents > 0 else { return FractionalStaffingSolution(agents: 0, wholeAgents: 0, metrics: whole.metrics) }
        var lo = Double(whole.agents - 1), hi = Double(whole.agents), best = whole.metrics
        if model == .erlangC { lo = max(lo, load.offeredLoad) }
        while hi - lo > 1e-10 * max(1, hi) {
            let mid = (lo + hi) / 2
            guard mid > lo && mid < hi else { break }
            let m = try model.metrics(load, agents: mid, serviceSeconds: targets.serviceSeconds)
            if targets.isMet(by: m) { hi = mid; best = m } else { lo = mid }
        }
        return FractionalStaffingSolution(agents: hi, wholeAgents: whole.agents, metrics: best)
    }

    static func check(_ model: QueueModel, load: QueueLoad, targets: StaffingTargets) throws {
        if targets.isEmpty { throw StaffingError.noTarget }
        if model == .erlangC && targets.maxAbandon != nil {
            throw StaffingError.targetNotModelled(target: "abandonment (its callers never hang up)", model: .erlangC,
                                                  suggestion: "use Erlang A with a patience to staff to an abandonment rate")
        }
        if model == .erlangA && load.patienceSeconds == nil {
            throw StaffingError.targetNotModelled(target: "infinitely patient callers", model: .erlangA,
                                                  suggestion: "give a patience (mean seconds before a waiting caller hangs up), or use Erlang C")
        }
    }

    static func searchLimit(load a: Double, targets: StaffingTargets) -> Int {
        Int(min(1e9, a / (targets.maxOccupancy ?? 1) + 100 * a.squareRoot() + 1000))
    }

    /// Gallop from `guess`, then bisect; every n < `lower` is known to fail. Returns n with n - 1 failing
    /// (or n == lower) and n meeting the targets.
    static func monotoneSearch(lower: Int, guess: Int, limit: Int, targets: StaffingTargets,
                               evaluate: (Int) -> QueueMetrics) throws -> StaffingSolution {
        var lo: Int, hi: Int, hiMetrics: QueueMetrics
        let g = min(max(guess, lower), limit)
        let mg = evaluate(g)
        if targets.isMet(by: mg) {
            hi = g; hiMetrics = mg
            var step = 1
            while true {
                let c = hi - step
                if c < lower { lo = lower - 1; break }
                let m = evaluate(c)
                if targets.isMet(by: m) { hi = c; hiMetrics = m; step *= 2 } else { lo = c; break }
            }
        } else {
            lo = g
            var step = 1
            while true {
                if lo >= limit { throw StaffingError.targetUnreachable(target: targets.summary, limit: limit) }
                let c = min(lo + step, limit)
                let m = evaluate(c)
                if targets.isMet(by: m) { hi = c; hiMetrics = m; break }
                lo = c
                step *= 2
            }
        }
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            let m = evaluate(mid)
            if targets.isMet(by: m) { hi = mid; hiMetrics = m } else { lo = mid }
        }
        return StaffingSolution(agents: hi, metrics: hiMetrics)
    }
}
