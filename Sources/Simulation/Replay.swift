import Foundation

/// A recorded contact to replay: when it joined the agent queue (seconds from any origin), its queue (service
/// type), its priority class, its handle time, the agent's unavailable time after the service (after-call work,
/// 0 for none) and its patience (+infinity: it never abandons). Everything random is drawn by the caller, so a
/// replay is a pure function of its inputs.
public struct ReplayContact: Sendable, Equatable {
    public var arrival: Double
    public var queue: Int
    public var priorityClass: Int
    public var handle: Double
    public var afterWork: Double
    public var patience: Double

    public init(arrival: Double, queue: Int, priorityClass: Int = 0, handle: Double, afterWork: Double = 0, patience: Double = .infinity) {
        self.arrival = arrival; self.queue = queue; self.priorityClass = priorityClass
        self.handle = handle; self.afterWork = afterWork; self.patience = patience
    }
}

/// An agent of a replay: the queues it serves and the segments (start, end; seconds, sorted, not overlapping)
/// in which it takes contacts.
public struct ReplayAgent: Sendable, Equatable {
    public var skills: [Int]
    public var starts: [Double]
    public var ends: [Double]

    public init(skills: [Int], segments: [(start: Double, end: Double)]) {
        self.skills = skills
        starts = segments.map(\.start); ends = segments.map(\.end)
    }
}

/// How a replay routes.
public struct ReplaySettings: Sendable, Equatable {
    /// Seconds of waiting credited to a contact of each priority class when it joins (its place in the queue is
    /// `arrival - credit`); classes beyond the list get 0.
    public var classCredit: [Double]
    /// Static queue priorities: a free agent serves the waiting queue with the lowest rank among its skills
    /// (ties by credited wait). nil: the longest credited wait among its skills, whatever the queue.
    public var queueRank: [Int]?

    public init(classCredit: [Double] = [], queueRank: [Int]? = nil) {
        self.classCredit = classCredit; self.queueRank = queueRank
    }
}

/// What happened to each replayed contact (same order as the input).
public struct ReplayOutcome: Sendable, Equatable {
    /// Seconds waited before service; nil when it abandoned or was still waiting at the end.
    public var wait: [Double?]
    /// True when it abandoned (its patience ran out while it waited).
    public var abandoned: [Bool]
    /// The agent that served it, -1 when none.
    public var agent: [Int]
}

/// Replays recorded contacts through a multi-skill centre: a trace-driven discrete-event simulation.
///
/// - Contacts arrive at their recorded times with their own handle time, after-call work and patience.
/// - An arriving contact goes to the longest-idle agent on duty with its skill; otherwise it waits in its queue
///   and priority class, first come first served within them.
/// - A free agent on duty takes the contact with the longest credited wait (`arrival - classCredit`) among its
///   skills (or the best-ranked waiting queue first, with `queueRank`); after a service it is unavailable for
///   the contact's `afterWork` seconds.
/// - A contact whose patience runs out before an agent takes it abandons; one served at the very moment its
///   patience ends (wait = patience) abandons too. A contact that finds an idle agent is served at once, even
///   with zero patience.
/// - An agent takes contacts only inside its segments; one busy at a segment's end finishes (and its after-call
///   work) and takes nothing more until its next segment.
/// - At equal times: segment ends, then segment starts, then agents becoming free, then arrivals (in input order).
public enum Replay {
    public static func run(contacts: [ReplayContact], agents: [ReplayAgent], queueCount: Int, settings: ReplaySettings = ReplaySettings()) -> ReplayOutcome {
        precondition(zip(contacts, contacts.dropFirst()).allSatisfy { $0.arrival <= $1.arrival }, "replay contacts must be sorted by arrival")
        var engine = ReplayEngine(contacts: contacts, agents: agents, queueCount: queueCount, settings: settings)
        engine.run()
        return ReplayOutcome(wait: engine.wait, abandoned: engine.abandoned, agent: engine.servedBy)
    }
}

/// The state of one replay (see `Replay`).
struct ReplayEngine {
    let contacts: [ReplayContact]
    let queueCount: Int, classes: Int
    let credit: [Double]
    let rank: [Int]
    let hasSkill: [Bool]
    /// Segment boundaries in time order: ends (kind 0) before starts (kind 1), then agent order.
    let marks: [(time: Double, kind: Int, agent: Int)]
    var wait: [Double?], abandoned: [Bool], servedBy: [Int]
    /// Waiting contacts per (queue, class): indices into `contacts`, FIFO with a head index.
    var lines: [[Int]], heads: [Int]
    var onShift: [Bool], busy: [Bool], idleSince: [Double]
    var idle: [Int] = []
    /// Agents becoming free: a binary min-heap of (time, agent).
    var heap: [(time: Double, agent: Int)] = []

