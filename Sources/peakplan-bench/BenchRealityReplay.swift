import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Simulation

extension Bench {
    /// The 1999 call records replayed through the simulator, scored per interval beside Erlang C and Erlang A.
    struct RealityReplayBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reality-replay",
            abstract: "Reality replay: the 1999 call records through the simulator; simulated vs observed service level per 30-minute interval, beside Erlang C/A and the noise floor.",
            discussion: """
            Replays every offered call of the "Anonymous Bank" records (Datasets/anonbank-calls-1999)
            through a trace-driven multi-skill simulation (Simulation.Replay):
              arrivals  the recorded queue entries (arrival + vru_seconds), with type and priority
              handle    the recorded talk time (capped at 1 hour); abandoned calls draw one from the
                        same type's answered calls of the same month
              patience  Kaplan-Meier per service type from abandonments (served waits censored),
                        fitted on January-June, drawn per call
              agents    each server's working sessions (services merged while the idle gap is at most
                        --session-gap minutes), skills = the types it answered (>= 2% of its calls
                        or >= 20 calls)
              routing   longest credited wait among an agent's skills (priority-2 customers credited
                        90 s, as the Technion documentation says); longest-idle agent for an arrival
              after-call work  unavailable time after each service, fitted on January-June (the
                        agents' availability within their sessions)
            Scores July-October intervals with >= --min-calls offered calls (those the staffing check
            compares), prints the headline (median, middle 50%, mean absolute SL error) for the
            simulation beside Erlang C, Erlang A and the sampling-noise floor, and the alternatives tried.
            Seeded: the same data and seed give the same figures.
            Example:
              peakplan-bench reality-replay
              peakplan-bench reality-replay --replications 5 --alternatives
            """
        )
        @Option(help: ArgumentHelp("Call-level records (calls.csv of anonbank-calls-1999).", valueName: "path"))
        var calls: String = "Datasets/anonbank-calls-1999/calls.csv"
        @Option(help: ArgumentHelp("Service level threshold T in seconds.", valueName: "seconds")) var answerSeconds: Double = 20
        @Option(help: ArgumentHelp("Score only intervals with at least this many offered calls.", valueName: "calls")) var minCalls: Int = 10
        @Option(help: ArgumentHelp("Idle gap that ends an agent's working session (minutes).", valueName: "minutes")) var sessionGap: Double = 20
        @Option(help: "Replications averaged per interval.") var replications: Int = 4
        @Option(help: "Seed.") var seed: UInt64 = 1999
        @Flag(help: "Also run the alternatives (each refitted on January-June) and print their table.") var alternatives = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard answerSeconds >= 0 && answerSeconds <= 3600 else { throw ValidationError("--answer-seconds must be between 0 and 3600") }
            guard minCalls >= 1 else { throw ValidationError("--min-calls must be >= 1") }
            guard sessionGap >= 1 && sessionGap <= 240 else { throw ValidationError("--session-gap must be between 1 and 240 minutes") }
            guard replications >= 2 && replications <= 100 else { throw ValidationError("--replications must be 2-100") }
        }

        func run() throws {
            do {
                let t0 = Date()
                let data = try CallData.read(path: calls)
                let check = RealityCheck(data: data, agents: data.sessionAgents(gapSeconds: sessionGap * 60), answerSeconds: answerSeconds, minCalls: minCalls)
                let replay = RealityReplay(data: data, check: check, replications: replications, seed: seed)
                let main = replay.evaluate(RealityReplay.Choice.standard(sessionGap: sessionGap))
                try output.emit(replay.headlineTable(main, title: output.format.format == .table ? replay.headlineTitle : nil).render(output.format.format))
                if alternatives {
                    let alts = RealityReplay.Choice.alternatives(sessionGap: sessionGap).map { replay.evaluate($0) }
                    try output.emit(replay.alternativesTable([main] + alts, title: output.format.format == .table
                        ? "Alternatives tried (each fitted on January-June; July-October scored)" : nil).render(output.format.format))
                }
                Diagnostics.info(String(format: "bench reality-replay: %@; %.1f s", replay.summary(main), Date().timeIntervalSince(t0)))
            } catch { throw failure(error) }
        }
    }
}

