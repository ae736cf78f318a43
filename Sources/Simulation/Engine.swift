import Foundation

/// One service, recorded when `RunOptions.trace` is on (for checks): agent, queue, start and end, seconds.
public struct ServiceRecord: Sendable, Equatable {
    public var agent: Int
    public var queue: Int
    /// When the contact arrived.
    public var arrival: Double
    public var start: Double
    public var end: Double
}

/// What one replication produced, per queue and arrival interval (`[q * intervals + t]`).
public struct ReplicationOutcome: Sendable {
    public var offered: [Int32]
    public var answered: [Int32]
    /// Answered with a wait <= the service-level threshold.
    public var answeredWithin: [Int32]
    public var abandoned: [Int32]
    /// Sum of the answered contacts' waits, seconds.
    public var waitSum: [Double]
    /// Per queue: contacts still waiting when the run stopped (neither answered nor abandoned).
    public var stillWaiting: [Int]
    /// Per agent: seconds busy inside its segments, and seconds of segments (within the run).
    public var busySeconds: [Double]
    public var onSeconds: [Double]
    /// Arrivals + service completions + segment starts + segment ends + abandonments + policy wake-ups.
    public var events: Int
    public var trace: [ServiceRecord]
}

/// The discrete-event engine for one replication, generic over the routing policy (direct calls).
///
/// Model (the reference's, `Datasets/simulation/README.md`):
/// - Arrivals per queue: Poisson with a rate constant within each interval (`arrivals_per_interval /
///   interval`), drawn as exponential gaps; a gap that crosses the interval's end is discarded and drawing
///   restarts at the next interval with positive rate (exact, by memorylessness).
/// - Handle time: lognormal with the queue's mean and CV (or exponential), drawn at arrival.
/// - Patience: exponential with the queue's mean, drawn at arrival; a contact still waiting when it runs out
///   abandons (resolved lazily: `WaitingContacts`).
/// - Shifts: an agent takes contacts only inside its segments; one busy at a segment's end finishes the
///   contact and leaves after it (it takes nothing more until its next segment).
/// - Routing: the policy; a policy that waits on time (overflow after a delay) asks for wake-ups of a queue.
///   Statistics by arrival interval: offered, answered, answered within the threshold,
///   abandoned, wait of the answered. The run ends `drainSeconds` after the horizon.
///
/// Arrivals and service completions live in a 4-ary heap ordered by time; segment starts
/// and ends, known in advance, in the model's sorted timeline, walked beside the heap; waiting contacts in ring buffers; agents
/// as flat arrays. Nothing is allocated per event once buffers have grown.
struct Engine<Policy: RoutingPolicy> {
    let m: SimModel
    var policy: Policy
    var heap: EventHeap
    var waiting: WaitingContacts
    /// Per queue: the streams of arrival gaps, handle times and patience (used in place through the pointer).
    let arrivalRng: UnsafeMutablePointer<Xoshiro256StarStar>
    let handleRng: UnsafeMutablePointer<Xoshiro256StarStar>
    let patienceRng: UnsafeMutablePointer<Xoshiro256StarStar>
    /// The interval each queue's arrival process is in (`intervals` when it has finished).
    let arrivalInterval: Buf<Int>
    let busy: Buf<Bool>
    let onShift: Buf<Bool>
    /// Index (into `m.segStart`) of the agent's current segment, or of its next one when off shift.
    let segment: Buf<Int>
    let serviceStart: Buf<Double>
    let serviceSegment: Buf<Int>
    let busySeconds: Buf<Double>
    /// Per queue and interval.
    let offered: Buf<Int32>, answered: Buf<Int32>, answeredWithin: Buf<Int32>, waitSum: Buf<Double>
    var events = 0
    var traced: [ServiceRecord] = []
    var trace: Bool

    static var kindShift: UInt32 { 30 }
    static var arrival: UInt32 { 0 }
    static var completion: UInt32 { 1 }
    static var wake: UInt32 { 2 }
    /// Per queue: the time of its pending wake-up, +infinity when none is pending.
    let wakeAt: Buf<Double>