    init(contacts: [ReplayContact], agents: [ReplayAgent], queueCount: Int, settings: ReplaySettings) {
        let n = contacts.count, na = agents.count
        self.contacts = contacts
        self.queueCount = queueCount
        classes = max(1, (contacts.map(\.priorityClass).max() ?? 0) + 1)
        credit = (0..<classes).map { $0 < settings.classCredit.count ? settings.classCredit[$0] : 0 }
        rank = settings.queueRank ?? [Int](repeating: 0, count: queueCount)
        var skill = [Bool](repeating: false, count: na * queueCount)
        var marks: [(time: Double, kind: Int, agent: Int)] = []
        for (a, ag) in agents.enumerated() {
            for q in ag.skills where q >= 0 && q < queueCount { skill[a * queueCount + q] = true }
            for k in ag.starts.indices where ag.ends[k] > ag.starts[k] {
                marks.append((ag.starts[k], 1, a)); marks.append((ag.ends[k], 0, a))
            }
        }
        marks.sort { ($0.time, $0.kind, $0.agent) < ($1.time, $1.kind, $1.agent) }
        hasSkill = skill
        self.marks = marks
        wait = [Double?](repeating: nil, count: n); abandoned = [Bool](repeating: false, count: n); servedBy = [Int](repeating: -1, count: n)
        lines = [[Int]](repeating: [], count: queueCount * classes); heads = [Int](repeating: 0, count: queueCount * classes)
        onShift = [Bool](repeating: false, count: na); busy = onShift; idleSince = [Double](repeating: 0, count: na)
    }

    mutating func run() {
        var nextMark = 0, nextContact = 0
        while true {
            let tm = nextMark < marks.count ? marks[nextMark].time : .infinity
            let th = heap.first?.time ?? .infinity
            let tc = nextContact < contacts.count ? contacts[nextContact].arrival : .infinity
            if tm == .infinity && th == .infinity && tc == .infinity { break }
            if tm <= th && tm <= tc {
                let (t, kind, a) = marks[nextMark]
                nextMark += 1
                if kind == 0 {
                    onShift[a] = false
                    if !busy[a], let i = idle.firstIndex(of: a) { idle.remove(at: i) }
                } else {
                    onShift[a] = true
                    if !busy[a] { dispatch(a, now: t) }
                }
            } else if th <= tc {
                let (t, a) = pop()
                busy[a] = false
                if onShift[a] { dispatch(a, now: t) }
            } else {
                arrive(nextContact, now: tc)
                nextContact += 1
            }
        }
        // Contacts left in the lines: abandoned if their patience is finite (it ran out after the last event),
        // else still waiting.
        for l in lines.indices {
            for i in heads[l]..<lines[l].count where contacts[lines[l][i]].patience.isFinite { abandoned[lines[l][i]] = true }
        }
    }

    /// Contact c arrives: the longest-idle agent with its skill takes it, or it joins its line.
    mutating func arrive(_ c: Int, now: Double) {
        let q = contacts[c].queue
        var pick = -1
        for (i, a) in idle.enumerated() where hasSkill[a * queueCount + q] {
            if pick < 0 || idleSince[a] < idleSince[idle[pick]] || (idleSince[a] == idleSince[idle[pick]] && a < idle[pick]) { pick = i }
        }
        if pick >= 0 {
            serve(idle.remove(at: pick), c, now: now)
        } else {
            lines[q * classes + min(max(contacts[c].priorityClass, 0), classes - 1)].append(c)
        }
    }

    mutating func serve(_ a: Int, _ c: Int, now: Double) {
        wait[c] = now - contacts[c].arrival
        servedBy[c] = a
        busy[a] = true
        push(now + contacts[c].handle + contacts[c].afterWork, a)
    }

    /// The head of line l still waiting at `now` (abandoned heads dropped), or nil.
    mutating func head(_ l: Int, now: Double) -> Int? {
        while heads[l] < lines[l].count {
            let c = lines[l][heads[l]]
            if contacts[c].arrival + contacts[c].patience > now { return c }
            abandoned[c] = true
            heads[l] += 1
        }
        return nil
    }

