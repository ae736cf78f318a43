import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Ingest
import PlanningCore
import Reports
import Staffing

extension Bench {
    /// Erlang C and Erlang A against what happened at the "Anonymous Bank" call centre in 1999.
    struct StaffingCheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staffing-check",
            abstract: "Reality check: Erlang C and Erlang A predictions against observed service level, wait and abandonment (call-level 1999 data).",
            discussion: """
            Reads the call-by-call records of the "Anonymous Bank" (Israel, Jan-Oct 1999;
            Datasets/anonbank-calls-1999/README.md) and, per 30-minute interval
            of queue entry (arrival + vru_seconds), estimates:
              offered   calls that reached the agent queue (AGENT, and HANG with
                        entered_queue = 1; PHANTOM and VRU-only calls left out)
              AHT       mean service_seconds of the answered calls (talk time only;
                        services over 1 hour capped at 1 hour)
              agents    on duty: each server's services merged into working sessions
                        (a gap over --session-gap minutes ends a session), time-weighted
                        over the interval (alternatives reported: distinct servers with
                        any service in the interval; other gaps)
              patience  exponential MLE: abandonments / total time waited by all offered
                        calls (one value for the whole data set; a per-interval variant
                        is reported beside it)
            and feeds them to Erlang C and Erlang A (fractional agents through the
            continuous extension). Observed, with the definitions of
            Datasets/benchmarks/erlang/erlang_reference_notes.md: service level = answered
            with queue_seconds <= T over offered (abandoners never count as answered);
            mean wait over all offered calls (abandoners with their time to abandon);
            abandonment = abandoned / offered.
            Prints the distribution of predicted minus observed per metric, model and
            load band (offered load per agent on duty), and writes a Markdown page and
            two SVG plots next to it (--page).
            Example (from the repository folder; the default --calls is
            Datasets/anonbank-calls-1999/calls.csv):
              peakplan-bench staffing-check
              peakplan-bench staffing-check --calls calls.csv --page out/check.md
            """
        )
        @Option(help: ArgumentHelp("Call-level records (calls.csv of anonbank-calls-1999).", valueName: "path"))
        var calls: String = "Datasets/anonbank-calls-1999/calls.csv"
        @Option(help: ArgumentHelp("Markdown page to write; the SVG plots go next to it.", valueName: "path"))
        var page: String = "Notebooks-exported/staffing-reality-check.md"
        @Option(help: ArgumentHelp("Service level threshold T in seconds.", valueName: "seconds")) var answerSeconds: Double = 20
        @Option(help: ArgumentHelp("Leave out intervals with fewer offered calls.", valueName: "calls")) var minCalls: Int = 10
        @Option(help: ArgumentHelp("Idle gap that ends an agent's working session (minutes).", valueName: "minutes")) var sessionGap: Double = 20
        @Flag(help: "Print only; write no page or plots.") var noPage = false
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard answerSeconds >= 0 && answerSeconds <= 3600 else { throw ValidationError("--answer-seconds must be between 0 and 3600") }
            guard minCalls >= 1 else { throw ValidationError("--min-calls must be >= 1") }
            guard sessionGap >= 1 && sessionGap <= 240 else { throw ValidationError("--session-gap must be between 1 and 240 minutes") }
        }

        func run() throws {
            do {
                let t0 = Date()
                let data = try CallData.read(path: calls)
                let gaps = [sessionGap, 10, 30].reduce(into: [Double]()) { if !$0.contains($1) { $0.append($1) } }
                let agentEstimates: [(String, Double?, [Double])] = gaps.map { ("sessions, gap \(Int($0)) min", $0, data.sessionAgents(gapSeconds: $0 * 60)) }
                    + [("distinct servers in the interval", nil, data.distinctAgents())]
                let check = RealityCheck(data: data, agents: agentEstimates[0].2, answerSeconds: answerSeconds, minCalls: minCalls)
                var sensitivity: [(String, Double?, RealityCheck)] = []
                for (name, gap, a) in agentEstimates.dropFirst() {
                    sensitivity.append((name, gap, RealityCheck(data: data, agents: a, answerSeconds: answerSeconds, minCalls: minCalls)))
                }
                let table = check.errorTable(title: output.format.format == .table
                    ? "Predicted minus observed per 30-minute interval (\(grouped(check.rows.count)) intervals with >= \(minCalls) offered calls; SL and abandonment in percentage points, wait in seconds)"
                    : nil)
                try output.emit(table.render(output.format.format))
                Diagnostics.info(check.headline)
                if !noPage {
                    let dir = (page as NSString).deletingLastPathComponent
                    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                    let base = ((page as NSString).lastPathComponent as NSString).deletingPathExtension
                    let slName = base + "-sl.svg", hourName = base + "-by-hour.svg"
                    let slPath = (dir as NSString).appendingPathComponent(slName), hourPath = (dir as NSString).appendingPathComponent(hourName)
                    for (path, text) in [(slPath, check.scatterSVG()), (hourPath, check.byHourSVG()),
                                         (page, check.markdown(table: check.errorTable(title: nil), sensitivity: sensitivity, calls: calls,
                                                               sessionGap: sessionGap, slSVG: slName, hourSVG: hourName))] {
                        let sink = try OutputSink(path: path)
                        try sink.write(text)
                        try sink.finish()
                    }
                    Diagnostics.info("bench staffing-check: wrote \(page), \(slPath), \(hourPath) in \(String(format: "%.1f", Date().timeIntervalSince(t0))) s")
                }
            } catch { throw failure(error) }
        }
    }
}