/// The call records replayed through `Simulation.Replay`, with what is fitted fitted on January-June and the
/// error measured on July-October.
struct RealityReplay {
    /// One modelling choice.
    struct Choice {
        enum Patience: String { case kaplanMeierByType = "Kaplan-Meier per type", kaplanMeier = "Kaplan-Meier, one for all types", exponential = "exponential (MLE)", none = "none (nobody abandons)" }
        enum Skills { case records, all }
        var name: String
        var sessionGap: Double = 20
        /// Seconds credited by priority value (0, 1, 2).
        var credit: [Double] = [0, 0, 90]
        /// Static priority per type name (lower first); nil: longest credited wait.
        var typeRank: [String: Int]?
        var patience: Patience = .kaplanMeierByType
        var skills: Skills = .records
        /// After-call work: fitted when nil; exponential or constant.
        var afterWork: Double?
        var afterWorkExponential = true

        static func standard(sessionGap: Double) -> Choice {
            Choice(name: "replay: sessions \(Int(sessionGap)) min, KM patience per type, priority credit 90 s, fitted after-call work", sessionGap: sessionGap)
        }

        static func alternatives(sessionGap g: Double) -> [Choice] {
            let base = standard(sessionGap: g)
            var out: [Choice] = []
            func alt(_ name: String, _ change: (inout Choice) -> Void) { var c = base; c.name = name; change(&c); out.append(c) }
            alt("no after-call work (agents always available in sessions)") { $0.afterWork = 0 }
            alt("constant after-call work (fitted)") { $0.afterWorkExponential = false }
            alt("no priority credit (first come first served)") { $0.credit = [0, 0, 0] }
            alt("type priorities: TT, PS/PE, NE, IN, NW") { $0.typeRank = ["TT": 0, "PS": 1, "PE": 1, "NE": 2, "IN": 3, "NW": 4] }
            alt("one pool (every agent serves every type)") { $0.skills = .all }
            alt("patience: one Kaplan-Meier for all types") { $0.patience = .kaplanMeier }
            alt("patience: exponential (MLE), one for all types") { $0.patience = .exponential }
            alt("no abandonment") { $0.patience = .none }
            alt("sessions, gap 10 min") { $0.sessionGap = 10 }
            alt("sessions, gap 10 min, no after-call work") { $0.sessionGap = 10; $0.afterWork = 0 }
            alt("sessions, gap 30 min") { $0.sessionGap = 30 }
            return out
        }
    }