    init(model: SimModel, trace: Bool, settings: RoutingSettings = RoutingSettings()) {
        m = model
        policy = Policy(model: model, settings: settings)
        let nq = model.queueCount, na = model.agentCount, cells = nq * model.intervals
        // At most one pending completion per agent, one arrival and one wake-up per queue.
        heap = EventHeap(capacity: na + 2 * nq + 1)
        wakeAt = Buf(repeating: .infinity, count: nq)
        waiting = WaitingContacts(queueCount: nq, intervals: model.intervals)
        arrivalRng = .allocate(capacity: max(nq, 1))
        handleRng = .allocate(capacity: max(nq, 1))
        patienceRng = .allocate(capacity: max(nq, 1))
        arrivalInterval = Buf(repeating: 0, count: nq)
        busy = Buf(repeating: false, count: na)
        onShift = Buf(repeating: false, count: na)
        segment = Buf(repeating: 0, count: na)
        serviceStart = Buf(repeating: 0, count: na)
        serviceSegment = Buf(repeating: 0, count: na)
        busySeconds = Buf(repeating: 0, count: na)
        offered = Buf(repeating: 0, count: cells)
        answered = Buf(repeating: 0, count: cells)
        answeredWithin = Buf(repeating: 0, count: cells)
        waitSum = Buf(repeating: 0, count: cells)
        self.trace = trace
    }

    /// Frees the engine's memory (call once, when done).
    func free() {
        policy.free()
        heap.free()
        waiting.free()
        arrivalRng.deallocate(); handleRng.deallocate(); patienceRng.deallocate()
        wakeAt.free()
        arrivalInterval.free(); busy.free(); onShift.free(); segment.free(); serviceStart.free(); serviceSegment.free(); busySeconds.free()
        offered.free(); answered.free(); answeredWithin.free(); waitSum.free()
    }

    /// Runs replication `replication` of seed `seed` and returns its outcome.
    mutating func run(seed: UInt64, replication: Int) -> ReplicationOutcome {
        let nq = m.queueCount, na = m.agentCount
        heap.reset()
        waiting.reset()
        policy.reset()
        for q in 0..<nq {
            (arrivalRng + q).initialize(to: Xoshiro256StarStar(seed: seed, replication: replication, queue: q, kind: 0))
            (handleRng + q).initialize(to: Xoshiro256StarStar(seed: seed, replication: replication, queue: q, kind: 1))
            (patienceRng + q).initialize(to: Xoshiro256StarStar(seed: seed, replication: replication, queue: q, kind: 2))
        }
        offered.fill(0); answered.fill(0); answeredWithin.fill(0); waitSum.fill(0)
        busy.fill(false); onShift.fill(false); busySeconds.fill(0); wakeAt.fill(.infinity)
        for a in 0..<na { segment[a] = m.segFirst[a] }
        events = 0
        traced = []

        for q in 0..<nq {
            arrivalInterval[q] = 0
            scheduleArrival(q, from: 0)
        }
        let end = m.endSeconds
        // Segment starts and ends come from the model's sorted timeline, contacts' events from the heap; at
        // equal times the timeline goes first.
        var next = 0
        let markTime = m.timelineTime, markAgent = m.timelineAgent, markKind = m.timelineKind
        let marks = markTime.count
        var nextMark = marks > 0 ? markTime[0] : .infinity
        while true {
            let heapTime = heap.isEmpty ? Double.infinity : heap.minTime
            if nextMark <= heapTime {
                if nextMark >= end { break }
                let a = Int(markAgent[next])
                if markKind[next] == 1 { startSegment(a, now: nextMark) } else { endSegment(a, now: nextMark) }
                next += 1
                nextMark = next < marks ? markTime[next] : .infinity
                continue
            }
            if heapTime >= end { break }
            let e = heap.popMin()
            let i = Int(e.payload & (1 << Self.kindShift - 1))
            switch e.payload >> Self.kindShift {
            case Self.arrival: arrive(i, now: e.time)
            case Self.completion: complete(i, now: e.time)
            default: wake(i, now: e.time)
            }
        }
        // Settle: contacts left in queues, services in progress, time on shift.
        let still = (0..<nq).map { waiting.settle($0, end: end) }
        var on = [Double](repeating: 0, count: na)
        for a in 0..<na {
            if busy[a] { busySeconds[a] += busyInside(a, from: serviceStart[a], to: end) }
            for k in m.segFirst[a]..<m.segFirst[a + 1] { on[a] += max(0, min(m.segEnd[k], end) - min(m.segStart[k], end)) }
        }
        return ReplicationOutcome(offered: offered.array, answered: answered.array, answeredWithin: answeredWithin.array,
                                  abandoned: waiting.abandoned.array, waitSum: waitSum.array, stillWaiting: still,
                                  busySeconds: busySeconds.array, onSeconds: on, events: events + waiting.abandonEvents, trace: traced)
    }

    /// Schedules queue q's next arrival after `now` (see the type's doc), or none when the horizon is over.
    @inline(__always)
    mutating func scheduleArrival(_ q: Int, from now: Double) {
        var t = now
        var iv = arrivalInterval[q]
        let base = q * m.intervals
        while iv < m.intervals {
            let lam = m.rate[base + iv]
            if lam > 0 {
                let next = t + arrivalRng[q].exponential(mean: 1 / lam)
                if next < Double(iv + 1) * m.intervalSeconds {
                    arrivalInterval[q] = iv
                    heap.push(time: next, payload: Self.arrival << Self.kindShift | UInt32(q))
                    return
                }
            }
            iv += 1
            t = Double(iv) * m.intervalSeconds
        }
        arrivalInterval[q] = m.intervals
    }

