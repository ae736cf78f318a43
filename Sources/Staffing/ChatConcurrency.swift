import Foundation

/// A chat queue whose agents hold several chats at once, each chat taking longer the more chats its agent holds.
///
/// Model ("concurrency slots"). An agent working at concurrency j holds up to j chats; a chat handled alongside
/// others takes `ahtSeconds * concurrencyFactors[j - 1]` (factor 1 = a chat handled alone; a typical table is
/// [1.0, 1.3, 1.7]: two chats at once each take 1.3x as long, so the agent completes 2/1.3 = 1.54x the work of
/// one chat at a time). With the cap at j, n agents are n j servers ("slots") each with handle time
/// AHT f(j), and the queue is Erlang C (or Erlang A with a patience) on n j servers: a new chat takes any free
/// slot; when all n j are busy it waits first come first served. Industry practice adjusts Erlang C for
/// concurrency too (e.g. Call Centre Helper, "Erlang C for chat", divides AHT by a concurrency factor, i.e.
/// treats an agent as one faster server); the slot model instead lets a new chat start in any free slot, and is
/// exact for its one assumption: a busy agent's chats run at the cap's pace. That assumption is conservative
/// when load is light (an agent holding fewer chats than the cap finishes them faster than AHT f(j)) and exact
/// when agents are saturated, which is where the targets bind.
///
/// The cap itself is a decision. Tezcan & Zhang, "Routing and staffing in customer service chat systems with
/// impatient customers", Operations Research 62(4) (2014) 943-956, model per-chat service rates that depend on
/// the number of chats an agent holds and choose how many chats agents should hold through a staffing LP; in the
/// same spirit `ChatStaffing.solve` tries every cap 1...k and keeps the one needing the fewest agents (ties go to
/// the lower cap, which answers chats faster).
public struct ChatQueue: Sendable, Equatable {
    /// Arrivals, interval, AHT of a chat handled alone, optional patience.
    public let load: QueueLoad
    /// f(1...k): handle-time multiplier when the agent holds j chats.
    public let concurrencyFactors: [Double]

    /// - Throws: `StaffingError.invalidTable` for an empty table or a factor that is not a finite number > 0.
    public init(load: QueueLoad, concurrencyFactors: [Double]) throws {
        guard !concurrencyFactors.isEmpty else {
            throw StaffingError.invalidTable(field: "concurrency factors", message: "need at least one factor (1.0 for one chat at a time)")
        }
        for (k, f) in concurrencyFactors.enumerated() where !(f.isFinite && f > 0) {
            throw StaffingError.invalidTable(field: "concurrency factors",
                                             message: "factor for \(k + 1) concurrent chats must be a finite number > 0 (got \(StaffingError.show(f)))")
        }
        self.load = load
        self.concurrencyFactors = concurrencyFactors
    }

    /// The largest cap k.
    public var maxConcurrency: Int { concurrencyFactors.count }

    /// The slot-level queue at cap j: same arrivals, handle time AHT f(j).
    public func slotLoad(concurrency j: Int) throws -> QueueLoad {
        try QueueLoad(arrivals: load.arrivals, intervalSeconds: load.intervalSeconds,
                      ahtSeconds: load.ahtSeconds * concurrencyFactors[j - 1], patienceSeconds: load.patienceSeconds)
    }
}

/// Result of a chat evaluation or solve: agents, the cap used and the slot-level metrics (occupancy = share of
/// slots busy; the Erlang definitions of `QueueMetrics` apply per chat).
public struct ChatStaffingResult: Sendable, Equatable {
    public let agents: Int
    public let concurrency: Int
    public let metrics: QueueMetrics
}

public enum ChatStaffing {
    /// The queueing model: Erlang A when the queue has a patience, Erlang C otherwise.
    public static func model(_ q: ChatQueue) -> QueueModel { q.load.patienceSeconds == nil ? .erlangC : .erlangA }

    /// Metrics with `agents` agents capped at `concurrency` chats each (default: the largest cap).
    /// - Throws: `StaffingError.invalidInput` for a cap outside 1...k; `.unstable` for Erlang C at or below the load.
    public static func metrics(_ q: ChatQueue, agents: Int, concurrency: Int? = nil, serviceSeconds: Double) throws -> ChatStaffingResult {
        let j = concurrency ?? q.maxConcurrency
        guard (1...q.maxConcurrency).contains(j) else {
            throw StaffingError.invalidInput(field: "concurrency", value: Double(j), requirement: "between 1 and \(q.maxConcurrency) (the factor table's length)")
        }
        guard agents >= 0 else { throw StaffingError.invalidInput(field: "agents", value: Double(agents), requirement: ">= 0") }
        var m = try model(q).metrics(try q.slotLoad(concurrency: j), agents: agents * j, serviceSeconds: serviceSeconds)
        m.agents = Double(agents)
        return ChatStaffingResult(agents: agents, concurrency: j, metrics: m)
    }

    /// The fewest agents meeting every target, over every cap 1...k. For one cap j the minimal slot count c*
    /// comes from `StaffSolver`; ceil(c*/j) agents then meet the targets and one fewer does not (the metrics
    /// are monotone in slots), so the answer is exact for the slot model.
    public static func solve(_ q: ChatQueue, targets: StaffingTargets) throws -> ChatStaffingResult {
        var best: ChatStaffingResult?
        var lastError: Error?
        for j in 1...q.maxConcurrency {
            do {
                let slots = try StaffSolver.solve(model(q), load: try q.slotLoad(concurrency: j), targets: targets)
                let agents = (slots.agents + j - 1) / j
                if best == nil || agents < best!.agents {
                    best = try metrics(q, agents: agents, concurrency: j, serviceSeconds: targets.serviceSeconds)
                }
            } catch let e as StaffingError {
                if case .targetUnreachable = e { lastError = e; continue }
                throw e
            }
        }
        if let best { return best }
        throw lastError ?? StaffingError.noTarget
    }
}
