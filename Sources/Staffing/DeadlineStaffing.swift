import Foundation

/// Deferrable work (email, back office): what arrives in an interval must be finished within a window of
/// business intervals, and unfinished work carries over.
///
/// Units: `workload[t]` is the work arriving in interval t in agent-intervals (volume * AHT / interval seconds),
/// so one productive agent for one interval removes 1.0. Work arriving in business interval t is due by the end
/// of business interval t + window - 1 (window = 1: the same interval; 24 business hours of 30-minute intervals:
/// window = 48). Closed intervals (`open[t] == false`) have no staff and do not count towards the window; work
/// arriving while closed joins the next open interval. Deadlines after the horizon are not enforced inside it:
/// that work is reported as carried out.
public struct DeadlineWork: Sendable, Equatable {
    public let workload: [Double]
    public let window: Int
    public let open: [Bool]
    /// Workload per business (open) interval, closed-hour arrivals moved to the next open interval.
    let business: [Double]
    /// Index in `workload` of each business interval.
    let businessIndex: [Int]
    /// Work arriving after the last open interval.
    let afterClose: Double

    /// - Throws: `StaffingError.invalidInput` for a window < 1 or a negative/NaN/infinite workload;
    ///   `.invalidTable` when `open` and `workload` differ in length.
    public init(workload: [Double], window: Int, open: [Bool]? = nil) throws {
        guard window >= 1 else {
            throw StaffingError.invalidInput(field: "deadline window (business intervals)", value: Double(window), requirement: ">= 1")
        }
        for (t, w) in workload.enumerated() where !(w.isFinite && w >= 0) {
            throw StaffingError.invalidInput(field: "workload in interval \(t)", value: w, requirement: "a finite number >= 0")
        }
        let mask = open ?? Array(repeating: true, count: workload.count)
        guard mask.count == workload.count else {
            throw StaffingError.invalidTable(field: "open intervals", message: "has \(mask.count) entries for \(workload.count) workload intervals")
        }
        var business: [Double] = [], index: [Int] = [], pending = 0.0
        for t in workload.indices {
            pending += workload[t]
            if mask[t] { business.append(pending); index.append(t); pending = 0 }
        }
        self.workload = workload
        self.window = window
        self.open = mask
        self.business = business
        self.businessIndex = index
        self.afterClose = pending
    }

    /// Workload from volume and handle time: volume * AHT / interval seconds agent-intervals per interval.
    public init(volume: [Double], ahtSeconds: Double, intervalSeconds: Double, window: Int, open: [Bool]? = nil) throws {
        guard ahtSeconds.isFinite, ahtSeconds > 0 else {
            throw StaffingError.invalidInput(field: "AHT seconds", value: ahtSeconds, requirement: "a finite number > 0")
        }
        guard intervalSeconds.isFinite, intervalSeconds > 0 else {
            throw StaffingError.invalidInput(field: "interval seconds", value: intervalSeconds, requirement: "a finite number > 0")
        }
        try self.init(workload: volume.map { $0 * ahtSeconds / intervalSeconds }, window: window, open: open)
    }
}

/// A staffing curve for deadline work and the backlog it leaves.
public struct DeadlinePlan: Sendable, Equatable {
    /// Productive agents per interval (0 in closed intervals).
    public let staffing: [Double]
    /// Unfinished work after each interval (agent-intervals).
    public let backlog: [Double]
    /// Work left at the end of the horizon (all of it due after the horizon).
    public let carriedOut: Double
    public var peak: Double { staffing.max() ?? 0 }
    public var total: Double { staffing.reduce(0, +) }
}

/// A deadline missed by a staffing curve under earliest-deadline-first processing.
public struct MissedDeadline: Sendable, Equatable {
    /// Interval (index in `workload`) by whose end the work was due.
    public let interval: Int
    /// Work not finished by then (agent-intervals).
    public let amount: Double
}

