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
        @Option(help: "Replications averaged per interval.") var replications: Int = 16
        @Option(help: "Seed.") var seed: UInt64 = 1999
        @Flag(help: "Also run the alternatives (each refitted on January-June) and print their table.") var alternatives = false
        @Option(help: ArgumentHelp("Run only the alternatives whose name contains this text (with --alternatives).", valueName: "text")) var only: String?
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
                let rep = replay.report(sessionGap: sessionGap, alternatives: alternatives, only: only)
                let main = rep.main
                try output.emit(replay.headlineTable(main, rep.asCheck, title: output.format.format == .table ? replay.headlineTitle : nil).render(output.format.format))
                try output.emit(replay.bandTable(main, title: output.format.format == .table ? "By load band (offered load per agent on duty), July-October" : nil).render(output.format.format))
                if alternatives {
                    try output.emit(replay.alternativesTable([main, rep.asCheck] + rep.alternatives, title: output.format.format == .table
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
        /// Minutes; nil: chosen among `gapCandidates` by the training error (each with its after-call work fitted).
        var sessionGap: Double?
        /// Seconds credited by priority value (0, 1, 2).
        var credit: [Double] = [0, 0, 90]
        /// Static priority per type name (lower first); nil: longest credited wait.
        var typeRank: [String: Int]?
        var patience: Patience = .kaplanMeierByType
        var skills: Skills = .records
        /// After-call work: fitted when nil; exponential or constant.
        var afterWork: Double?
        var afterWorkExponential = true
        /// After-call work proportional to the call's talk time (`afterWork` is then the value at the mean
        /// talk time, 190 s).
        var afterWorkProportional = false
        /// Breaks inside sessions: after a service the agent is away, with a fitted probability, for an idle gap
        /// drawn from the training months' gaps between 5 minutes and the session gap (what a short gap would
        /// have cut out of the sessions, placed at random instead of where it happened).
        var breaks = false
        static let gapCandidates: [Double] = [2.5, 5, 7.5, 10, 15, 20, 30]
        static let breakCandidates: [Double] = [0.01, 0.02, 0.04, 0.08]

        /// The model: session gap and after-call work fitted on January-June.
        static let standard = Choice(name: "replay: session gap and after-call work fitted", sessionGap: nil, afterWorkProportional: true)

        /// The standard choice with the staffing check's agents on duty (its session gap), after-call work fitted.
        static func staffingCheckAgents(sessionGap: Double) -> Choice {
            var c = standard
            c.sessionGap = sessionGap
            c.name = "replay: the staffing check's agents (sessions, gap \(gapName(sessionGap)) min), after-call work fitted"
            return c
        }

        /// One change at a time from the standard choice with its fitted gap (`gap`), each refitted.
        static func alternatives(fittedGap gap: Double) -> [Choice] {
            var base = standard
            base.sessionGap = gap
            var out: [Choice] = []
            func alt(_ name: String, _ change: (inout Choice) -> Void) { var c = base; c.name = name; change(&c); out.append(c) }
            alt("no after-call work (agents always available in their sessions)") { $0.afterWork = 0 }
            alt("after-call work not proportional to talk time (exponential, fitted mean)") { $0.afterWorkProportional = false }
            alt("after-call work proportional to talk time, not random") { $0.afterWorkExponential = false }
            alt("no priority credit (first come first served)") { $0.credit = [0, 0, 0] }
            alt("static type priorities TT, PS/PE, NE, IN, NW (then longest wait)") { $0.typeRank = ["TT": 0, "PS": 1, "PE": 1, "NE": 2, "IN": 3, "NW": 4] }
            alt("one pool (every agent serves every type)") { $0.skills = .all }
            alt("patience: one Kaplan-Meier for all types") { $0.patience = .kaplanMeier }
            alt("patience: exponential (censored MLE), one for all types") { $0.patience = .exponential }
            alt("no abandonment") { $0.patience = .none }
            for g in Choice.gapCandidates where g != gap && g != 20 {
                alt("sessions, gap \(gapName(g)) min") { $0.sessionGap = g }
            }
            alt("sessions, gap 20 min, random breaks inside sessions (probability fitted)") { $0.sessionGap = 20; $0.breaks = true }
            alt("sessions, gap 20 min, exponential after-call work (first cut)") { $0.sessionGap = 20; $0.afterWorkProportional = false }
            return out
        }
    }

    static func gapName(_ g: Double) -> String { g == g.rounded() ? String(Int(g)) : String(format: "%.1f", g) }

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
                if Double(x - b) > (choice.sessionGap ?? 20) * 60 { segs.append((Double(a - data.base), Double(b - data.base))); a = x; b = y } else { b = max(b, y) }
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
    func simulate(_ choice: Choice, agents: [ReplayAgent], patience: [KaplanMeierPatience?], expPatience: Double, afterWork: Double, breakProbability: Double,
                  breakPool: [Double], replication: Int) -> [Int] {
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
            contacts.append(ReplayContact(arrival: Double(data.callEntry[i] - data.base), queue: type, priorityClass: p == 2 ? 1 : 0, handle: handle,
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

    /// Mean simulated SL (pp) per row over the replications, and the replications' own SLs.
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

    func predict(_ choice: Choice, afterWork: Double, breakProbability: Double = 0, rows: [[RealityCheck.Row]], reps: Int) -> (mean: [[Double]], each: [[[Double]]]) {
        let ag = agents(choice), pat = patienceModels(choice.patience), ex = exponentialPatience
        let pool = breakProbability > 0 ? breakPool(sessionGap: choice.sessionGap ?? 20) : []
        var each = rows.map { r in [[Double]](repeating: [Double](repeating: 0, count: r.count), count: reps) }
        for rep in 0..<reps {
            let within = simulate(choice, agents: ag, patience: pat, expPatience: ex, afterWork: afterWork, breakProbability: breakProbability,
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
        return Evaluation(choice: given, sessionGap: choice.sessionGap ?? 20, afterWork: w, breakProbability: pBreak, trainMAE: trainMAE, predicted: pred, stats: RealityReplay.stats(errors),
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

    func headlineTable(_ e: Evaluation, _ asCheck: Evaluation, title: String?) -> Table {
        var t = Table(title: title, columns: ["model", "intervals", "median", "p25", "p75", "mean_abs_error"])
        func row(_ name: String, _ s: Stats) {
            t.rows.append([.text(name), .int(s.n), .number(s.median, decimals: 1), .number(s.p25, decimals: 1), .number(s.p75, decimals: 1), .number(s.mae, decimals: 1)])
        }
        row("simulation (replay; sessions, gap \(RealityReplay.gapName(e.sessionGap)) min, fitted)", e.stats)
        row("simulation with the staffing check's agents (gap \(RealityReplay.gapName(asCheck.sessionGap)) min)", asCheck.stats)
        row("Erlang C (stable intervals only)", formula(.c, stableOnly: true))
        row("simulation on Erlang C's stable intervals", e.statsStable)
        row("Erlang A (one patience)", formula(.a, stableOnly: false))
        row("Erlang A (interval patience)", formula(.aLocal, stableOnly: false))
        row("noise floor: replication vs mean of the others", e.noiseReplications)
        row("noise floor: binomial at the interval's volume", e.noiseBinomial)
        return t
    }

    /// Simulated and Erlang A service-level errors by load band (offered load per agent on duty) and hour.
    func bandTable(_ e: Evaluation, title: String?) -> Table {
        var t = Table(title: title, columns: ["load_band", "intervals", "observed_mean", "simulated_mean", "sim_median", "sim_mean_abs", "erlang_a_median", "erlang_a_mean_abs"])
        for (name, lo, hi) in RealityCheck.bands {
            let idx = testRows.indices.filter { testRows[$0].rho >= lo && testRows[$0].rho < hi }
            guard !idx.isEmpty else { continue }
            let sim = RealityReplay.stats(idx.map { e.predicted[$0] - testRows[$0].obsSL * 100 })
            let a = RealityReplay.stats(idx.compactMap { check.pair(testRows[$0], .a, .sl).map { $0.0 - $0.1 } })
            let obs = idx.map { testRows[$0].obsSL * 100 }.reduce(0, +) / Double(idx.count)
            let pr = idx.map { e.predicted[$0] }.reduce(0, +) / Double(idx.count)
            t.rows.append([.text(name), .int(idx.count), .number(obs, decimals: 1), .number(pr, decimals: 1), .number(sim.median, decimals: 1),
                           .number(sim.mae, decimals: 1), .number(a.median, decimals: 1), .number(a.mae, decimals: 1)])
        }
        return t
    }

    /// With `seconds` off (the page), no timing: the page is the same run to run.
    func alternativesTable(_ evals: [Evaluation], title: String?, seconds: Bool = true) -> Table {
        var t = Table(title: title, columns: ["choice", "session_gap_min", "after_call_work_s", "break_prob", "train_mae", "median", "p25", "p75", "mean_abs_error"]
                      + (seconds ? ["seconds"] : []))
        for e in evals {
            t.rows.append([.text(e.choice.name), .number(e.sessionGap, decimals: 1), .number(e.afterWork, decimals: 1), .number(e.breakProbability, decimals: 2), .number(e.trainMAE, decimals: 1), .number(e.stats.median, decimals: 1),
                           .number(e.stats.p25, decimals: 1), .number(e.stats.p75, decimals: 1), .number(e.stats.mae, decimals: 1)] + (seconds ? [.number(e.seconds, decimals: 1)] : []))
        }
        return t
    }

    func summary(_ e: Evaluation) -> String {
        String(format: "%@ July-October intervals; simulation median %+.2f pp, mean abs %.2f pp (session gap %@ min, after-call work %.1f s at the mean talk time, fitted on January-June); Erlang A mean abs %.1f; noise floor %.1f",
               grouped(testRows.count), e.stats.median, e.stats.mae, RealityReplay.gapName(e.sessionGap), e.afterWork, formula(.a, stableOnly: false).mae, e.noiseReplications.mae)
    }
}

extension RealityReplay {
    /// The replays a page or a run shows: the fitted model, the one on the staffing check's agents, alternatives.
    struct Report {
        var main: Evaluation
        var asCheck: Evaluation
        var alternatives: [Evaluation]
        var seconds: Double
    }

    func report(sessionGap: Double, alternatives: Bool, only: String? = nil) -> Report {
        let t0 = Date()
        let main = evaluate(Choice.standard)
        let asCheck = evaluate(Choice.staffingCheckAgents(sessionGap: sessionGap))
        let alts = alternatives ? Choice.alternatives(fittedGap: main.sessionGap).filter { only.map($0.name.contains) ?? true }.map { evaluate($0) } : []
        return Report(main: main, asCheck: asCheck, alternatives: alts, seconds: Date().timeIntervalSince(t0))
    }

    /// A paragraph for the page's headline: the replay's figures beside the formulas'.
    func pointer(_ r: Report) -> String {
        let e = r.main, a = formula(.a, stableOnly: false), c = formula(.c, stableOnly: true)
        return "**Beside the formulas, the simulation.** Replaying the calls through a multi-skill simulation of the centre "
            + "(fitted on January-June, scored on the \(grouped(testRows.count)) July-October intervals; section \"Simulation replay\" below) gives a "
            + String(format: "median service-level error of %+.1f pp (middle 50%%: %+.1f to %+.1f) and a mean absolute error of %.1f pp, ",
                     e.stats.median, e.stats.p25, e.stats.p75, e.stats.mae)
            + String(format: "against Erlang A's %+.1f pp and %.1f pp and Erlang C's %+.1f pp and %.1f pp (its stable intervals) on the same months; ",
                     a.median, a.mae, c.median, c.mae)
            + String(format: "a perfect model would still miss by about %.1f pp (the noise floor).\n\n", e.noiseReplications.mae)
    }

    /// The staffing-check page's section on the replay (Markdown).
    func markdownSection(_ r: Report, markdownTable: (Table) -> String) -> String {
        func p(_ x: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", x) }
        func s(_ x: Double) -> String { String(format: "%+.1f", x) }
        let e = r.main, c = r.asCheck
        let a = formula(.a, stableOnly: false), cs = formula(.c, stableOnly: true)
        func alt(_ prefix: String) -> Evaluation? { r.alternatives.first { $0.choice.name.hasPrefix(prefix) } }
        var out = """
        ## Simulation replay: the whole centre, call by call

        The formulas above see one queue per interval in a steady state. The replay (`peakplan-bench reality-replay`,
        `Simulation.Replay`) runs the recorded calls themselves through a discrete-event simulation of the
        multi-skill centre: every offered call arrives at its recorded queue entry with its type, priority and
        recorded talk time (abandoned calls draw a talk time from the same type's answered calls of the same month);
        its patience is drawn from a Kaplan-Meier estimate per service type (abandoners' waits are patience times,
        served callers' waits censored; an exponential tail where fewer than 50 calls remain at risk); each server
        is an agent on duty in its working sessions, with the types it answered as skills (>= 2% of its calls or
        >= 20 calls); a free agent takes the longest credited wait among its skills (priority customers credited
        90 s, as the Technion documentation says) and an arriving call goes to the longest-idle agent; after each
        call the agent is unavailable for an after-call time (random, exponential, proportional to the call's talk
        time). Queues carry over between intervals and abandonment follows the waits, so nothing is assumed
        steady. **Fitted on January-June, scored on July-October**: the after-call time and the session gap
        (candidates \(Choice.gapCandidates.map(RealityReplay.gapName).joined(separator: ", ")) minutes) minimise the mean absolute SL
        error over the training intervals; the patience is estimated from the training calls. Service level per
        interval is the mean over \(replications) seeded replications (seed \(seed)); same data and seed, same figures.

        July-October 1999, the \(grouped(testRows.count)) intervals of this page with at least \(check.minCalls) offered calls
        (\(grouped(testRows.reduce(0) { $0 + $1.offered })) calls), SL error = predicted - observed, percentage points:


        """
        out += markdownTable(headlineTable(e, c, title: nil))
        out += """

        The fitted model has sessions ended by a \(RealityReplay.gapName(e.sessionGap))-minute idle gap and \(p(e.afterWork)) s of after-call
        time at the mean talk time (190 s; \(p(e.afterWork / 190 * 100, 0))% of the talk time). Its median error is \(s(e.stats.median)) pp and its
        mean absolute error \(p(e.stats.mae)) pp (target: <= 8, median within +-3), against \(p(a.mae)) pp for Erlang A and
        \(p(cs.mae)) pp for Erlang C on its stable intervals only. With the staffing check's own agents (gap
        \(RealityReplay.gapName(c.sessionGap)) minutes) and the after-call time refitted (\(p(c.afterWork)) s) the replay's error is \(s(c.stats.median)) pp median,
        \(p(c.stats.mae)) pp mean absolute.

        **The noise floor.** An interval's service level is one random outcome of tens of calls, so even the true
        model would miss it. Two estimates: one replication of the fitted model scored against the mean of the
        others, scaled by sqrt((R-1)/R) (a perfect model's error, including the congestion that calls of an interval
        share): mean absolute \(p(e.noiseReplications.mae)) pp; and independent binomial sampling at each interval's predicted SL and
        offered calls, which ignores that shared congestion: \(p(e.noiseBinomial.mae)) pp. The replay's \(p(e.stats.mae)) pp is
        \(p(e.stats.mae - e.noiseReplications.mae)) pp above the first; Erlang A's \(p(a.mae)) pp is \(p(a.mae - e.noiseReplications.mae)) pp above it.

        By load band (offered load per agent on duty of the staffing check), July-October:


        """
        out += markdownTable(bandTable(e, title: nil))
        if !r.alternatives.isEmpty {
            out += """

            **Alternatives tried.** One change at a time from the fitted model (its \(RealityReplay.gapName(e.sessionGap))-minute sessions unless
            the row changes them), each with its after-call time refitted on January-June (`train_mae`: the
            training months' mean absolute error; the rest: July-October):


            """
            out += markdownTable(alternativesTable([e, c] + r.alternatives, title: nil, seconds: false))
            var notes: [String] = []
            if let x = alt("no after-call work") {
                notes.append("- **Availability within sessions is what closes most of the gap.** Without after-call time the replay is optimistic by \(s(x.stats.median)) pp (mean absolute \(p(x.stats.mae))), like Erlang A: the agents seen answering calls were not free all the time between calls. A fitted unavailable time after each call, proportional to the talk time, brings the median to \(s(e.stats.median)) pp. The data has no wrap-up times, so this is the after-call work and the short breaks a planner would add as shrinkage.")
            }
            let gaps = r.alternatives.filter { $0.choice.name.hasPrefix("sessions, gap") && !$0.choice.breaks && $0.choice.afterWorkProportional }
            if !gaps.isEmpty {
                let list = ([e, c] + gaps).sorted { $0.sessionGap < $1.sessionGap }.map { "\(RealityReplay.gapName($0.sessionGap)) min: \(p($0.trainMAE)) / \(p($0.stats.mae))" }.joined(separator: "; ")
                notes.append("- **Shorter sessions fit better, in training and in test** (gap: train / test mean absolute error, \(list)). A short gap places each agent's absences where they happened, which random breaks cannot: breaks drawn at random inside 20-minute sessions\(alt("sessions, gap 20 min, random breaks").map { " give \(p($0.stats.mae)) pp (fitted probability \(p($0.breakProbability, 2)))" } ?? " do not help"). Caveat: the sessions are built from the calls the agents answered, so the shorter the gap, the more the agents on duty follow the recorded outcome (an agent counts only around calls it took); an attendance log would settle it, and the data has none. The staffing check's 20-minute sessions are the cautious estimate.")
            }
            var routing: [String] = []
            if let x = alt("no priority credit") { routing.append("first come first served without the 90 s credit: \(p(x.stats.mae)) pp (median \(s(x.stats.median)))") }
            if let x = alt("static type priorities") { routing.append("static type priorities: \(p(x.stats.mae)) pp (median \(s(x.stats.median)))") }
            if let x = alt("one pool") { routing.append("every agent on every type: \(p(x.stats.mae)) pp (median \(s(x.stats.median)))") }
            if !routing.isEmpty {
                notes.append("- **Routing order and skills matter little for the interval totals**: " + routing.joined(separator: "; ") + ", against \(p(e.stats.mae)) pp. Priorities move service between types and callers within an interval more than they change its total service level, and the records' skills already let most agents take most calls.")
            }
            var pat: [String] = []
            if let x = alt("patience: one Kaplan-Meier") { pat.append("one Kaplan-Meier for all types \(p(x.stats.mae)) pp") }
            if let x = alt("patience: exponential") { pat.append("one exponential \(p(x.stats.mae)) pp") }
            if let x = alt("no abandonment") { pat.append("no abandonment \(p(x.stats.mae)) pp (median \(s(x.stats.median)))") }
            if !pat.isEmpty {
                notes.append("- **Abandonment must be modelled; its exact shape matters less**: " + pat.joined(separator: ", ") + ".")
            }
            notes.append("- **Retrials are in the replay as recorded**: a caller who hung up and called again is a later record, replayed whatever happened to the first call in the simulation. The records carry no caller identity here, so a retrial model (fewer redials when the simulation serves the first attempt) cannot be fitted; it would matter mainly in overloaded intervals.")
            out += "\n" + notes.joined(separator: "\n") + "\n"
        }
        out += """

        The fits and the \(r.alternatives.count + 2) models (\(replications) replications each) take about three minutes on one core
        (release build). Reproduce the tables alone: `peakplan-bench reality-replay --alternatives --replications \(replications) --seed \(seed)`.


        """
        return out
    }
}
