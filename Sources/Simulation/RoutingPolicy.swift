/// A contact waiting in its queue: when it arrived, when its patience runs out (+infinity: never), its handle
/// time (drawn at arrival, so it does not depend on who serves it) and its arrival interval.
public struct WaitingContact: Sendable {
    public var arrival: Double
    public var deadline: Double
    public var handle: Double
    public var interval: Int32
}

/// The contacts waiting in each queue, first come first served.
///
/// Abandonment is resolved lazily and exactly: a contact whose patience ran out at or before `now` has
/// abandoned, and is counted (by arrival interval) and dropped when it reaches the head of its queue or when
/// the run ends. Since queues are served from the head only, this gives the same outcomes as an abandonment
/// event per contact, without those events.
public struct WaitingContacts {
    /// One ring per queue, used in place through the pointer.
    let queues: UnsafeMutablePointer<Ring<WaitingContact>>
    let queueCount: Int
    /// Abandoned contacts per queue and arrival interval, `[q * intervals + t]`.
    let abandoned: Buf<Int32>
    public internal(set) var abandonEvents = 0
    let intervals: Int

    init(queueCount: Int, intervals: Int) {
        queues = .allocate(capacity: max(queueCount, 1))
        for q in 0..<queueCount { (queues + q).initialize(to: Ring<WaitingContact>(capacity: 64)) }
        self.queueCount = queueCount
        abandoned = Buf(repeating: 0, count: queueCount * intervals)
        self.intervals = intervals
    }

    func free() {
        for q in 0..<queueCount { queues[q].free() }
        queues.deinitialize(count: queueCount)
        queues.deallocate()
        abandoned.free()
    }

    mutating func reset() {
        for q in 0..<queueCount { queues[q].removeAll() }
        abandoned.fill(0)
        abandonEvents = 0
    }

    /// Contacts waiting in queue q (abandoned ones not yet dropped included).
    public func count(_ q: Int) -> Int { queues[q].count }

    /// Arrival time of the longest-waiting contact of queue q still waiting at `now`, or nil when none waits.
    @inline(__always)
    public mutating func oldestArrival(_ q: Int, now: Double) -> Double? {
        while !queues[q].isEmpty {
            let c = queues[q].first
            if c.deadline > now { return c.arrival }
            queues[q].removeFirst()
            abandoned[q * intervals + Int(c.interval)] += 1
            abandonEvents += 1
        }
        return nil
    }

    @inline(__always) mutating func append(_ c: WaitingContact, to q: Int) { queues[q].append(c) }

    /// Removes and returns the head of queue q (call `oldestArrival` first: the head is then still waiting).
    @inline(__always) mutating func removeFirst(_ q: Int) -> WaitingContact { queues[q].removeFirst() }

    /// Contacts of queue q left in the queue at `end`: those whose patience ran out are counted as abandoned;
    /// returns how many are still waiting.
    mutating func settle(_ q: Int, end: Double) -> Int {
        var still = 0
        while !queues[q].isEmpty {
            let c = queues[q].removeFirst()
            if c.deadline <= end {
                abandoned[q * intervals + Int(c.interval)] += 1
                abandonEvents += 1
            } else { still += 1 }
        }
        return still
    }
}

/// Settings of the routing policies (each policy reads the ones it uses).
public struct RoutingSettings: Sendable, Equatable {
    /// `overflow`: seconds a contact waits for an agent of its own (best-level) skill before agents who have its
    /// queue as a secondary skill may take it.
    public var overflowDelaySeconds: Double

    public init(overflowDelaySeconds: Double = 30) { self.overflowDelaySeconds = overflowDelaySeconds }
}

/// A routing policy: which idle agent takes an arriving contact, and which queue a freed agent serves next.
/// One policy per file in `RoutingPolicies/`, listed in `RoutingPolicies.all`. The engine is generic over the
/// policy, so its calls are direct (no dynamic dispatch per event).
///
/// The engine calls, with agent and queue indices of the `SimModel`:
/// - `agentBecameIdle(a, now)` when agent a is on shift, free, and took nothing (`queueToServe` said nil);
/// - `takeIdleAgent(for: q, now)` when a contact arrives in queue q: the policy returns one of its idle agents
///   with skill q and forgets it (it is no longer idle), or nil and the contact waits;
/// - `agentLeftIdle(a)` when an idle agent's segment ends;
/// - `queueToServe(agent: a, waiting: &w, now)` when agent a becomes free on shift: a queue among a's skills
///   whose head it takes (the engine removes the head), or nil.
/// - `wakeTime(queue: q, waiting: &w, now)` after a contact joins queue q with no wake-up of q pending, and
///   after each wake-up of q: the time at which the policy wants to look at q again (nil: never); then
///   `onWake(queue: q, waiting: &w, now)` at that time: an idle agent (forgotten by the policy) to take q's
///   head, or nil. A policy that never waits on time keeps the default (nil).
/// Invariants the engine relies on: an agent returned by `takeIdleAgent` or `onWake` was idle and has skill q
/// (for `onWake`, with a contact waiting in q); a queue returned by `queueToServe` is one of the agent's skills
/// with a contact waiting (`w.oldestArrival` not nil).
public protocol RoutingPolicy: SendableMetatype {
    /// The name used on the command line (`--policy`).
    static var name: String { get }
    /// One line saying what the policy does.
    static var summary: String { get }
    init(model: SimModel, settings: RoutingSettings)
    /// Forgets every idle agent (a new replication starts).
    mutating func reset()
    /// Frees memory the policy manages itself (called once, when the run is over).
    func free()
    mutating func agentBecameIdle(_ a: Int, now: Double)
    mutating func agentLeftIdle(_ a: Int)
    mutating func takeIdleAgent(for q: Int, now: Double) -> Int?
    mutating func queueToServe(agent a: Int, waiting: inout WaitingContacts, now: Double) -> Int?
    mutating func wakeTime(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Double?
    mutating func onWake(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Int?
}

extension RoutingPolicy {
    public mutating func wakeTime(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Double? { nil }
    public mutating func onWake(queue q: Int, waiting: inout WaitingContacts, now: Double) -> Int? { nil }
}