/// The call records aggregated per 30-minute interval of queue entry (local wall clock), plus every server's
/// service spells for the agents-on-duty estimates.
struct CallData {
    static let interval: Int64 = TimeGrid.halfHour.secondsPerSlot
    /// Local seconds of the first interval.
    var base: Int64 = 0
    var count = 0
    var offered: [Int] = [], answered: [Int] = [], abandoned: [Int] = []
    /// Answered with queue_seconds <= T, for the thresholds in `thresholds`.
    var answeredWithin: [Double: [Int]] = [:]
    var waitSum: [Double] = [], serviceSum: [Double] = []
    /// Services of each server: (start, end), local seconds, capped at `serviceCap`.
    var spells: [[(Int64, Int64)]] = []
    var servers: [String] = []
    var records = 0, offeredTotal = 0, phantom = 0, vruOnly = 0, noServer = 0, capped = 0, excludedDay = 0
    /// 23 May 1999: a VRU/system event (SOURCE.md); left out.
    static let excludedDays: Set<Int64> = [Civil.daysFromCivil(year: 1999, month: 5, day: 23)]
    static let serviceCap = 3600

    /// Parses calls.csv (header arrival,type,priority,vru_seconds,queue_seconds,outcome,service_seconds,server,entered_queue).
    static func read(path: String, thresholds: [Double] = [20]) throws -> CallData {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            throw PlanError("\(path): cannot open or read the call records (anonbank-calls-1999/calls.csv); pass --calls PATH", .noInput)
        }
        var d = CallData()
        var starts: [Int64] = [], qEntry: [Int64] = [], waits: [Int32] = [], services: [Int32] = [], outcome: [UInt8] = []
        var entered: [Bool] = [], serverIx: [Int32] = []
        var serverIndex: [String: Int32] = [:]
        try bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var lineStart = 0, lineNo = 0
            var fieldStarts = [Int](repeating: 0, count: 10), fieldEnds = [Int](repeating: 0, count: 10)
            func int(_ k: Int) -> Int? {
                var i = fieldStarts[k], v = 0, neg = false
                let e = fieldEnds[k]
                if i < e && b[i] == 45 { neg = true; i += 1 }
                guard i < e else { return nil }
                while i < e { let c = Int(b[i]) - 48; guard c >= 0 && c <= 9 else { return nil }; v = v * 10 + c; i += 1 }
                return neg ? -v : v
            }
            func text(_ k: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: b[fieldStarts[k]..<fieldEnds[k]]), as: UTF8.self) }
            while lineStart < b.count {
                var end = lineStart
                while end < b.count && b[end] != 10 { end += 1 }
                var lineEnd = end
                if lineEnd > lineStart && b[lineEnd - 1] == 13 { lineEnd -= 1 }
                lineNo += 1
                defer { lineStart = end + 1 }
                if lineNo == 1 || lineEnd == lineStart { continue }
                var nf = 0, i = lineStart
                fieldStarts[0] = i
                while i < lineEnd {
                    if b[i] == 44 { fieldEnds[nf] = i; nf += 1; if nf >= 9 { break }; fieldStarts[nf] = i + 1 }
                    i += 1
                }
                if nf < 9 { fieldEnds[nf] = lineEnd; nf += 1 }
                guard nf == 9 else {
                    throw InputError(file: path, line: lineNo, message: "expected 9 fields (arrival,type,priority,vru_seconds,queue_seconds,outcome,service_seconds,server,entered_queue)")
                }
                d.records += 1
                let type = text(1)
                if type == "AA" { continue }
                guard case .success(let ts) = Civil.parseTimestamp(UnsafeBufferPointer(rebasing: b[fieldStarts[0]..<fieldEnds[0]])),
                      let vru = int(3), let q = int(4), let svc = int(6), let eq = int(8) else {
                    throw InputError(file: path, line: lineNo, value: String(decoding: UnsafeBufferPointer(rebasing: b[lineStart..<lineEnd]), as: UTF8.self),
                                     message: "unreadable record: arrival must be an ISO 8601 time and vru_seconds, queue_seconds, service_seconds, entered_queue integers")
                }
                let out = text(5)
                let o: UInt8 = out == "AGENT" ? 0 : out == "HANG" ? 1 : 2
                if o == 2 { d.phantom += 1; continue }
                if o == 1 && eq == 0 { d.vruOnly += 1; continue }
                let entry = ts.localSeconds + Int64(vru)
                if CallData.excludedDays.contains(Civil.split(entry).day) { d.excludedDay += 1; continue }
                var sIx: Int32 = -1
                if o == 0 {
                    let name = text(7)
                    if name == "NO_SERVER" { d.noServer += 1 } else {
                        if let k = serverIndex[name] { sIx = k } else {
                            sIx = Int32(serverIndex.count); serverIndex[name] = sIx; d.servers.append(name)
                        }
                    }
                    if svc > CallData.serviceCap { d.capped += 1 }
                }
                starts.append(ts.localSeconds); qEntry.append(entry); waits.append(Int32(q))
                services.append(Int32(min(svc, CallData.serviceCap))); outcome.append(o); entered.append(eq == 1); serverIx.append(sIx)
            }
        }
        guard let first = qEntry.min(), let last = qEntry.max() else {
            throw PlanError("\(path): no offered calls", .dataError)
        }
        d.base = LocalDateTime.startOfDay(Civil.split(first).day)
        d.count = Int((last - d.base) / interval) + 2
        d.offered = [Int](repeating: 0, count: d.count); d.answered = d.offered; d.abandoned = d.offered
        d.waitSum = [Double](repeating: 0, count: d.count); d.serviceSum = d.waitSum
        for t in thresholds { d.answeredWithin[t] = d.offered }
        d.spells = [[(Int64, Int64)]](repeating: [], count: d.servers.count)
        for i in qEntry.indices {
            let k = Int((qEntry[i] - d.base) / interval)
            d.offered[k] += 1
            d.offeredTotal += 1
            d.waitSum[k] += Double(waits[i])
            if outcome[i] == 0 {
                d.answered[k] += 1
                d.serviceSum[k] += Double(services[i])
                for t in thresholds where Double(waits[i]) <= t { d.answeredWithin[t]![k] += 1 }
                if serverIx[i] >= 0 {
                    let s = qEntry[i] + Int64(waits[i])
                    d.spells[Int(serverIx[i])].append((s, s + Int64(services[i])))
                }
            } else {
                d.abandoned[k] += 1
            }
        }
        for s in d.spells.indices { d.spells[s].sort { $0.0 < $1.0 } }
        return d
    }

    /// Time-weighted agents on duty: each server's spells merged into sessions while the idle gap is at most
    /// `gapSeconds`; an agent counts for the share of the interval inside one of its sessions.
    func sessionAgents(gapSeconds: Double) -> [Double] {
        var on = [Double](repeating: 0, count: count)
        for list in spells where !list.isEmpty {
            var (a, b) = list[0]
            func add(_ a: Int64, _ b: Int64) {
                var k = Int((a - base) / CallData.interval)
                while k < count {
                    let lo = base + Int64(k) * CallData.interval, hi = lo + CallData.interval
                    if lo >= b { break }
                    on[k] += Double(min(b, hi) - max(a, lo)) / Double(CallData.interval)
                    k += 1
                }
            }
            for (s, e) in list.dropFirst() {
                if Double(s - b) > gapSeconds { add(a, b); a = s; b = e } else { b = max(b, e) }
            }
            add(a, b)
        }
        return on
    }

    /// Idle gaps between one server's consecutive services (seconds; overlaps left out), sorted.
    func idleGaps() -> [Double] {
        var out: [Double] = []
        for list in spells where list.count > 1 {
            var end = list[0].1
            for (a, b) in list.dropFirst() {
                if a >= end { out.append(Double(a - end)) }
                end = max(end, b)
            }
        }
        return out.sorted()
    }

    /// Distinct servers with any service overlapping the interval.
    func distinctAgents() -> [Double] {
        var on = [Double](repeating: 0, count: count)
        for list in spells {
            var last = -1
            for (a, b) in list {
                var k = max(last + 1, Int((a - base) / CallData.interval))
                while k < count && base + Int64(k) * CallData.interval <= max(a, b - 1) { on[k] += 1; last = k; k += 1 }
            }
        }
        return on
    }

    /// Agents busy on average (talk time only): total service time inside the interval / interval length.
    func busyAgents() -> [Double] {
        var busy = [Double](repeating: 0, count: count)
        for list in spells {
            for (a, b) in list {
                var k = Int((a - base) / CallData.interval)
                while k < count {
                    let lo = base + Int64(k) * CallData.interval, hi = lo + CallData.interval
                    if lo >= b { break }
                    busy[k] += Double(min(b, hi) - max(a, lo)) / Double(CallData.interval)
                    k += 1
                }
            }
        }
        return busy
    }
}

