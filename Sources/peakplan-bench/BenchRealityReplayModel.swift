import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Simulation

/// The call records replayed through `Simulation.Replay`, with what is fitted fitted on January-June and the
/// error measured on July-October.
struct RealityReplay {
    /// A choice evaluated: fitted after-call work, per-interval simulated SL (mean over replications) and the
    /// errors on the train and test intervals.
    struct Evaluation {
        var choice: Choice
        var sessionGap: Double
        var afterWork: Double
        var breakProbability: Double
        var trainMAE: Double
        /// Per scored row (index into `testRows`): simulated SL, pp.
        var predicted: [Double]
        var stats: Stats
        /// Stats on Erlang C's stable intervals only.
        var statsStable: Stats
        var noiseReplications: Stats
        var noiseBinomial: Stats
        var seconds: Double
    }

    struct Stats { var n = 0, median = Double.nan, p25 = Double.nan, p75 = Double.nan, mae = Double.nan, mean = Double.nan }

    static func stats(_ errors: [Double]) -> Stats {
        guard !errors.isEmpty else { return Stats() }
        let s = errors.sorted()
        return Stats(
            n: s.count, median: RealityCheck.quantile(s, 0.5), p25: RealityCheck.quantile(s, 0.25), p75: RealityCheck.quantile(s, 0.75),
            mae: s.reduce(0) { $0 + abs($1) } / Double(s.count), mean: s.reduce(0, +) / Double(s.count))
    }

    let data: CallData
    let check: RealityCheck
    let replications: Int
    let seed: UInt64
    /// Local seconds of 1 July 1999 (train before, test from).
    let split: Int64
    /// Rows of the staffing check (>= minCalls offered, agents on duty) before and from the split.
    let trainRows: [RealityCheck.Row], testRows: [RealityCheck.Row]
    /// Calls in queue-entry order (indices into the data's call arrays).
    let order: [Int]
    /// Handle times of answered calls per (type, month), for the abandoned calls' draws.
    let handlePool: [[Double]]
    let monthOf: [Int]

    init(data: CallData, check: RealityCheck, replications: Int, seed: UInt64) {
        self.data = data; self.check = check; self.replications = replications; self.seed = seed
        split = LocalDateTime.startOfDay(Civil.daysFromCivil(year: 1999, month: 7, day: 1))
        let splitK = Int((split - data.base) / CallData.interval)
        trainRows = check.rows.filter { $0.k < splitK }
        testRows = check.rows.filter { $0.k >= splitK }
        order = data.callEntry.indices.sorted { (data.callEntry[$0], $0) < (data.callEntry[$1], $1) }
        var pool = [[Double]](repeating: [], count: data.types.count * 12), months = [Int](repeating: 0, count: data.callEntry.count)
        for i in data.callEntry.indices {
            let m = Civil.civilFromDays(Civil.split(data.callEntry[i]).day).month - 1
            months[i] = m
            if data.callOutcome[i] == 0 { pool[Int(data.callType[i]) * 12 + m].append(Double(data.callService[i])) }
        }
        handlePool = pool; monthOf = months
    }

    /// Patience models fitted on the calls before the split: one per type (or one shared), as survival functions.
    func patienceModels(_ kind: Choice.Patience) -> [KaplanMeierPatience?] {
        let nt = data.types.count
        var ab = [[Double]](repeating: [], count: nt + 1), cens = ab
        for i in data.callEntry.indices where data.callEntry[i] < split {
            let t = kind == .kaplanMeierByType ? Int(data.callType[i]) : nt
            if data.callOutcome[i] == 1 { ab[t].append(Double(data.callWait[i])) } else { cens[t].append(Double(data.callWait[i])) }
        }
        switch kind {
        case .none, .exponential: return [KaplanMeierPatience?](repeating: nil, count: nt)
        case .kaplanMeier:
            let km = KaplanMeierPatience(abandoned: ab[nt], censored: cens[nt])
            return [KaplanMeierPatience?](repeating: km, count: nt)
        case .kaplanMeierByType:
            let shared = KaplanMeierPatience(abandoned: ab.dropLast().flatMap { $0 }, censored: cens.dropLast().flatMap { $0 })
            // A type with few abandonments in the training months borrows the shared estimate.
            return (0..<nt).map { ab[$0].count >= 100 ? KaplanMeierPatience(abandoned: ab[$0], censored: cens[$0]) : shared }
        }
    }

    /// Exponential patience by censored MLE on the training months.
    var exponentialPatience: Double {
        var ab = 0, exposure = 0.0
        for i in data.callEntry.indices where data.callEntry[i] < split {
            exposure += Double(data.callWait[i]); if data.callOutcome[i] == 1 { ab += 1 }
        }
        return exposure / Double(max(ab, 1))
    }

