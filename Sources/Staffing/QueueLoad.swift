import PlanningCore

/// The queueing models PeakPlan staffs voice-like queues with.
public enum QueueModel: String, CaseIterable, Sendable, Codable {
    /// Erlang B (M/M/n/n): callers who find every agent busy are lost at once.
    case erlangB = "b"
    /// Erlang C (M/M/n): callers wait as long as it takes (infinite patience).
    case erlangC = "c"
    /// Erlang A (M/M/n+M): waiting callers hang up after an exponential patience.
    case erlangA = "a"

    public var displayName: String {
        switch self {
        case .erlangB: return "Erlang B"
        case .erlangC: return "Erlang C"
        case .erlangA: return "Erlang A"
        }
    }
}

/// One interval of offered work for one queue: Poisson arrivals, exponential handle times and (for Erlang A)
/// exponential patience. Validated on construction, so every model can rely on it.
///
/// Offered load A = arrivals * AHT / interval seconds (Erlangs), as in
/// `Datasets/benchmarks/erlang/erlang_reference_notes.md`.
public struct QueueLoad: Sendable, Equatable {
    /// Arrivals offered during the interval (may be fractional: a forecast mean or quantile).
    public let arrivals: Double
    /// Length of the interval in seconds.
    public let intervalSeconds: Double
    /// Average handle time in seconds (talk + hold + after-call work).
    public let ahtSeconds: Double
    /// Mean time a waiting caller waits before hanging up; nil means infinitely patient. Only Erlang A reads it;
    /// 0 means a caller who finds every agent busy hangs up at once (Erlang B's loss system).
    public let patienceSeconds: Double?

    /// - Throws: `StaffingError.invalidInput` for negative, NaN or infinite arrivals, a non-positive interval or
    ///   AHT, or a negative or NaN patience.
    public init(arrivals: Double, intervalSeconds: Double = Double(TimeGrid.halfHour.secondsPerSlot), ahtSeconds: Double, patienceSeconds: Double? = nil) throws {
        guard arrivals.isFinite, arrivals >= 0 else {
            throw StaffingError.invalidInput(field: "arrivals per interval", value: arrivals, requirement: "a finite number >= 0")
        }
        guard intervalSeconds.isFinite, intervalSeconds > 0 else {
            throw StaffingError.invalidInput(field: "interval seconds", value: intervalSeconds, requirement: "a finite number > 0")
        }
        guard ahtSeconds.isFinite, ahtSeconds > 0 else {
            throw StaffingError.invalidInput(field: "AHT seconds", value: ahtSeconds, requirement: "a finite number > 0 (a handle time of 0 means no work)")
        }
        if let p = patienceSeconds, p.isNaN || p < 0 {
            throw StaffingError.invalidInput(field: "patience seconds", value: p, requirement: ">= 0 (use no patience, or inf, for infinitely patient callers)")
        }
        let load = arrivals * ahtSeconds / intervalSeconds
        guard load.isFinite else {
            throw StaffingError.invalidInput(field: "offered load (arrivals * AHT / interval)", value: load, requirement: "finite")
        }
        self.arrivals = arrivals
        self.intervalSeconds = intervalSeconds
        self.ahtSeconds = ahtSeconds
        self.patienceSeconds = patienceSeconds.flatMap { $0.isInfinite ? nil : $0 }
    }

    /// Offered load A in Erlangs.
    @inlinable public var offeredLoad: Double { arrivals * ahtSeconds / intervalSeconds }
    /// Arrival rate lambda per second.
    @inlinable public var arrivalRate: Double { arrivals / intervalSeconds }
    /// Service rate mu per agent per second (1 / AHT).
    @inlinable public var serviceRate: Double { 1 / ahtSeconds }
    /// Abandonment rate theta per waiting caller per second (1 / patience); 0 when infinitely patient,
    /// +infinity for zero patience.
    @inlinable public var abandonmentRate: Double {
        guard let p = patienceSeconds else { return 0 }
        return p == 0 ? .infinity : 1 / p
    }

    /// The same queue with another arrival count (used for quantile staffing and sweeps).
    public func with(arrivals a: Double) throws -> QueueLoad {
        try QueueLoad(arrivals: a, intervalSeconds: intervalSeconds, ahtSeconds: ahtSeconds, patienceSeconds: patienceSeconds)
    }
}