/// Predictions and observations per interval, and their error distributions.
struct RealityCheck {
    struct Row {
        var k: Int
        var offered: Int
        var aht: Double
        var agents: Double
        var busy: Double
        var load: Double
        var obsSL, obsWait, obsAbandon: Double
        /// Erlang C (nil = unstable: agents <= load), Erlang A with one patience, Erlang A with the interval's patience.
        var c: QueueMetrics?
        var a: QueueMetrics
        var aLocal: QueueMetrics
        var hour: Int { (k % 48) / 2 }
        var rho: Double { load / agents }
    }

    enum Model: String, CaseIterable { case c = "Erlang C", a = "Erlang A", aLocal = "Erlang A, interval patience" }
    enum Metric: String, CaseIterable {
        case sl = "service level (pp)", wait = "mean wait (s)", abandon = "abandonment (pp)"
    }

    static let bands: [(String, Double, Double)] = [
        ("all", -.infinity, .infinity), ("< 0.6", -.infinity, 0.6), ("0.6-0.8", 0.6, 0.8), ("0.8-0.9", 0.8, 0.9),
        ("0.9-1.0", 0.9, 1.0), (">= 1.0", 1.0, .infinity),
    ]

    var rows: [Row] = []
    var patience: Double = 0
    var answerSeconds: Double
    var minCalls: Int
    var data: CallData
    var skippedNoAgents = 0, skippedNoAnswer = 0