    /// Agents: every server's sessions (local seconds from the data's base) and skills.
    func agents(_ choice: Choice) -> [ReplayAgent] {
        let nt = data.types.count
        var counts = [[Int]](repeating: [Int](repeating: 0, count: nt), count: data.servers.count)
        for i in data.callEntry.indices where data.callServer[i] >= 0 { counts[Int(data.callServer[i])][Int(data.callType[i])] += 1 }
        var out: [ReplayAgent] = []
        for (s, list) in data.spells.enumerated() where !list.isEmpty {
            var segs: [(start: Double, end: Double)] = []
            var (a, b) = list[0]
            for (x, y) in list.dropFirst() {
                if Double(x - b) > (choice.sessionGap ?? 20) * 60 { segs.append((Double(a - data.base), Double(b - data.base))); a = x; b = y } else { b = max(b, y) }
            }
            segs.append((Double(a - data.base), Double(b - data.base)))
            let total = counts[s].reduce(0, +)
            let skills =
                choice.skills == .all
                ? Array(0..<nt)
                : (0..<nt).filter { counts[s][$0] >= 20 || (counts[s][$0] > 0 && Double(counts[s][$0]) >= 0.02 * Double(total)) }
            out.append(ReplayAgent(skills: skills, segments: segs))
        }
        return out
    }

    /// One replication: simulated answered-within-T per interval of the data.
    func simulate(
        _ choice: Choice, agents: [ReplayAgent], patience: [KaplanMeierPatience?], expPatience: Double, afterWork: Double, breakProbability: Double,
        breakPool: [Double], replication: Int
    ) -> [Int] {
        var rBreak = Xoshiro256StarStar(seed: seed, replication: replication, queue: 0, kind: 3)
        var rPat = Xoshiro256StarStar(seed: seed, replication: replication, queue: 0, kind: 0)
        var rHandle = Xoshiro256StarStar(seed: seed, replication: replication, queue: 0, kind: 1)
        var rWork = Xoshiro256StarStar(seed: seed, replication: replication, queue: 0, kind: 2)
        var contacts: [ReplayContact] = []
        contacts.reserveCapacity(order.count)
        for i in order {
            let type = Int(data.callType[i])
            // Draws in a fixed order per call whatever the choice (common random numbers across choices).
            let u = rPat.open01(), h = rHandle.open01(), w = rWork.exponential(mean: 1)
            var handle = Double(data.callService[i])
            if data.callOutcome[i] != 0 {
                let pool = handlePool[type * 12 + monthOf[i]]
                handle = pool.isEmpty ? 180 : pool[min(pool.count - 1, Int(h * Double(pool.count)))]
            }
            let pat: Double
            switch choice.patience {
            case .none: pat = .infinity
            case .exponential: pat = -expPatience * log(u)
            default: pat = patience[type]?.quantile(survival: u) ?? .infinity
            }
            let p = Int(data.callPriority[i])
            var work = choice.afterWorkExponential ? afterWork * w : afterWork
            if choice.afterWorkProportional { work *= handle / 190 }
            let b = rBreak.open01(), bk = rBreak.open01()
            if b < breakProbability && !breakPool.isEmpty { work += breakPool[min(breakPool.count - 1, Int(bk * Double(breakPool.count)))] }
            contacts.append(
                ReplayContact(
                    arrival: Double(data.callEntry[i] - data.base), queue: type, priorityClass: p == 2 ? 1 : 0, handle: handle,
                    afterWork: work, patience: pat))
        }
        let rank = choice.typeRank.map { r in data.types.map { r[$0] ?? 9 } }
        let settings = ReplaySettings(classCredit: [choice.credit[1], choice.credit[2]], queueRank: rank)
        let out = Replay.run(contacts: contacts, agents: agents, queueCount: data.types.count, settings: settings)
        var within = [Int](repeating: 0, count: data.count)
        for (j, i) in order.enumerated() {
            if let w = out.wait[j], w <= check.answerSeconds { within[Int((data.callEntry[i] - data.base) / CallData.interval)] += 1 }
        }
        return within
    }

    /// Idle gaps between a server's consecutive services in the training months, between 5 minutes and the
    /// session gap (seconds).
    func breakPool(sessionGap: Double) -> [Double] {
        var out: [Double] = []
        for list in data.spells where list.count > 1 {
            var end = list[0].1
            for (a, b) in list.dropFirst() {
                if a < split && Double(a - end) > 300 && Double(a - end) <= sessionGap * 60 { out.append(Double(a - end)) }
                end = max(end, b)
            }
        }
        return out
    }