/// Steady-state performance of one queue at one staffing level, per arriving contact. Definitions follow
/// `Datasets/benchmarks/erlang/erlang_reference_notes.md`:
/// - `probWait`: P(wait > 0), i.e. the caller finds every agent busy; for Erlang B the blocking probability.
/// - `serviceLevel`: P(answered and wait <= T). In Erlang A abandoners never count as answered within T, even
///   if they hang up before T. In Erlang B the answered callers never wait, so it is 1 - P(blocked).
/// - `asaSeconds`: mean wait over ALL arrivals (zero waits included; in Erlang A abandoners count with their
///   time to abandon). 0 in Erlang B.
/// - `occupancy`: carried load / agents, the share of agent time spent handling contacts.
/// - `probAbandon`: Erlang A: P(abandon); Erlang B: P(blocked) (lost at once); Erlang C: nil, the model assumes
///   nobody hangs up.
public struct QueueMetrics: Sendable, Equatable {
    public var model: QueueModel
    /// Agents the metrics describe; fractional when evaluated through the continuous extension.
    public var agents: Double
    public var offeredLoad: Double
    public var serviceSeconds: Double
    public var probWait: Double
    public var serviceLevel: Double
    public var asaSeconds: Double
    public var occupancy: Double
    public var probAbandon: Double?

    public init(model: QueueModel, agents: Double, offeredLoad: Double, serviceSeconds: Double, probWait: Double,
                serviceLevel: Double, asaSeconds: Double, occupancy: Double, probAbandon: Double?) {
        self.model = model
        self.agents = agents
        self.offeredLoad = offeredLoad
        self.serviceSeconds = serviceSeconds
        self.probWait = probWait
        self.serviceLevel = serviceLevel
        self.asaSeconds = asaSeconds
        self.occupancy = occupancy
        self.probAbandon = probAbandon
    }
}

extension QueueModel {
    /// Metrics at a whole number of agents. See `ErlangB`, `ErlangC`, `ErlangA` for formulas and references.
    /// - Throws: `StaffingError` for a negative agent count or T, Erlang C at or below the load, or Erlang A
    ///   without a patience.
    public func metrics(_ load: QueueLoad, agents: Int, serviceSeconds: Double) throws -> QueueMetrics {
        guard agents >= 0 else {
            throw StaffingError.invalidInput(field: "agents", value: Double(agents), requirement: ">= 0")
        }
        return try metrics(load, agents: Double(agents), serviceSeconds: serviceSeconds)
    }

    /// Metrics at a real number of agents through the continuous extension of the Erlang B function
    /// (Jagerman 1974; see `ErlangB.belowCapacityRatio(agents:load:)`); equal to the integer formulas at integers.
    public func metrics(_ load: QueueLoad, agents: Double, serviceSeconds: Double) throws -> QueueMetrics {
        guard agents.isFinite, agents >= 0 else {
            throw StaffingError.invalidInput(field: "agents", value: agents, requirement: "a finite number >= 0")
        }
        guard serviceSeconds.isFinite, serviceSeconds >= 0 else {
            throw StaffingError.invalidInput(field: "service level time T (seconds)", value: serviceSeconds, requirement: "a finite number >= 0")
        }
        switch self {
        case .erlangB: return ErlangB.metrics(load, agents: agents, serviceSeconds: serviceSeconds)
        case .erlangC: return try ErlangC.metrics(load, agents: agents, serviceSeconds: serviceSeconds)
        case .erlangA:
            return try ErlangA.metrics(load, agents: agents, serviceSeconds: serviceSeconds)
        }
    }
}

/// Metrics when nothing arrives: nobody waits, every (zero) contact is answered at once.
@usableFromInline func idleMetrics(_ model: QueueModel, agents: Double, serviceSeconds: Double) -> QueueMetrics {
    QueueMetrics(model: model, agents: agents, offeredLoad: 0, serviceSeconds: serviceSeconds, probWait: 0,
                 serviceLevel: 1, asaSeconds: 0, occupancy: 0, probAbandon: model == .erlangC ? nil : 0)
}