    init(data: CallData, agents: [Double], answerSeconds t: Double, minCalls: Int) {
        self.data = data
        self.answerSeconds = t
        self.minCalls = minCalls
        let busy = data.busyAgents()
        // Exponential patience, maximum likelihood with censoring: abandonments / total time spent waiting.
        let ab = data.abandoned.reduce(0, +), exposure = data.waitSum.reduce(0, +)
        patience = exposure / Double(max(ab, 1))
        let within = data.answeredWithin[t] ?? data.answeredWithin.values.first!
        for k in 0..<data.count where data.offered[k] >= minCalls {
            guard data.answered[k] > 0 else { skippedNoAnswer += 1; continue }
            guard agents[k] >= 0.5 else { skippedNoAgents += 1; continue }
            let n = Double(data.offered[k])
            let aht = max(1, data.serviceSum[k] / Double(data.answered[k]))
            // The interval's own patience, shrunk towards the global one (a gamma prior worth 5 abandonments).
            let localTheta = (Double(data.abandoned[k]) + 5) / (data.waitSum[k] + 5 * patience)
            guard let base = try? QueueLoad(arrivals: n, intervalSeconds: Double(TimeGrid.halfHour.secondsPerSlot), ahtSeconds: aht, patienceSeconds: patience),
                  let local = try? QueueLoad(arrivals: n, intervalSeconds: Double(TimeGrid.halfHour.secondsPerSlot), ahtSeconds: aht, patienceSeconds: 1 / localTheta),
                  let plain = try? QueueLoad(arrivals: n, intervalSeconds: Double(TimeGrid.halfHour.secondsPerSlot), ahtSeconds: aht),
                  let a = try? ErlangA.metrics(base, agents: agents[k], serviceSeconds: t),
                  let al = try? ErlangA.metrics(local, agents: agents[k], serviceSeconds: t) else { continue }
            let c = try? ErlangC.metrics(plain, agents: agents[k], serviceSeconds: t)
            rows.append(Row(k: k, offered: data.offered[k], aht: aht, agents: agents[k], busy: busy[k], load: plain.offeredLoad,
                            obsSL: Double(within[k]) / n, obsWait: data.waitSum[k] / n, obsAbandon: Double(data.abandoned[k]) / n,
                            c: c, a: a, aLocal: al))
        }
    }

    func metrics(_ r: Row, _ m: Model) -> QueueMetrics? {
        switch m { case .c: return r.c; case .a: return r.a; case .aLocal: return r.aLocal }
    }

    /// (predicted, observed) in the metric's reporting unit; nil when the model has no such prediction.
    func pair(_ r: Row, _ model: Model, _ metric: Metric) -> (Double, Double)? {
        guard let m = metrics(r, model) else { return nil }
        switch metric {
        case .sl: return (m.serviceLevel * 100, r.obsSL * 100)
        case .wait: return (m.asaSeconds, r.obsWait)
        case .abandon: return m.probAbandon.map { ($0 * 100, r.obsAbandon * 100) }
        }
    }

    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let h = p * Double(sorted.count - 1)
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    struct Stats { var n = 0, observed = 0.0, predicted = 0.0, mean = 0.0, mae = 0.0, q: [Double] = [] }

    func stats(_ model: Model, _ metric: Metric, where keep: (Row) -> Bool) -> Stats {
        var e: [Double] = [], p = 0.0, o = 0.0
        for r in rows where keep(r) {
            guard let (pr, ob) = pair(r, model, metric) else { continue }
            e.append(pr - ob); p += pr; o += ob
        }
        guard !e.isEmpty else { return Stats() }
        let s = e.sorted(), n = Double(e.count)
        return Stats(n: e.count, observed: o / n, predicted: p / n, mean: e.reduce(0, +) / n, mae: e.reduce(0) { $0 + abs($1) } / n,
                     q: [0.1, 0.25, 0.5, 0.75, 0.9].map { RealityCheck.quantile(s, $0) })
    }

    func errorTable(title: String?) -> Table {
        var t = Table(title: title, columns: ["metric", "model", "load_band", "intervals", "observed_mean", "predicted_mean", "mean_error",
                                              "p10", "p25", "median", "p75", "p90", "mean_abs_error"])
        for metric in Metric.allCases {
            for model in Model.allCases {
                if metric == .abandon && model == .c { continue }
                for (name, lo, hi) in RealityCheck.bands {
                    let s = stats(model, metric) { $0.rho >= lo && $0.rho < hi }
                    guard s.n > 0 else { continue }
                    let d = metric == .wait ? 1 : 1
                    t.rows.append([.text(metric.rawValue), .text(model.rawValue), .text(name), .int(s.n),
                                   .number(s.observed, decimals: d), .number(s.predicted, decimals: d), .number(s.mean, decimals: d)]
                                  + s.q.map { .number($0, decimals: d) } + [.number(s.mae, decimals: d)])
                }
            }
        }
        return t
    }

    var unstableCount: Int { rows.filter { $0.c == nil }.count }