    /// Mean simulated SL (pp) per row over the replications, and the replications' own SLs.
    func predict(_ choice: Choice, afterWork: Double, breakProbability: Double = 0, rows: [[RealityCheck.Row]], reps: Int) -> (mean: [[Double]], each: [[[Double]]]) {
        let ag = agents(choice), pat = patienceModels(choice.patience), ex = exponentialPatience
        let pool = breakProbability > 0 ? breakPool(sessionGap: choice.sessionGap ?? 20) : []
        var each = rows.map { r in [[Double]](repeating: [Double](repeating: 0, count: r.count), count: reps) }
        for rep in 0..<reps {
            let within = simulate(
                choice, agents: ag, patience: pat, expPatience: ex, afterWork: afterWork, breakProbability: breakProbability,
                breakPool: pool, replication: rep)
            for (g, rs) in rows.enumerated() {
                for (j, r) in rs.enumerated() { each[g][rep][j] = Double(within[r.k]) / Double(r.offered) * 100 }
            }
        }
        let mean = each.map { e in (0..<(e.first?.count ?? 0)).map { j in e.map { $0[j] }.reduce(0, +) / Double(reps) } }
        return (mean, each)
    }

    func mae(_ predicted: [Double], _ rows: [RealityCheck.Row]) -> Double {
        zip(predicted, rows).reduce(0) { $0 + abs($1.0 - $1.1.obsSL * 100) } / Double(max(rows.count, 1))
    }

    /// Fits the after-call work on the training months (mean absolute SL error, coarse grid then refined; two
    /// replications), then scores the test months.
    func evaluate(_ given: Choice) -> Evaluation {
        let t0 = Date()
        var choice = given
        var w = choice.afterWork ?? 0
        var trainMAE = Double.nan
        var pBreak = 0.0
        func fit(_ c: Choice, breaks: Double = 0) -> (Double, Double) {
            var cache: [Double: Double] = [:]
            func loss(_ x: Double) -> Double {
                if let v = cache[x] { return v }
                let v = mae(predict(c, afterWork: x, breakProbability: breaks, rows: [trainRows], reps: 2).mean[0], trainRows)
                cache[x] = v
                return v
            }
            if let fixed = c.afterWork { return (fixed, loss(fixed)) }
            var best = [0.0, 10, 20, 30, 45, 60, 90].min { loss($0) < loss($1) }!
            for step in [5.0, 2.5] {
                best = [best - step, best, best + step].filter { $0 >= 0 }.min { loss($0) < loss($1) }!
            }
            return (best, loss(best))
        }
        if choice.sessionGap == nil {
            var bestGap = 20.0, best = (0.0, Double.infinity)
            for g in Choice.gapCandidates {
                var c = choice; c.sessionGap = g
                let f = fit(c)
                if f.1 < best.1 { best = f; bestGap = g }
            }
            choice.sessionGap = bestGap
            (w, trainMAE) = best
        } else if choice.breaks {
            var best = (0.0, Double.infinity)
            for p in Choice.breakCandidates {
                let f = fit(choice, breaks: p)
                if f.1 < best.1 { best = f; pBreak = p }
            }
            (w, trainMAE) = best
        } else {
            (w, trainMAE) = fit(choice)
        }
        let (mean, each) = predict(choice, afterWork: w, breakProbability: pBreak, rows: [trainRows, testRows], reps: replications)
        trainMAE = mae(mean[0], trainRows)
        let pred = mean[1]
        let errors = zip(pred, testRows).map { $0 - $1.obsSL * 100 }
        let stable = zip(errors, testRows).filter { $0.1.c != nil }.map(\.0)
        // Noise floor 1: replication 0 against the mean of the others (the model compared with itself).
        let others = (0..<testRows.count).map { j in (1..<replications).map { each[1][$0][j] }.reduce(0, +) / Double(replications - 1) }
        // Scaled by sqrt((R - 1) / R): the mean of R - 1 replications is itself noisy, and a perfect model's
        // prediction (the expectation) is not.
        let scale = (Double(replications - 1) / Double(replications)).squareRoot()
        let selfErrors = (0..<testRows.count).map { (others[$0] - each[1][0][$0]) * scale }
        // Noise floor 2: binomial sampling of the interval's SL given its offered calls, at the predicted SL.
        var rng = Xoshiro256StarStar(seed: seed, replication: 0, queue: 0, kind: 9)
        let binomial = zip(pred, testRows).map { p, r -> Double in
            let q = min(max(p / 100, 0), 1)
            var x = 0
            for _ in 0..<r.offered where rng.open01() < q { x += 1 }
            return p - Double(x) / Double(r.offered) * 100
        }
        return Evaluation(
            choice: given, sessionGap: choice.sessionGap ?? 20, afterWork: w, breakProbability: pBreak, trainMAE: trainMAE, predicted: pred, stats: RealityReplay.stats(errors),
            statsStable: RealityReplay.stats(stable), noiseReplications: RealityReplay.stats(selfErrors),
            noiseBinomial: RealityReplay.stats(binomial), seconds: Date().timeIntervalSince(t0))
    }

}