/// Deadline staffing. Notation over business intervals b = 0..<N: W(b) = work arrived by the end of b
/// (cumulative), R(b) = W(b - window + 1) = work due by the end of b, S(b) = cumulative staffing, P(b) =
/// cumulative work done. Processing is earliest-deadline-first (here first-in-first-out, every window being
/// equal), which is optimal for feasibility by the usual exchange argument (cf. Horn, "Some simple scheduling
/// algorithms", Naval Research Logistics Quarterly 21 (1974) 177-185): a curve meets every deadline iff
/// P(b) >= R(b) for all b, where P(b) = min(P(b - 1) + s_b, W(b)).
public enum DeadlineStaffing {
    /// The as-late-as-possible curve: in each interval staff the least that meets the work due now,
    /// s_b = max(0, R(b) - P(b - 1)), rounded up when `wholeAgents`.
    ///
    /// It is the smallest curve in the strongest sense: every feasible curve s' (whole agents when
    /// `wholeAgents`) has S'(b) >= S(b) for every b, hence also the smallest total. Proof sketch, by induction
    /// on b with the invariant S(b) <= S'(b) and P'(b) - P(b) <= S'(b) - S(b):
    /// (i) if P(b) = W(b) the second part holds because P'(b) <= W(b); otherwise P(b) = P(b-1) + s_b and
    /// P'(b) - P(b) <= P'(b-1) + s'_b - P(b-1) - s_b <= S'(b) - S(b);
    /// (ii) if s_b = 0, S(b) = S(b-1) <= S'(b-1) <= S'(b); otherwise feasibility of s' gives
    /// R(b) <= P'(b) <= P'(b-1) + s'_b <= P(b-1) + [S'(b) - S(b-1)], so k = S'(b) - S(b-1) (an integer when
    /// staffing is whole) is an amount that meets R(b) from P(b-1); s_b is the least such amount, so k >= s_b,
    /// i.e. S'(b) >= S(b). The brute-force test checks this against every curve on small random cases.
    public static func latest(_ work: DeadlineWork, wholeAgents: Bool = false) -> DeadlinePlan {
        let n = work.business.count
        var s = [Double](repeating: 0, count: n)
        var cumW = 0.0, done = 0.0
        var due = [Double](repeating: 0, count: n)   // R(b)
        var w = 0.0
        for b in 0..<n {
            let k = b - work.window + 1
            if k >= 0 { w += work.business[k] }
            due[b] = w
        }
        var backlog = [Double](repeating: 0, count: n)
        for b in 0..<n {
            cumW += work.business[b]
            var need = max(0, due[b] - done)
            if wholeAgents { need = (need - 1e-9 * max(1, due[b])).rounded(.up); need = max(0, need) }
            s[b] = need
            done = min(done + need, cumW)
            backlog[b] = max(0, cumW - done)
        }
        return expand(work, staffing: s, backlog: backlog)
    }

    /// The levelled curve: the taut string (shortest path) for the cumulative staffing between the lower bound
    /// R(b) (what is due) and the upper bound W(b) (what has arrived), from 0 to R(N - 1).
    ///
    /// Among all curves that never staff for work that has not arrived it minimises sum phi(s_b) for every
    /// convex phi at once (the classical property of the taut string: e.g. Barlow, Bartholomew, Bremner & Brunk,
    /// *Statistical Inference under Order Restrictions*, 1972; Grasmair, "The equivalence of the taut string
    /// algorithm and BV-regularization", J. Math. Imaging Vision 27 (2007)), so in particular its peak is the
    /// least any feasible curve can have: max over windows [a, b] of (work arriving in [a, b - window + 1]) /
    /// (b - a + 1) (by the Hall/Horn condition; see `minimumPeak`), and its total is exactly the work due.
    /// Whole agents: rounding each interval up keeps every deadline (more capacity never delays EDF).
    /// Algorithm: extend a straight segment while the cone of feasible slopes is non-empty; when the lower
    /// bound rises above the steepest slope, bend at the upper-bound point that set it (and symmetrically);
    /// O(N x segment length).
    public static func levelled(_ work: DeadlineWork) -> DeadlinePlan {
        let n = work.business.count
        guard n > 0 else { return expand(work, staffing: [], backlog: []) }
        var hi = [Double](repeating: 0, count: n + 1), lo = hi
        var cum = 0.0
        var cumAt = [Double](repeating: 0, count: n + 1)
        for b in 0..<n { cum += work.business[b]; cumAt[b + 1] = cum }
        for b in 0..<n {
            hi[b + 1] = cumAt[b + 1]
            let k = b - work.window + 1
            lo[b + 1] = k >= 0 ? cumAt[k + 1] : 0
        }
        hi[n] = lo[n]
        var c = [Double](repeating: 0, count: n + 1)
        var a = 0, ca = 0.0
        while a < n {
            var smin = -Double.infinity, smax = Double.infinity, kmin = a, kmax = a
            var bend: (Int, Double)?
            var k = a + 1
            while k <= n {
                let d = Double(k - a)
                let sl = (lo[k] - ca) / d, su = (hi[k] - ca) / d
                if sl > smax { bend = (kmax, smax); break }
                if su < smin { bend = (kmin, smin); break }
                if sl >= smin { smin = sl; kmin = k }
                if su <= smax { smax = su; kmax = k }
                k += 1
            }
            let (end, slope) = bend ?? (n, (lo[n] - ca) / Double(n - a))
            for i in (a + 1)...end { c[i] = min(hi[i], max(lo[i], ca + slope * Double(i - a))) }
            a = end
            ca = c[end]
        }
        var s = [Double](repeating: 0, count: n), backlog = s
        for b in 0..<n {
            s[b] = max(0, c[b + 1] - c[b])
            backlog[b] = max(0, cumAt[b + 1] - c[b + 1])
        }
        return expand(work, staffing: s, backlog: backlog)
    }