    /// Per interval, the Erlang A agents (with the global patience) that reproduce the observed service level, or
    /// the observed mean wait, over the estimated agents on duty: a diagnostic of how many agents the centre
    /// effectively had. Bisection on (0.05, 3n + 20); intervals where the target lies outside that range are skipped.
    func impliedAgentRatios(matching metric: Metric) -> [Double] {
        var out: [Double] = []
        for r in rows {
            guard let load = try? QueueLoad(arrivals: Double(r.offered), intervalSeconds: Double(TimeGrid.halfHour.secondsPerSlot), ahtSeconds: r.aht, patienceSeconds: patience) else { continue }
            // g(n) increases with n: service level, or minus the mean wait.
            func g(_ n: Double) -> Double {
                guard let m = try? ErlangA.metrics(load, agents: n, serviceSeconds: answerSeconds) else { return .nan }
                return metric == .sl ? m.serviceLevel : -m.asaSeconds
            }
            let target = metric == .sl ? r.obsSL : -r.obsWait
            var lo = 0.05, hi = 3 * r.agents + 20
            guard g(lo) < target, g(hi) > target else { continue }
            for _ in 0..<50 {
                let mid = (lo + hi) / 2
                if g(mid) < target { lo = mid } else { hi = mid }
            }
            out.append((lo + hi) / 2 / r.agents)
        }
        return out.sorted()
    }

    var headline: String {
        let sa = stats(.a, .sl) { _ in true }, sc = stats(.c, .sl) { _ in true }
        let wa = stats(.a, .wait) { _ in true }, aa = stats(.a, .abandon) { _ in true }
        let implied = RealityCheck.quantile(impliedAgentRatios(matching: .sl), 0.5) * 100
        return String(format: "bench staffing-check: %@ intervals, patience %.0f s; median SL error (pp): Erlang A %+.1f, Erlang C %+.1f (C unstable in %@ intervals); Erlang A median wait error %+.1f s, abandonment %+.1f pp; observed SL matches Erlang A at a median %.0f%% of the estimated agents",
                      grouped(rows.count), patience, sa.q[2], sc.q[2], grouped(unstableCount), wa.q[2], aa.q[2], implied)
    }

    // MARK: Plots

    func scatterSVG() -> String {
        // Every k-th interval keeps the files small (deterministic thinning, in time order).
        let step = max(1, (rows.count + 1499) / 1500)
        let sample = stride(from: 0, to: rows.count, by: step).map { rows[$0] }
        func panel(_ model: Model, _ color: String) -> SVGChart {
            let pts = sample.compactMap { r -> (Double, Double)? in
                if model == .c && r.c == nil { return (r.obsSL * 100, 0) } // unstable: Erlang C's limit, SL 0
                return pair(r, model, .sl).map { ($0.1, $0.0) }
            }
            return SVGChart(title: "\(model.rawValue)\(model == .c ? " (unstable drawn at 0)" : "")",
                            width: 430, height: 420,
                            x: SVGChart.Axis(title: "observed: answered within \(Int(answerSeconds)) s (% of offered)", min: 0, max: 100),
                            y: SVGChart.Axis(title: "predicted service level (%)", min: 0, max: 100),
                            marks: [.line(x: [0, 100], y: [0, 100], color: "#333333", width: 1, dashed: true, label: "predicted = observed"),
                                    .points(x: pts.map(\.0), y: pts.map(\.1), color: color, radius: 1.8, opacity: 0.35, label: nil)])
        }
        var a = panel(.a, "#1f77b4"), c = panel(.c, "#d62728")
        c.caption = "Anonymous Bank 1999: \(grouped(sample.count)) of \(grouped(rows.count)) intervals (1 in \(step))"
        a.caption = "agents on duty: server sessions; patience \(Int(patience.rounded())) s"
        return SVGChart.panels([c, a], title: "Service level: predicted vs observed per 30-minute interval")
    }

    func byHourSVG() -> String {
        let hours = (0..<24).filter { h in rows.filter { $0.hour == h }.count >= 30 }
        let xs = hours.map { Double($0) + 0.5 }
        var marks: [SVGChart.Mark] = [.line(x: [0, 24], y: [0, 0], color: "#333333", width: 1, dashed: true, label: nil)]
        let colors: [Model: String] = [.c: "#d62728", .a: "#1f77b4", .aLocal: "#2ca02c"]
        var lo: [Double] = [], hi: [Double] = []
        for h in hours {
            let s = stats(.a, .sl) { $0.hour == h }
            lo.append(s.q[1]); hi.append(s.q[3])
        }
        marks.append(.band(x: xs, low: lo, high: hi, color: "#1f77b4", opacity: 0.18, label: "Erlang A, middle 50%"))
        for m in Model.allCases {
            let med = hours.map { h in stats(m, .sl) { $0.hour == h && (m != .c || $0.c != nil) }.q.dropFirst(2).first ?? .nan }
            marks.append(.line(x: xs, y: med, color: colors[m]!, width: 2, dashed: false, label: "\(m.rawValue): median"))
        }
        let all = marks.flatMap { m -> [Double] in
            switch m { case .line(_, let y, _, _, _, _): return y; case .band(_, let l, let h, _, _, _): return l + h; default: return [] }
        }.filter(\.isFinite)
        let top = max(10, ((all.max() ?? 10) / 10).rounded(.up) * 10), bottom = min(-10, ((all.min() ?? -10) / 10).rounded(.down) * 10)
        return SVGChart(title: "Service level error (predicted - observed) by hour of day",
                        width: 760, height: 420,
                        x: SVGChart.Axis(title: "hour of day (local time, interval of queue entry)", min: 0, max: 24, ticks: stride(from: 0.0, through: 24, by: 2).map { $0 }),
                        y: SVGChart.Axis(title: "percentage points", min: bottom, max: top),
                        marks: marks,
                        caption: "Hours with at least 30 intervals of >= \(minCalls) offered calls. Erlang C medians over its stable intervals only.").render()
    }