    /// A choice evaluated: fitted after-call work, per-interval simulated SL (mean over replications) and the
    /// errors on the train and test intervals.
    struct Evaluation {
        var choice: Choice
        var afterWork: Double
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
        return Stats(n: s.count, median: RealityCheck.quantile(s, 0.5), p25: RealityCheck.quantile(s, 0.25), p75: RealityCheck.quantile(s, 0.75),
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
                if Double(x - b) > choice.sessionGap * 60 { segs.append((Double(a - data.base), Double(b - data.base))); a = x; b = y } else { b = max(b, y) }
            }
            segs.append((Double(a - data.base), Double(b - data.base)))
            let total = counts[s].reduce(0, +)
            let skills = choice.skills == .all ? Array(0..<nt)
                : (0..<nt).filter { counts[s][$0] >= 20 || (counts[s][$0] > 0 && Double(counts[s][$0]) >= 0.02 * Double(total)) }
            out.append(ReplayAgent(skills: skills, segments: segs))
        }
        return out
    }

    /// One replication: simulated answered-within-T per interval of the data.
    func simulate(_ choice: Choice, agents: [ReplayAgent], patience: [KaplanMeierPatience?], expPatience: Double, afterWork: Double, replication: Int) -> [Int] {
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
            contacts.append(ReplayContact(arrival: Double(data.callEntry[i] - data.base), queue: type, priorityClass: p == 2 ? 1 : 0, handle: handle,
                                          afterWork: choice.afterWorkExponential ? afterWork * w : afterWork, patience: pat))
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

    /// Mean simulated SL (pp) per row over the replications, and the replications' own SLs.
    func predict(_ choice: Choice, afterWork: Double, rows: [[RealityCheck.Row]], reps: Int) -> (mean: [[Double]], each: [[[Double]]]) {
        let ag = agents(choice), pat = patienceModels(choice.patience), ex = exponentialPatience
        var each = rows.map { r in [[Double]](repeating: [Double](repeating: 0, count: r.count), count: reps) }
        for rep in 0..<reps {
            let within = simulate(choice, agents: ag, patience: pat, expPatience: ex, afterWork: afterWork, replication: rep)
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
    func evaluate(_ choice: Choice) -> Evaluation {
        let t0 = Date()
        var w = choice.afterWork ?? 0
        var trainMAE = Double.nan
        if choice.afterWork == nil {
            var cache: [Double: Double] = [:]
            func loss(_ x: Double) -> Double {
                if let v = cache[x] { return v }
                let v = mae(predict(choice, afterWork: x, rows: [trainRows], reps: 2).mean[0], trainRows)
                cache[x] = v
                return v
            }
            var best = [0.0, 10, 20, 30, 45, 60, 90].min { loss($0) < loss($1) }!
            for step in [5.0, 2.5] {
                best = [best - step, best, best + step].filter { $0 >= 0 }.min { loss($0) < loss($1) }!
            }
            w = best
            trainMAE = loss(w)
        }
        let (mean, each) = predict(choice, afterWork: w, rows: [trainRows, testRows], reps: replications)
        if choice.afterWork != nil { trainMAE = mae(mean[0], trainRows) }
        let pred = mean[1]
        let errors = zip(pred, testRows).map { $0 - $1.obsSL * 100 }
        let stable = zip(errors, testRows).filter { $0.1.c != nil }.map(\.0)
        // Noise floor 1: replication 0 against the mean of the others (the model compared with itself).
        let others = (0..<testRows.count).map { j in (1..<replications).map { each[1][$0][j] }.reduce(0, +) / Double(replications - 1) }
        let selfErrors = (0..<testRows.count).map { others[$0] - each[1][0][$0] }
        // Noise floor 2: binomial sampling of the interval's SL given its offered calls, at the predicted SL.
        var rng = Xoshiro256StarStar(seed: seed, replication: 0, queue: 0, kind: 9)
        let binomial = zip(pred, testRows).map { p, r -> Double in
            let q = min(max(p / 100, 0), 1)
            var x = 0
            for _ in 0..<r.offered where rng.open01() < q { x += 1 }
            return p - Double(x) / Double(r.offered) * 100
        }
        return Evaluation(choice: choice, afterWork: w, trainMAE: trainMAE, predicted: pred, stats: RealityReplay.stats(errors),
                          statsStable: RealityReplay.stats(stable), noiseReplications: RealityReplay.stats(selfErrors),
                          noiseBinomial: RealityReplay.stats(binomial), seconds: Date().timeIntervalSince(t0))
    }

    func formula(_ model: RealityCheck.Model, stableOnly: Bool) -> Stats {
        RealityReplay.stats(testRows.compactMap { r in
            if stableOnly && r.c == nil { return nil }
            return check.pair(r, model, .sl).map { $0.0 - $0.1 }
        })
    }

    var headlineTitle: String {
        "Reality replay, July-October 1999 scored (\(grouped(testRows.count)) intervals with >= \(check.minCalls) offered calls; fitted on January-June): SL error, simulated - observed, pp"
    }

    func headlineTable(_ e: Evaluation, title: String?) -> Table {
        var t = Table(title: title, columns: ["model", "intervals", "median", "p25", "p75", "mean_abs_error"])
        func row(_ name: String, _ s: Stats) {
            t.rows.append([.text(name), .int(s.n), .number(s.median, decimals: 1), .number(s.p25, decimals: 1), .number(s.p75, decimals: 1), .number(s.mae, decimals: 1)])
        }
        row("simulation (replay)", e.stats)
        row("Erlang C (stable intervals only)", formula(.c, stableOnly: true))
        row("simulation on Erlang C's stable intervals", e.statsStable)
        row("Erlang A (one patience)", formula(.a, stableOnly: false))
        row("Erlang A (interval patience)", formula(.aLocal, stableOnly: false))
        row("noise floor: replication vs mean of the others", e.noiseReplications)
        row("noise floor: binomial at the interval's volume", e.noiseBinomial)
        return t
    }

    func alternativesTable(_ evals: [Evaluation], title: String?) -> Table {
        var t = Table(title: title, columns: ["choice", "after_call_work_s", "train_mae", "median", "p25", "p75", "mean_abs_error", "seconds"])
        for e in evals {
            t.rows.append([.text(e.choice.name), .number(e.afterWork, decimals: 1), .number(e.trainMAE, decimals: 1), .number(e.stats.median, decimals: 1),
                           .number(e.stats.p25, decimals: 1), .number(e.stats.p75, decimals: 1), .number(e.stats.mae, decimals: 1), .number(e.seconds, decimals: 1)])
        }
        return t
    }

    func summary(_ e: Evaluation) -> String {
        String(format: "%@ July-October intervals; simulation median %+.1f pp, mean abs %.1f pp (after-call work %.1f s fitted on January-June); Erlang A mean abs %.1f; noise floor %.1f",
               grouped(testRows.count), e.stats.median, e.stats.mae, e.afterWork, formula(.a, stableOnly: false).mae, e.noiseReplications.mae)
    }
}