    @inline(__always)
    mutating func drawHandle(_ q: Int) -> Double {
        if m.exponentialHandle[q] { return handleRng[q].exponential(mean: m.ahtSeconds[q]) }
        let sigma = m.lnSigma[q]
        if sigma == 0 { return m.ahtSeconds[q] }
        return exp(m.lnMu[q] + sigma * handleRng[q].normal())
    }

    mutating func arrive(_ q: Int, now: Double) {
        events += 1
        let iv = arrivalInterval[q]
        offered[q * m.intervals + iv] += 1
        let handle = drawHandle(q)
        let mean = m.patience[q]
        let deadline = mean.isFinite ? now + patienceRng[q].exponential(mean: mean) : .infinity
        if let a = policy.takeIdleAgent(for: q, now: now) {
            serve(a, queue: q, contact: WaitingContact(arrival: now, deadline: deadline, handle: handle, interval: Int32(iv)), now: now)
        } else {
            waiting.append(WaitingContact(arrival: now, deadline: deadline, handle: handle, interval: Int32(iv)), to: q)
            if wakeAt[q] == .infinity { scheduleWake(q, now: now) }
        }
        scheduleArrival(q, from: now)
    }

    /// Asks the policy when to look at queue q again and schedules that wake-up (one pending per queue).
    @inline(__always)
    mutating func scheduleWake(_ q: Int, now: Double) {
        if let t = policy.wakeTime(queue: q, waiting: &waiting, now: now) {
            let at = max(t, now)
            wakeAt[q] = at
            heap.push(time: at, payload: Self.wake << Self.kindShift | UInt32(q))
        }
    }

    /// A wake-up of queue q: the policy may hand its head to an idle agent; then the next wake-up.
    mutating func wake(_ q: Int, now: Double) {
        events += 1
        wakeAt[q] = .infinity
        if let a = policy.onWake(queue: q, waiting: &waiting, now: now) {
            precondition(waiting.oldestArrival(q, now: now) != nil, "routing policy woke an agent for an empty queue")
            let c = waiting.removeFirst(q)
            serve(a, queue: q, contact: c, now: now)
        }
        scheduleWake(q, now: now)
    }

    @inline(__always)
    mutating func serve(_ a: Int, queue q: Int, contact c: WaitingContact, now: Double) {
        let cell = q * m.intervals + Int(c.interval)
        let wait = now - c.arrival
        answered[cell] += 1
        waitSum[cell] += wait
        if wait <= m.slThreshold { answeredWithin[cell] += 1 }
        busy[a] = true
        serviceStart[a] = now
        serviceSegment[a] = segment[a]
        heap.push(time: now + c.handle, payload: Self.completion << Self.kindShift | UInt32(a))
        if trace { traced.append(ServiceRecord(agent: a, queue: q, arrival: c.arrival, start: now, end: now + c.handle)) }
    }

    /// Seconds of [from, to] inside agent a's segments, from the segment its service started in.
    @inline(__always)
    func busyInside(_ a: Int, from s: Double, to e: Double) -> Double {
        var total = 0.0
        var k = serviceSegment[a]
        let last = m.segFirst[a + 1]
        while k < last && m.segStart[k] < e {
            total += max(0, min(e, m.segEnd[k]) - max(s, m.segStart[k]))
            k += 1
        }
        return total
    }

    mutating func complete(_ a: Int, now: Double) {
        events += 1
        busySeconds[a] += busyInside(a, from: serviceStart[a], to: now)
        busy[a] = false
        if onShift[a] && now < m.segEnd[segment[a]] { dispatch(a, now: now) }
    }

    @inline(__always)
    mutating func dispatch(_ a: Int, now: Double) {
        if let q = policy.queueToServe(agent: a, waiting: &waiting, now: now) {
            let c = waiting.removeFirst(q)
            serve(a, queue: q, contact: c, now: now)
            if wakeAt[q] == .infinity { scheduleWake(q, now: now) }
        } else {
            policy.agentBecameIdle(a, now: now)
        }
    }

    mutating func startSegment(_ a: Int, now: Double) {
        events += 1
        onShift[a] = true
        if !busy[a] { dispatch(a, now: now) }
    }

    mutating func endSegment(_ a: Int, now: Double) {
        events += 1
        onShift[a] = false
        if !busy[a] { policy.agentLeftIdle(a) }
        segment[a] += 1
    }
}