    // MARK: Page

    func markdown(table: Table, sensitivity: [(String, Double?, RealityCheck)], calls: String, sessionGap: Double, slSVG: String, hourSVG: String) -> String {
        func p(_ x: Double, _ d: Int = 1) -> String { String(format: "%.\(d)f", x) }
        func signed(_ x: Double, _ d: Int = 1) -> String { String(format: "%+.\(d)f", x) }
        let n = rows.count
        let offered = rows.reduce(0) { $0 + $1.offered }
        let sa = stats(.a, .sl) { _ in true }, sc = stats(.c, .sl) { _ in true }, sal = stats(.aLocal, .sl) { _ in true }
        let wa = stats(.a, .wait) { _ in true }, wc = stats(.c, .wait) { _ in true }, wal = stats(.aLocal, .wait) { _ in true }
        let ab = stats(.a, .abandon) { _ in true }, abl = stats(.aLocal, .abandon) { _ in true }
        let unstable = rows.filter { $0.c == nil }
        let saStable = stats(.a, .sl) { $0.c != nil }
        let unstableObsSL = unstable.isEmpty ? 0 : unstable.reduce(0) { $0 + $1.obsSL } / Double(unstable.count) * 100
        let meanAgents = rows.reduce(0) { $0 + $1.agents } / Double(max(n, 1))
        let occ = rows.map { $0.busy / $0.agents }.sorted()
        let rhoSorted = rows.map(\.rho).sorted()
        let bandSummary = RealityCheck.bands.dropFirst().compactMap { band -> String? in
            let st = stats(.a, .sl) { $0.rho >= band.1 && $0.rho < band.2 }
            return st.n == 0 ? nil : "\(signed(st.q[2])) pp at \(band.0) (\(grouped(st.n)) intervals)"
        }.joined(separator: ", ")
        let gaps = data.idleGaps()
        func gapShare(_ x: Double) -> Double { Double(gaps.filter { $0 <= x }.count) / Double(max(gaps.count, 1)) }
        let implSL = impliedAgentRatios(matching: .sl), implWait = impliedAgentRatios(matching: .wait)
        func pct(_ v: [Double], _ q: Double) -> String { p(RealityCheck.quantile(v, q) * 100, 0) + "%" }
        let ahtMean = rows.reduce(0) { $0 + $1.aht * Double($1.offered) } / Double(max(offered, 1))

        var s = """
        # Staffing reality check: Erlang C and Erlang A against the Anonymous Bank, 1999

        *Generated by `peakplan-bench staffing-check` from `\(calls)`; do not edit by hand (re-run the command).*

        Can a staffing model predict what the agents who were actually on duty achieved? The call-level records of
        the "Anonymous Bank" call centre (Israel, January-October 1999; Technion SEE Center, Brown et al. 2005,
        JASA 100(469)) hold every call's queue wait, outcome, talk time and the agent who served it. We rebuild,
        per 30-minute interval, what a planner feeds a staffing model (offered calls, handle time, patience,
        agents), compute the model's service level, mean wait and abandonment, and compare with what happened.

        ## Headline

        | | Erlang C | Erlang A (one patience, \(p(patience, 0)) s) | Erlang A (interval patience) |
        |---|---:|---:|---:|
        | median SL error, pp (predicted - observed) | \(signed(sc.q[2])) | \(signed(sa.q[2])) | \(signed(sal.q[2])) |
        | middle 50% of SL errors, pp | \(signed(sc.q[1])) to \(signed(sc.q[3])) | \(signed(sa.q[1])) to \(signed(sa.q[3])) | \(signed(sal.q[1])) to \(signed(sal.q[3])) |
        | mean absolute SL error, pp | \(p(sc.mae)) | \(p(sa.mae)) | \(p(sal.mae)) |
        | median mean-wait error, s | \(signed(wc.q[2])) | \(signed(wa.q[2])) | \(signed(wal.q[2])) |
        | median abandonment error, pp | n/a (nobody abandons) | \(signed(ab.q[2])) | \(signed(abl.q[2])) |
        | intervals compared | \(grouped(sc.n)) stable of \(grouped(n)) | \(grouped(sa.n)) | \(grouped(sal.n)) |

        \(grouped(n)) intervals with at least \(minCalls) offered calls (\(grouped(offered)) calls); observed service level
        (answered within \(p(answerSeconds, 0)) s, over all offered calls) averages \(p(sa.observed))%, observed abandonment
        \(p(ab.observed))%, observed mean wait \(p(wa.observed)) s. Erlang C has no steady state in
        \(grouped(unstable.count)) intervals (\(p(Double(unstable.count) / Double(max(n, 1)) * 100))%): the estimated agents are at
        or below the offered load, so it predicts an unbounded wait, yet those intervals answered \(p(unstableObsSL))% within
        \(p(answerSeconds, 0)) s on average. They are left out of Erlang C's error statistics, which flatters it.

        **How many agents did the centre effectively have?** Solving Erlang A backwards, the agents that reproduce
        each interval's observed service level are a median \(pct(implSL, 0.5)) of the estimated agents on duty (middle
        50%: \(pct(implSL, 0.25)) to \(pct(implSL, 0.75)); \(grouped(implSL.count)) intervals where a solution exists);
        reproducing the observed mean wait takes a median \(pct(implWait, 0.5)) (\(pct(implWait, 0.25)) to
        \(pct(implWait, 0.75)); \(grouped(implWait.count)) intervals). Below 100%, the centre served as if it had
        fewer agents than were seen answering calls, or as if calls took longer than their talk time.

        ![Predicted vs observed service level](\(slSVG))

        ![Service level error by hour of day](\(hourSVG))

        ## What was estimated, and how

        - **Interval and offered calls.** A call is assigned to the 30-minute interval of its queue entry (arrival +
          `vru_seconds`, local wall clock). Offered = calls that reached the agent queue: `AGENT` records and `HANG`
          records with `entered_queue = 1`. `PHANTOM` records (\(grouped(data.phantom))), hang-ups inside the VRU
          (\(grouped(data.vruOnly))) and the 5 `AA` records are not agent demand. 23 May 1999, a documented VRU/system
          event, is left out (\(grouped(data.excludedDay)) offered calls).
        - **Handle time.** Mean `service_seconds` of the interval's answered calls (volume-weighted mean over the
          compared intervals: \(p(ahtMean, 0)) s). It is talk time only: the data has no hold or after-call work.
          \(grouped(data.capped)) services over one hour (up to 17 hours, most likely recording faults) are capped at one hour.
        - **Agents on duty.** The data has no rosters. Each server's services (start = queue entry + wait) are merged
          into working sessions while the idle gap between calls is at most \(p(sessionGap, 0)) minutes (of the idle gaps
          between a server's consecutive calls, \(p(gapShare(sessionGap * 60) * 100))% are at most that long; 90% are under
          \(p(RealityCheck.quantile(gaps, 0.9) / 60)) minutes); an agent counts for the share of
          the interval inside a session, so a half-interval counts 0.5 (fractional agents go through the
          continuous Erlang extension). Mean \(p(meanAgents, 2)) agents per compared interval. Talk time over time on
          duty (a talk-only occupancy) has median \(p(RealityCheck.quantile(occ, 0.5) * 100, 0))% (p10
          \(p(RealityCheck.quantile(occ, 0.1) * 100, 0))%, p90 \(p(RealityCheck.quantile(occ, 0.9) * 100, 0))%). The
          documentation mentions 8 agent positions, a supervisor and 5 internet positions; the estimate peaks at
          \(p(rows.map(\.agents).max() ?? 0, 1)). \(grouped(data.noServer)) answered calls name no server and add no session time.
          Alternatives are compared below.
        - **Patience.** Exponential patience by maximum likelihood with censoring: abandonments divided by the total
          time all offered calls spent waiting (served callers' waits are censored patience times). Over the data
          set: \(p(patience, 0)) s, the value a planner would configure. The interval-patience variant uses each
          interval's own abandonments and waits, shrunk towards that value (a gamma prior worth 5 abandonments); it
          peeks at the outcome and shows what a perfect patience forecast could add.
        - **Observed metrics**, with the definitions of `Datasets/benchmarks/erlang/erlang_reference_notes.md`: service level
          = calls answered with `queue_seconds` <= \(p(answerSeconds, 0)) over all offered calls (an abandoner never counts as
          answered, even when it hangs up before \(p(answerSeconds, 0)) s); mean wait over all offered calls, zero waits included
          and abandoners with their time to abandon (the model's ASA over all arrivals); abandonment = abandoned / offered.
          Erlang C's service level is P(wait <= T) in a model where nobody abandons.
        - **Load band**: offered load (offered calls x AHT / 30 minutes) per agent on duty. Median \(p(RealityCheck.quantile(rhoSorted, 0.5), 2)),
          p90 \(p(RealityCheck.quantile(rhoSorted, 0.9), 2)).

        ## Error distribution (predicted - observed)

        Per interval; service level and abandonment in percentage points, mean wait in seconds.


        """
        s += markdownTable(table)
        s += """

        ## Sensitivity to the agents-on-duty estimate

        The models are steep in the number of agents near full load, so the estimate of who was on duty matters as
        much as the model. Median and mean absolute service-level error (pp) under other estimates:

        | agents on duty | mean agents | Erlang C median | Erlang C unstable | Erlang A median | Erlang A mean abs | Erlang A wait median (s) | Erlang A abandonment median (pp) |
        |---|---:|---:|---:|---:|---:|---:|---:|
        | sessions, gap \(p(sessionGap, 0)) min (used above) | \(p(meanAgents, 2)) | \(signed(sc.q[2])) | \(grouped(unstable.count)) | \(signed(sa.q[2])) | \(p(sa.mae)) | \(signed(wa.q[2])) | \(signed(ab.q[2])) |

        """
        for (name, _, c) in sensitivity {
            let a = c.stats(.a, .sl) { _ in true }, cc = c.stats(.c, .sl) { _ in true }
            let w = c.stats(.a, .wait) { _ in true }, b = c.stats(.a, .abandon) { _ in true }
            let mean = c.rows.reduce(0) { $0 + $1.agents } / Double(max(c.rows.count, 1))
            s += "| \(name) | \(p(mean, 2)) | \(signed(cc.q[2])) | \(grouped(c.unstableCount)) | \(signed(a.q[2])) | \(p(a.mae)) | \(signed(w.q[2])) | \(signed(b.q[2])) |\n"
        }
        if let short = sensitivity.filter({ ($0.1 ?? .infinity) < sessionGap }).min(by: { $0.1! < $1.1! }) {
            let st = short.2.stats(.a, .sl) { _ in true }
            s += """

            The estimate moves the verdict as much as the model does: with sessions ended by a \(p(short.1!, 0))-minute
            idle gap, Erlang A's median service-level error is \(signed(st.q[2])) pp instead of \(signed(sa.q[2])) pp. The
            \(p(sessionGap, 0))-minute gap was fixed before comparing (a gap that long is unusual between calls, see above), not
            tuned to the fit. That shorter sessions fit better suggests that agents counted on duty were often not taking
            calls during idle stretches even while callers waited (breaks, after-call work, other tasks): what a
            planner calls shrinkage and after-call work, which the models here do not see.

            """
        }
        s += """

        ## Where and why the models miss

        - **Erlang C cannot describe this centre.** \(p(ab.observed))% of offered callers hang up and the estimated agents are
          often at or below the offered load (\(grouped(unstable.count)) intervals); Erlang C then has no answer at all, and
          where it has one it assumes every caller waits forever, so it overstates waits and understates service
          when the queue is busy. On the \(grouped(sc.n)) intervals where it has an answer, its median service-level
          error is \(signed(sc.q[2])) pp (mean absolute \(p(sc.mae))) against Erlang A's \(signed(saStable.q[2])) pp
          (\(p(saStable.mae))) on the same intervals: a model that ignores abandonment predicts longer waits, which
          partly cancels the optimistic inputs (talk-time-only AHT, agents counted on duty), and the worst
          intervals, where it has no answer, are not in its sample: it is closer for the wrong reason, and its mean
          wait error averages \(signed(wc.mean, 0)) s (Erlang A: \(signed(wa.mean, 0)) s). Abandonment is what keeps a
          real queue stable in overload; Erlang A models it and gives a finite answer in every interval. Its
          optimism most likely comes from the inputs (next points), which planning corrects with shrinkage and after-call
          work, not by switching to a model whose errors happen to offset them.
        - **The error depends on the load.** Erlang A's median service-level error by load per agent on duty:
          \(bandSummary). It is largest in the middle bands, where the service level is most sensitive to
          the number of agents (a fraction of an agent moves it by many points), and smaller when the centre is
          nearly idle (everyone is answered at once whatever the model) or overloaded (abandonment, which Erlang A
          models, then dominates).
        - **Agents on duty are estimated, not known.** Sessions cannot see an agent who was logged in but idle for
          longer than the gap, nor tell a break from a quiet spell; the distinct-server count (an agent present for
          one call counts as a full agent) gives a different answer (sensitivity table). Agents may also have done
          work the call records do not show (the internet positions in the adjacent room, supervision, anything
          off the phone).
        - **Multi-skill pooling.** Agents serve several service types (PS, NE, NW, IN, PE, TT) from one pool; the check
          treats the centre as one queue with one mixed handle time. Per type the model has no way to know how much
          of the pool each type got.
        - **Handle time is talk time only.** No wrap-up (after-call work) is recorded, so the true AHT is longer and
          the true load higher than what the models are fed: a bias towards optimistic predictions. Handle times are
          also far from exponential (heavy tails; the mean is well above the median), which Erlang models assume.
        - **Priorities.** Priority customers are credited with 1.5 minutes of waiting when they join: service is not
          first come first served. Totals such as the mean wait change little, but the share answered within
          \(p(answerSeconds, 0)) s depends on the order.
        - **The VRU.** Callers spend time in the voice response unit first (median 8 s) and some give up there; those are
          not offered to agents here. Patience measured in the agent queue excludes the VRU time already spent.
        - **Patience is not exponential and not constant.** Brown et al. (2005) find hazard rates that change with the
          time waited; one exponential patience for all hours is a simplification (compare the interval-patience
          column, which uses information a planner does not have in advance).
        - **Non-stationarity inside 30 minutes.** Arrivals rise and fall within an interval and queues carry over from
          one interval to the next; the models assume a steady state in every interval.

        ## Reproduce

        ```
        peakplan-bench staffing-check --calls \(calls) --answer-seconds \(p(answerSeconds, 0)) --min-calls \(minCalls) --session-gap \(p(sessionGap, 0))
        ```

        Data: Technion SEE Center "Anonymous Bank" call-center data (Guedj & Mandelbaum); Brown, Gans, Mandelbaum,
        Sakov, Shen, Zeltyn & Zhao (2005), "Statistical analysis of a telephone call center: a queueing-science
        perspective", JASA 100(469), 36-50. Models: `Sources/Staffing` (Erlang C; Erlang A after Garnett, Mandelbaum
        & Reiman 2002).

        """
        return s
    }

    func markdownTable(_ t: Table) -> String {
        var s = "| " + t.columns.joined(separator: " | ") + " |\n"
        s += "|" + t.columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        for r in t.rows { s += "| " + r.map(\.plain).joined(separator: " | ") + " |\n" }
        return s
    }
}
