import ArgumentParser
import Foundation
import PlanningCore
import Reports
import Store

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan end to end from the workspace: checks, backtest, forecast, staff, report; one summary.",
        discussion: """
        Stages (timed, progress on stderr): history checks -> backtest of every model -> forecast (default model)
        -> staffing requirement -> report. Every channel is planned at the workspace's planning interval
        (interval_minutes in peakplan.toml; finer data is summed up to it). Outputs go to <workspace>/plan/:
        forecast.csv, peaks.csv, staffing.csv, backtest.csv and report/ (index.html, report.md). Re-running with
        unchanged inputs (history, events, configuration, options) reuses the stored results and says so.
        Example:
          peakplan plan --workspace demo --horizon 14d
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @Option(help: ArgumentHelp("Forecast horizon: days (14d) or hours (36h).", valueName: "length")) var horizon: String = "14d"
    @Flag(help: "Run every stage even when the inputs are unchanged.") var force = false

    struct Stage { var name: String; var seconds: Double; var note: String }

    func run() throws {
        do {
            let config = try ws.loadConfig()
            let store = try ws.openStore()
            let chans = try store.channels()
            guard !chans.isEmpty else { throw fail("the workspace has no history: run `peakplan ingest` first", code: Exit.dataError) }
            let outDir = (ws.workspace as NSString).appendingPathComponent("plan")
            let configText = (try? String(contentsOfFile: ws.configPath, encoding: .utf8)) ?? ""
            var fp = FNV1a()
            fp.add(try store.inputDigest()); fp.add(configText); fp.add(horizon); fp.add(PeakPlan.configuration.version)
            let fingerprint = fp.hex
            if !force, let last = try store.latestPlan(scenario: ""), last.fingerprint == fingerprint,
               FileManager.default.fileExists(atPath: outDir + "/report/index.html") {
                Console.note("plan: inputs unchanged since the plan of \(last.createdAt) (fingerprint \(fingerprint)): reusing its stored results in \(outDir) (--force re-runs every stage)")
                print(last.summary, terminator: "")
                return
            }
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
            var stages: [Stage] = []
            func stage(_ name: String, _ body: () throws -> String) throws {
                Console.note("plan: \(name) ...")
                let t0 = Date()
                let note = try body()
                stages.append(Stage(name: name, seconds: Date().timeIntervalSince(t0), note: note))
                Console.note("plan: \(name) done in \(String(format: "%.2f", stages.last!.seconds)) s\(note.isEmpty ? "" : ": " + note)")
            }
            let wsArgs = ["--workspace", ws.workspace]
            // Aggregation per channel to the planning interval.
            func aggregateArgs(_ ch: Store.ChannelRecord) -> [String] {
                ch.intervalMinutes < config.intervalMinutes && config.intervalMinutes % ch.intervalMinutes == 0 ? ["--aggregate", String(config.intervalMinutes)] : []
            }
            try stage("checks") {
                var notes: [String] = []
                let zone = try config.zone()
                for ch in chans {
                    let s = try store.series(ch)
                    let sum = HistorySummary.compute(channel: ch.name, intervalMinutes: ch.intervalMinutes, zone: zone, utc: s.ts, volume: s.volume)
                    if sum.missingDays > 0 { notes.append("\(ch.name): \(sum.missingDays) day(s) without data") }
                    if sum.spanDays < 28 { notes.append("\(ch.name): only \(sum.spanDays) days of history") }
                }
                return notes.isEmpty ? "\(chans.count) channels, no gaps" : notes.joined(separator: "; ")
            }
            try stage("backtest") {
                for ch in chans {
                    var c = try BacktestCommand.parse(wsArgs + ["--channel", ch.name, "--format", "csv", "--no-timings", "--out", outDir + "/backtest-\(ch.name).csv"] + aggregateArgs(ch))
                    try c.run()
                }
                return "every model, 4 rolling origins per channel"
            }
            try stage("forecast") {
                for ch in chans {
                    var c = try ForecastCommand.parse(wsArgs + ["--channel", ch.name, "--horizon", horizon, "--format", "csv", "--out", outDir + "/forecast-\(ch.name).csv"] + aggregateArgs(ch))
                    try c.run()
                    var p = try ForecastCommand.parse(wsArgs + ["--channel", ch.name, "--horizon", horizon, "--peaks", "--no-store", "--format", "csv", "--out", outDir + "/peaks-\(ch.name).csv"] + aggregateArgs(ch))
                    try p.run()
                }
                return "auto model, \(horizon)"
            }
            try stage("staff") {
                var c = try Staff.parse(wsArgs + ["--format", "csv", "--out", outDir + "/staffing.csv"])
                try c.run()
                return ""
            }
            try stage("report") {
                var c = try ReportCommand.parse(wsArgs + ["--out-dir", outDir + "/report", "--title", "PeakPlan plan"])
                try c.run()
                return "\(outDir)/report/index.html"
            }
            let summary = try makeSummary(store: store, chans: chans, outDir: outDir, stages: stages)
            try store.savePlan(scenario: "", fingerprint: fingerprint, outputDir: outDir, summary: summary)
            print(summary, terminator: "")
        } catch { throw failure(error) }
    }

    func makeSummary(store: Store, chans: [Store.ChannelRecord], outDir: String, stages: [Stage]) throws -> String {
        var o = "PeakPlan plan summary (workspace \(ws.workspace), horizon \(horizon))\n\n"
        var t = Table(title: "Forecast and requirement per channel", columns: ["channel", "forecast contacts", "peak day", "peak cause", "required agent-hours", "scheduled agent-hours", "peak agents"])
        for ch in chans {
            let run = try store.latestForecast(channel: ch.name)
            let total = run?.rows.reduce(0) { $0 + $1.mean } ?? 0
            let peaks = readCSV(outDir + "/peaks-\(ch.name).csv").filter { $0.count >= 10 && $0[3] == "peak" }
            let top = peaks.max { (Double($0[6]) ?? 0) < (Double($1[6]) ?? 0) }
            let staffing = try store.latestStaffing(channel: ch.name)
            let hours = Double(staffing?.intervalMinutes ?? 30) / 60
            t.rows.append([.text(ch.name), .number(total, decimals: 0),
                           .text(top.map { "\($0[0]) (+\($0[6])%)" } ?? "none over 10%"),
                           .text(top.map { String($0[9].prefix(60)) } ?? ""),
                           staffing.map { .number($0.rows.reduce(0) { $0 + Double($1.agents) } * hours, decimals: 1) } ?? .text("not staffed"),
                           staffing.map { .number($0.rows.reduce(0) { $0 + $1.scheduled } * hours, decimals: 1) } ?? .null,
                           staffing.map { .int($0.rows.map(\.agents).max() ?? 0) } ?? .null])
        }
        o += t.renderText()
        var st = Table(title: "\nStages", columns: ["stage", "seconds", "note"])
        for s in stages { st.rows.append([.text(s.name), .number(s.seconds, decimals: 2), .text(s.note)]) }
        o += st.renderText()
        o += "\nOutputs: \(outDir)/ (forecast-*.csv, peaks-*.csv, backtest-*.csv, staffing.csv, report/index.html)\n"
        return o
    }

    /// Rows of a CSV written by PeakPlan (RFC 4180 quotes), header dropped.
    func readCSV(_ path: String) -> [[String]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var rows: [[String]] = []
        for line in text.split(separator: "\n").dropFirst() {
            var fields: [String] = [], cur = "", inQ = false
            var it = line.makeIterator()
            while let c = it.next() {
                if c == "\"" { inQ.toggle(); continue }
                if c == "," && !inQ { fields.append(cur); cur = "" } else { cur.append(c) }
            }
            fields.append(cur)
            rows.append(fields)
        }
        return rows
    }
}