    /// The least peak any curve meeting every deadline needs (idle staff allowed or not):
    /// max over business windows [a, b] of (work arriving in [a, b - window + 1]) / (b - a + 1). Computed as the
    /// peak of `levelled` (O(N x segment)); `minimumPeakBruteForce` evaluates the formula directly in O(N^2).
    public static func minimumPeak(_ work: DeadlineWork) -> Double { levelled(work).peak }

    /// The window formula of `minimumPeak`, evaluated directly (for tests and small inputs).
    public static func minimumPeakBruteForce(_ work: DeadlineWork) -> Double {
        let w = work.business, n = w.count
        var best = 0.0
        for a in 0..<n {
            var arriving = 0.0
            for b in a..<n {
                let last = b - work.window + 1
                if last >= a { arriving += w[last] }
                best = max(best, arriving / Double(b - a + 1))
            }
        }
        return best
    }

    /// Runs earliest-deadline-first processing of `work` with `staffing` (one entry per interval of `workload`;
    /// closed intervals must be 0) and lists every deadline missed by more than 1e-9 of the total work.
    public static func missedDeadlines(staffing: [Double], work: DeadlineWork) throws -> [MissedDeadline] {
        guard staffing.count == work.workload.count else {
            throw StaffingError.invalidTable(field: "staffing", message: "has \(staffing.count) entries for \(work.workload.count) workload intervals")
        }
        let tol = 1e-9 * max(1, work.workload.reduce(0, +))
        var amount: [Double] = [], dueAt: [Int] = [], head = 0
        var missed: [MissedDeadline] = []
        for (b, w) in work.business.enumerated() {
            amount.append(w)
            dueAt.append(b + work.window - 1)
            var capacity = staffing[work.businessIndex[b]]
            while capacity > 0 && head < amount.count {
                let take = min(capacity, amount[head])
                amount[head] -= take
                capacity -= take
                if amount[head] <= 0 { head += 1 }
            }
            var late = 0.0
            var i = head
            while i < amount.count && dueAt[i] <= b { late += amount[i]; amount[i] = 0; i += 1 }
            head = i
            if late > tol { missed.append(MissedDeadline(interval: work.businessIndex[b], amount: late)) }
        }
        return missed
    }

    /// Maps business-interval results back onto every interval (closed ones get 0 staff and keep the backlog).
    static func expand(_ work: DeadlineWork, staffing s: [Double], backlog: [Double]) -> DeadlinePlan {
        var full = [Double](repeating: 0, count: work.workload.count)
        var fullBacklog = full
        var k = 0, current = 0.0, pendingClosed = 0.0
        for t in work.workload.indices {
            if work.open[t] {
                full[t] = s[k]
                current = backlog[k]
                pendingClosed = 0
                k += 1
            } else {
                pendingClosed += work.workload[t]
            }
            fullBacklog[t] = current + pendingClosed
        }
        let carried = (backlog.last ?? 0) + work.afterClose
        return DeadlinePlan(staffing: full, backlog: fullBacklog, carriedOut: carried)
    }
}
