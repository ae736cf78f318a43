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
        @Flag(inversion: .prefixedNo, help: "Replay the calls through the simulator (reality-replay, with its alternatives) and put it on the page beside the formulas.")
        var simulate = true
        @Option(help: "Replications of the simulation replay.") var replications: Int = 16
        @Option(help: "Seed of the simulation replay.") var seed: UInt64 = 1999
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try validateReplayOptions(answerSeconds: answerSeconds, minCalls: minCalls, sessionGap: sessionGap, replications: replications)
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
                var replaySection = "", replayPointer = ""
                if simulate {
                    let replay = RealityReplay(data: data, check: check, replications: replications, seed: seed)
                    let rep = replay.report(sessionGap: sessionGap, alternatives: !noPage)
                    if output.format.format == .table {
                        try output.emit(replay.headlineTable(rep.main, rep.asCheck, title: replay.headlineTitle).render(.table))
                    }
                    Diagnostics.info("bench staffing-check: replay " + replay.summary(rep.main))
                    replaySection = replay.markdownSection(rep, markdownTable: check.markdownTable)
                    replayPointer = replay.pointer(rep)
                }
                if !noPage {
                    let dir = (page as NSString).deletingLastPathComponent
                    if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
                    let base = ((page as NSString).lastPathComponent as NSString).deletingPathExtension
                    let slName = base + "-sl.svg", hourName = base + "-by-hour.svg"
                    let slPath = (dir as NSString).appendingPathComponent(slName), hourPath = (dir as NSString).appendingPathComponent(hourName)
                    for (path, text) in [(slPath, check.scatterSVG()), (hourPath, check.byHourSVG()),
                                         (page, check.markdown(table: check.errorTable(title: nil), sensitivity: sensitivity, calls: calls,
                                                               sessionGap: sessionGap, slSVG: slName, hourSVG: hourName, replay: replaySection, replayPointer: replayPointer))] {
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
}