    /// Agent a is free and on duty: it takes a waiting contact or becomes idle.
    mutating func dispatch(_ a: Int, now: Double) {
        var best = -1, bestLine = -1, bestRank = Int.max, bestKey = Double.infinity
        for q in 0..<queueCount where hasSkill[a * queueCount + q] && rank[q] <= bestRank {
            for k in 0..<classes {
                let l = q * classes + k
                guard let c = head(l, now: now) else { continue }
                let key = contacts[c].arrival - credit[k]
                if rank[q] < bestRank || key < bestKey || (key == bestKey && c < best) {
                    best = c; bestLine = l; bestRank = rank[q]; bestKey = key
                }
            }
        }
        if best >= 0 {
            heads[bestLine] += 1
            serve(a, best, now: now)
        } else {
            idleSince[a] = now
            idle.append(a)
        }
    }

    mutating func push(_ t: Double, _ a: Int) {
        heap.append((t, a))
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            if (heap[p].time, heap[p].agent) <= (heap[i].time, heap[i].agent) { break }
            heap.swapAt(p, i); i = p
        }
    }

    mutating func pop() -> (time: Double, agent: Int) {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count && (heap[l].time, heap[l].agent) < (heap[m].time, heap[m].agent) { m = l }
                if r < heap.count && (heap[r].time, heap[r].agent) < (heap[m].time, heap[m].agent) { m = r }
                if m == i { break }
                heap.swapAt(i, m); i = m
            }
        }
        return top
    }
}

/// Patience estimated from abandonments, Kaplan-Meier style: abandoners' waits are patience times, served
/// contacts' waits are censored (their patience was at least that long). Ties: abandonments before censorings
/// at the same time. Beyond the point where fewer than `tailRisk` contacts are still at risk, the survival goes
/// on exponentially with the hazard of that tail (its abandonments over its waiting time), so draws have no cap.
public struct KaplanMeierPatience: Sendable, Equatable {
    /// Distinct abandonment times up to the tail start, and the survival S(t) just after each.
    public let times: [Double]
    public let survival: [Double]
    /// Where the exponential tail starts (the survival there is `tailSurvival`), and its mean (+infinity
    /// when the tail has no abandonments).
    public let tailStart: Double
    public let tailSurvival: Double
    public let tailMean: Double

    /// - Parameters: `abandoned` waits of abandoners, `censored` waits of served contacts.
    public init(abandoned: [Double], censored: [Double], tailRisk: Int = 50) {
        var ev = abandoned.map { ($0, true) } + censored.map { ($0, false) }
        // Abandonment before censoring at the same time.
        ev.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 && !$1.1) }
        var atRisk = ev.count, s = 1.0, i = 0, last = 0.0
        var times: [Double] = [], surv: [Double] = []
        while i < ev.count && atRisk >= tailRisk {
            let t = ev[i].0
            var d = 0, c = 0
            while i < ev.count && ev[i].0 == t { if ev[i].1 { d += 1 } else { c += 1 }; i += 1 }
            if d > 0 {
                s *= 1 - Double(d) / Double(atRisk)
                times.append(t); surv.append(s)
            }
            atRisk -= d + c
            last = t
        }
        // Tail hazard: the remaining contacts' abandonments over their time waited after the tail start.
        var d = 0, exposure = 0.0
        for (t, isEvent) in ev[i...] {
            exposure += t - last
            if isEvent { d += 1 }
        }
        self.times = times; survival = surv; tailStart = last; tailSurvival = s
        tailMean = d > 0 ? exposure / Double(d) : .infinity
    }

    /// S(t): the probability that patience exceeds t.
    public func survivalAt(_ t: Double) -> Double {
        if t >= tailStart {
            let s0 = tailSurvival
            return tailMean.isFinite ? s0 * exp(-(t - tailStart) / tailMean) : s0
        }
        var lo = 0, hi = times.count
        while lo < hi { let m = (lo + hi) / 2; if times[m] <= t { lo = m + 1 } else { hi = m } }
        return lo == 0 ? 1 : survival[lo - 1]
    }

    /// The patience with survival u (inverse transform: a uniform u in (0, 1) gives a draw): the first
    /// abandonment time where S drops to u or below, else a point of the exponential tail.
    public func quantile(survival u: Double) -> Double {
        var lo = 0, hi = survival.count
        while lo < hi { let m = (lo + hi) / 2; if survival[m] <= u { hi = m } else { lo = m + 1 } }
        if lo < survival.count { return times[lo] }
        let s0 = tailSurvival
        guard tailMean.isFinite, u > 0 else { return .infinity }
        return tailStart + tailMean * log(s0 / u)
    }

    /// Mean patience (the area under S; +infinity when the tail never ends).
    public var mean: Double {
        var area = 0.0, prevT = 0.0, prevS = 1.0
        for (t, s) in zip(times, survival) { area += prevS * (t - prevT); prevT = t; prevS = s }
        area += prevS * (tailStart - prevT)
        return tailMean.isFinite ? area + tailSurvival * tailMean : .infinity
    }
}
