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
    @Option(help: ArgumentHelp("Plan a what-if scenario from [scenarios.NAME] in a copy of the workspace (<workspace>/scenarios/NAME).", valueName: "name"))
    var scenario: String?

    struct Stage { var name: String; var seconds: Double; var note: String }

    func run() throws {
        do {
            let config = try ws.loadConfig()
            guard let name = scenario else { try execute(workspace: ws.workspace, scenario: nil); return }
            let sc: Scenario
            do { sc = try Scenario.parse(config, name: name) } catch {
                throw fail("\(ws.configPath): \(error.description)", code: Exit.config)
            }
            // The scenario's workspace: a consistent copy of the store and the configuration with its overrides.
            let target = (ws.workspace as NSString).appendingPathComponent("scenarios/\(name)")
            let fm = FileManager.default
            try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
            var scConfig = config
            if let x = sc.serviceLevel { scConfig.service.serviceLevel = x }
            if let x = sc.answerSeconds { scConfig.service.answerSeconds = x }
            if let x = sc.maxOccupancy { scConfig.service.maxOccupancy = x }
            if let x = sc.shrinkage { scConfig.service.shrinkage = x }
            let text = scConfig.render()
            let previous = try? String(contentsOfFile: target + "/" + WorkspaceConfig.fileName, encoding: .utf8)
            if previous != text {
                let sink = try OutputSink(path: target + "/" + WorkspaceConfig.fileName)
                try sink.write(text)
                try sink.finish()
            }
            // Refresh the store copy only when the baseline's inputs changed (keeps the scenario's reuse working).
            let base = try ws.openStore()
            let copyPath = target + "/" + Store.fileName
            let scEvents = sc.events
            let fresh = fm.fileExists(atPath: copyPath) ? ((try? sameInputs(copy: copyPath, events: scEvents)) ?? false) : false
            if !fresh {
                for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: copyPath + suffix) }
                try base.db.execute("VACUUM INTO '\(copyPath.replacingOccurrences(of: "'", with: "''"))'")
                let copy = try Store(path: copyPath)
                if !scEvents.isEmpty { _ = try copy.importEvents(scEvents) }
            }
            Console.note("plan: scenario \(name)\(sc.description.isEmpty ? "" : " (\(sc.description))") in \(target)")
            try execute(workspace: target, scenario: sc)
        } catch { throw failure(error) }
    }

    /// Whether the copy holds the baseline's inputs plus exactly the scenario's events.
    func sameInputs(copy: String, events: [CalendarEvent]) throws -> Bool {
        let c = try Store(path: copy)
        let baseEvents = try ws.openStore().events()
        let expected = Set((baseEvents + events).map { "\($0.day)|\($0.name)|\($0.channel ?? "")|\($0.kind.rawValue)|\($0.leadDays)|\($0.lagDays)" })
        let have = Set(try c.events().map { "\($0.day)|\($0.name)|\($0.channel ?? "")|\($0.kind.rawValue)|\($0.leadDays)|\($0.lagDays)" })
        guard expected == have else { return false }
        // History must match too: compare the digests without events.
        return try c.historyDigest() == (try ws.openStore().historyDigest())
    }

    func execute(workspace: String, scenario sc: Scenario?) throws {
        do {
            let wsOptions = try WorkspaceOptions.parse(["--workspace", workspace])
            let config = try wsOptions.loadConfig()
            let store = try wsOptions.openStore()
            let chans = try store.channels()
            guard !chans.isEmpty else { throw fail("the workspace has no history: run `peakplan ingest` first", code: Exit.dataError) }
            let outDir = (workspace as NSString).appendingPathComponent("plan")
            let configText = (try? String(contentsOfFile: wsOptions.configPath, encoding: .utf8)) ?? ""
            var fp = FNV1a()
            fp.add(try store.inputDigest()); fp.add(configText); fp.add(horizon); fp.add(PeakPlan.configuration.version)
            let fingerprint = fp.hex
            if !force, let last = try store.latestPlan(scenario: sc?.name ?? ""), last.fingerprint == fingerprint,
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
            let wsArgs = ["--workspace", workspace]
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
            if let sc, !sc.volume.isEmpty || !sc.aht.isEmpty {
                try stage("scenario") {
                    let zone = try config.zone()
                    var changed = 0
                    for ch in chans {
                        guard let run = try store.latestForecast(channel: ch.name) else { continue }
                        var rows = run.rows
                        for i in rows.indices {
                            let day = Civil.split(zone.local(fromUTC: rows[i].ts)).day
                            var v = 1.0, a = 1.0
                            for c in sc.volume where c.applies(day: day, channel: ch.name) { v *= 1 + c.change }
                            for c in sc.aht where c.applies(day: day, channel: ch.name) { a *= 1 + c.change }
                            if v != 1 || a != 1 { changed += 1 }
                            rows[i].mean *= v; rows[i].lo80 *= v; rows[i].hi80 *= v; rows[i].lo95 *= v; rows[i].hi95 *= v
                            rows[i].aht *= a
                        }
                        try store.saveForecast(channel: ch, model: run.model + "+" + sc.name, intervalMinutes: run.intervalMinutes, rows: rows)
                    }
                    return "\(changed) forecast intervals changed (volume and handle time)"
                }
            }
            try stage("staff") {
                var c = try Staff.parse(wsArgs + ["--format", "csv", "--out", outDir + "/staffing.csv"])
                try c.run()
                return ""
            }
            try stage("report") {
                var c = try ReportCommand.parse(wsArgs + ["--out-dir", outDir + "/report", "--title", sc.map { "PeakPlan plan: scenario \($0.name)" } ?? "PeakPlan plan"])
                try c.run()
                return "\(outDir)/report/index.html"
            }
            let summary = try makeSummary(store: store, chans: chans, outDir: outDir, stages: stages, workspace: workspace, scenario: sc)
            try store.savePlan(scenario: sc?.name ?? "", fingerprint: fingerprint, outputDir: outDir, summary: summary)
            print(summary, terminator: "")
        } catch { throw failure(error) }
    }

    func makeSummary(store: Store, chans: [Store.ChannelRecord], outDir: String, stages: [Stage], workspace: String, scenario: Scenario?) throws -> String {
        var o = "PeakPlan plan summary (workspace \(workspace), horizon \(horizon)\(scenario.map { ", scenario \($0.name)" } ?? ""))\n\n"
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
