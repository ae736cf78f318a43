import ArgumentParser
import Foundation
import PlanningCore
import Reports
import Rostering
import Routing
import Scheduling
import Store

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Plan end to end from the workspace: checks, backtest, forecast, staff, report; one summary.",
        discussion: """
        Stages (timed, progress on stderr): history checks -> backtest of every model -> forecast (default model)
        -> [scenario changes] -> staffing requirement -> schedule (when peakplan.toml has a [schedule] table) ->
        roster (when an agents file is given) -> routing weights (with a schedule) -> report. Every channel is
        planned at the workspace's planning interval (interval_minutes in peakplan.toml; finer data is summed up
        to it). The schedule covers the queues its [[schedule.groups]] serve; when the hard rules cannot all be
        met it is solved again with priced understaffing and the short intervals are reported (set
        soft_fallback = false under [plan] to stop with exit 65 instead).

          [plan]
          agents = "agents.csv"      # agents CSV for the roster stage (relative to the workspace); or --agents
          roster_weeks = 2           # 1-6 (default: whole weeks of the horizon)
          soft_fallback = true

        Outputs go to <workspace>/plan/: forecast-*.csv, peaks-*.csv, backtest-*.csv, staffing.csv, schedule.csv,
        coverage.csv, routing.csv, roster.csv, roster.html and report/ (index.html, report.md). Schedules and
        rosters are also stored (the report and `peakplan compare` read them). Re-running with unchanged inputs
        (history, events, configuration, agents, options) reuses the stored results and says so. A plan is written
        into plan.partial-PID/ and replaces plan/ only when every stage succeeded; a plan that fails leaves the
        previous plan/ as it was and undoes the runs its stages stored.
        Exit codes: 0 planned; 65 bad data or an infeasible schedule without soft fallback; 66 missing input;
        75 the schedule's time limit came first; 78 configuration error.
        Example:
          peakplan plan --workspace demo --horizon 14d
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @Option(help: ArgumentHelp("Forecast horizon: days (14d) or hours (36h).", valueName: "length")) var horizon: String = "14d"
    @Flag(help: "Run every stage even when the inputs are unchanged.") var force = false
    @Option(help: ArgumentHelp("Plan a what-if scenario from [scenarios.NAME] in a copy of the workspace (<workspace>/scenarios/NAME).", valueName: "name"))
    var scenario: String?
    @Option(help: ArgumentHelp("Agents CSV for the roster stage (default: [plan] agents in peakplan.toml).", valueName: "file.csv"))
    var agents: String?

    func validate() throws {
        // The same horizon forms `forecast` takes (days or hours), checked before any stage writes.
        let ok: Bool
        if horizon.hasSuffix("d"), let d = Int(horizon.dropLast()) { ok = d >= 1 && d <= 366 }
        else if horizon.hasSuffix("h"), let h = Int(horizon.dropLast()) { ok = h >= 1 && h <= 24 * 366 }
        else { ok = false }
        guard ok else { throw ValidationError("--horizon \(horizon): write days from 1d to 366d (e.g. 14d) or hours from 1h (e.g. 36h)") }
    }

    /// The `[plan]` table.
    struct Settings {
        var agents: String?
        var rosterWeeks: Int?
        var softFallback = true

        static func parse(_ config: WorkspaceConfig, path: String) throws -> Settings {
            var s = Settings()
            guard let t = config.sections["plan"] else { return s }
            do {
                var r = TOMLReader(t, prefix: "plan.")
                s.agents = try r.string("agents")
                if let w = try r.int("roster_weeks") {
                    guard (1...6).contains(w) else { throw r.error("roster_weeks", "\(w) must be 1-6") }
                    s.rosterWeeks = w
                }
                s.softFallback = try r.bool("soft_fallback") ?? true
                try r.rejectUnknown(hint: "[plan] has agents, roster_weeks and soft_fallback (see `peakplan plan --help`)")
            } catch {
                throw fail("\(path): \(error)", code: Exit.config)
            }
            return s
        }
    }

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
            if !sc.crossTraining.isEmpty {
                guard let sched = config.sections["schedule"] else {
                    throw fail("\(ws.configPath): scenario \(name) changes cross-training, but there is no [schedule] table with agent groups", code: Exit.config)
                }
                do { scConfig.sections["schedule"] = try sc.applyCrossTraining(to: sched) } catch {
                    throw fail("\(ws.configPath): \(error.description)", code: Exit.config)
                }
            }
            // A relative agents path keeps pointing at the baseline's file.
            if case .string(let a)? = scConfig.sections["plan"]?["agents"], !a.hasPrefix("/") {
                var t = scConfig.sections["plan"]!
                t.set("agents", .string(Self.absolute((ws.workspace as NSString).appendingPathComponent(a))), line: t.lines["agents"] ?? t.line)
                scConfig.sections["plan"] = t
            }
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

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
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
            // Every channel needs two weeks of history to forecast: say so before any stage writes.
            do {
                let zone = try config.zone()
                for ch in chans {
                    // Channel names become file names in plan/ (checked at ingest; a store written by an older PeakPlan may differ).
                    if let why = InputRules.problem(withName: ch.name, use: .identifier) {
                        throw fail("channel \(InputRules.printable(ch.name)) \(why), so it cannot name the plan's files. Fix: ingest its history under another channel name", code: Exit.dataError)
                    }
                    let s = try store.series(ch)
                    let sum = HistorySummary.compute(channel: ch.name, intervalMinutes: ch.intervalMinutes, zone: zone, utc: s.ts, volume: s.volume)
                    if sum.spanDays < 14 {
                        throw fail("channel \(ch.name) has \(sum.spanDays) day\(sum.spanDays == 1 ? "" : "s") of history; planning needs at least 14 (two weeks) per channel to forecast. Fix: ingest more history for \(ch.name)", code: Exit.dataError)
                    }
                }
            }
            // The plan is written into a new sibling folder and switched in at the end: a plan that fails (or is
            // killed) never leaves plan/ a mix of two runs.
            let planDir = (workspace as NSString).appendingPathComponent("plan")
            let configText = (try? String(contentsOfFile: wsOptions.configPath, encoding: .utf8)) ?? ""
            let settings = try Settings.parse(config, path: wsOptions.configPath)
            let agentsPath: String? = agents ?? settings.agents.map { $0.hasPrefix("/") ? $0 : (workspace as NSString).appendingPathComponent($0) }
            var agentsText = ""
            if let a = agentsPath {
                guard let d = FileManager.default.contents(atPath: a), let text = String(data: d, encoding: .utf8) else {
                    throw fail("\(a): cannot read the agents file (\(agents != nil ? "--agents" : "[plan] agents in \(wsOptions.configPath)"))", code: Exit.noInput)
                }
                agentsText = text
                // A file without agents fails the roster stage: say so before any stage writes.
                if CSVText.lines(text).dropFirst().allSatisfy({ $0.text.allSatisfy { $0 == " " || $0 == "\t" } }) {
                    throw fail("\(a):2: the file has a header but no agents: add one row per agent (agent_id,name,skills,contract,site)", code: Exit.dataError)
                }
            }
            var fp = FNV1a()
            fp.add(try store.inputDigest()); fp.add(configText); fp.add(horizon); fp.add(PeakPlan.configuration.version); fp.add(agentsText)
            let fingerprint = fp.hex
            if !force, let last = try store.latestPlan(scenario: sc?.name ?? ""), last.fingerprint == fingerprint,
               FileManager.default.fileExists(atPath: planDir + "/report/index.html") {
                Console.note("plan: inputs unchanged since the plan of \(last.createdAt) (fingerprint \(fingerprint)): reusing its stored results in \(planDir) (--force re-runs every stage)")
                print(last.summary, terminator: "")
                return
            }
            let outDir = planDir + ".partial-\(getpid())"
            Self.removeLeftovers(planDir)
            try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
            // Runs the stages store are kept only when the whole plan succeeds.
            let marks = try store.runMarks()
            do {
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
                    let c = try BacktestCommand.parse(wsArgs + ["--channel", ch.name, "--format", "csv", "--no-timings", "--out", outDir + "/backtest-\(ch.name).csv"] + aggregateArgs(ch))
                    try c.run()
                }
                return "every model, 4 rolling origins per channel"
            }
            try stage("forecast") {
                for ch in chans {
                    let c = try ForecastCommand.parse(wsArgs + ["--channel", ch.name, "--horizon", horizon, "--format", "csv", "--out", outDir + "/forecast-\(ch.name).csv"] + aggregateArgs(ch))
                    try c.run()
                    // With volume changes ahead, every day is listed (margin 0) so the scenario stage can re-derive the peaks.
                    let margin = (sc?.volume.isEmpty ?? true) ? [] : ["--peak-margin", "0"]
                    let p = try ForecastCommand.parse(wsArgs + ["--channel", ch.name, "--horizon", horizon, "--peaks", "--no-store", "--format", "csv", "--out", outDir + "/peaks-\(ch.name).csv"] + margin + aggregateArgs(ch))
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
                        if !sc.volume.isEmpty { try rewritePeaks(outDir + "/peaks-\(ch.name).csv", channel: ch.name, scenario: sc) }
                    }
                    return "\(changed) forecast intervals changed (volume and handle time)"
                }
            }
            try stage("staff") {
                let c = try Staff.parse(wsArgs + ["--format", "csv", "--out", outDir + "/staffing.csv"])
                try c.run()
                return ""
            }
            var solved: (problem: ScheduleProblem, result: ScheduleResult, soft: Bool)?
            if let table = config.sections["schedule"] {
                try stage("schedule") {
                    let cfg: ScheduleConfig
                    do { cfg = try ScheduleConfig.parse(table) } catch { throw fail("\(wsOptions.configPath): \(error)", code: Exit.config) }
                    let staffed = try store.staffedChannels()
                    var served: [String] = []
                    for g in cfg.groups { for k in g.skills where !served.contains(k.queue) { served.append(k.queue) } }
                    let queues = served.filter { staffed.contains($0) }
                    let unserved = staffed.filter { !served.contains($0) }
                    if !unserved.isEmpty { Console.note(ScheduleInputs.unservedWarning(unserved, source: wsOptions.configPath)) }
                    guard !queues.isEmpty else {
                        throw fail("\(wsOptions.configPath): no [[schedule.groups]] serves a staffed channel (groups serve \(served.joined(separator: ", ")); staffed: \(staffed.joined(separator: ", ")))", code: Exit.config)
                    }
                    let inputs = try ScheduleInputs.parse(wsArgs + queues.flatMap { ["--queue", $0] })
                    var (problem, options) = try inputs.load()
                    let bar = SharedProgress("scheduling")
                    options.progress = { bar.update($0) }
                    var outcome = ScheduleEngine().solve(problem, options: options)
                    bar.finish()
                    var soft = false
                    if case .infeasible(let report) = outcome, settings.softFallback {
                        Console.note("plan: schedule: " + report.description.replacingOccurrences(of: "\n", with: "\nplan: ") + "\nplan: solving again with priced understaffing ([plan] soft_fallback = false stops here instead)")
                        options.settings.soft = true
                        let bar2 = SharedProgress("scheduling (soft)")
                        options.progress = { bar2.update($0) }
                        outcome = ScheduleEngine().solve(problem, options: options)
                        bar2.finish()
                        soft = true
                    }
                    let r: ScheduleResult
                    switch outcome {
                    case .optimal(let x), .feasible(let x): r = x
                    case .infeasible(let report): throw fail(report.description, code: ScheduleExit.infeasible)
                    case .timeLimit(let t): throw fail(t.description, code: ScheduleExit.timeLimit)
                    }
                    for w in r.warnings { Console.note("plan: schedule: warning: " + w) }
                    problem = r.problem
                    try Self.writeFile(outDir + "/schedule.csv", ScheduleText.shiftTable(r, compact: false).renderCSV())
                    try Self.writeFile(outDir + "/coverage.csv", ScheduleText.coverageTable(r).renderCSV())
                    try Self.writeFile(outDir + "/schedule-explain.txt", ScoreReport(result: r, settings: options.settings).text())
                    solved = (problem, r, soft)
                    return ScheduleText.summaryLine(r).replacingOccurrences(of: "schedule: ", with: "")
                        + (soft ? "; soft understaffing (hard rules could not all be met)" : "")
                        + (unserved.isEmpty ? "" : "; not scheduled (no group serves it): \(unserved.joined(separator: ", "))")
                }
            }
            if let agentsPath {
                try stage("roster") {
                    let days = Self.horizonDays(horizon)
                    let weeks = settings.rosterWeeks ?? max(1, min(6, days / 7))
                    let cmd = try RosterCommand.parse(wsArgs + ["--agents", agentsPath, "--weeks", String(weeks)])
                    let c = try cmd.compute()
                    let p = c.problem, m = c.result.metrics
                    try Self.writeFile(outDir + "/roster.csv", RosterExport.csv(c.result.roster, p))
                    try Self.writeFile(outDir + "/roster.html", RosterExport.html(c.result.roster, p, title: "Roster \(p.date(0)) to \(p.date(p.days - 1))"))
                    var rows: [Store.RosterRun.Shift] = []
                    for a in p.agents.indices {
                        let mine = c.result.roster.shifts.filter { $0.agent == a }.sorted { $0.day < $1.day }
                        if mine.isEmpty {
                            rows.append(.init(agentID: p.agents[a].id, agentName: p.agents[a].name, day: p.startDay, template: "", startMinute: 0, endMinute: 0, channels: ""))
                        }
                        for sh in mine {
                            let tp = p.templates[sh.template]
                            rows.append(.init(agentID: p.agents[a].id, agentName: p.agents[a].name, day: p.startDay + Int64(sh.day), template: tp.name,
                                              startMinute: sh.start, endMinute: sh.start + tp.lengthMinutes, channels: sh.channels.reduce(into: [String]()) { acc, c in
                                                  if c >= 0 && !acc.contains(p.channels[c]) { acc.append(p.channels[c]) } }.joined(separator: "|")))
                        }
                    }
                    try store.saveRoster(Store.RosterRun(startDay: p.startDay, weeks: p.weeks, agents: p.agents.count, shifts: m.shifts, paidHours: m.paidHours,
                                                         shortfallPct: m.shortfallPct, hardViolations: m.hardViolations, fairnessSpread: m.fairness.spread,
                                                         preferencesMetPct: m.preferencesMetPct, rows: rows))
                    return "\(p.agents.count) agents, \(weeks) week\(weeks == 1 ? "" : "s") from \(p.date(0)): \(m.shifts) shifts, \(String(format: "%.1f", m.paidHours)) paid hours, shortfall \(String(format: "%.2f", m.shortfallPct))%, \(m.hardViolations) hard violations, fairness spread \(m.fairness.spread), preferences met \(String(format: "%.1f", m.preferencesMetPct))%"
                }
            }
            if let solved {
                try stage("route") {
                    let p = solved.problem, r = solved.result
                    let table = RoutingTable(problem: p, schedule: r.schedule)
                    var t = Table(columns: ["interval_start", "queue", "agent_group", "weight", "planned_agents"])
                    for row in table.rows {
                        t.rows.append([.text(p.timeLabel(row.period)), .text(row.queue), .text(row.group), .number(row.weight, decimals: 6), .number(row.plannedAgents, decimals: 4)])
                    }
                    try Self.writeFile(outDir + "/routing.csv", t.renderCSV())
                    let planned = r.schedule.planned(p)
                    var coverage: [Store.ScheduleRun.Coverage] = []
                    for q in p.queues.indices {
                        for time in 0 ..< p.horizon where p.queues[q].requirement[time] > 0 || planned[q][time] > 1e-9 {
                            coverage.append(.init(queue: p.queues[q].id, period: time, required: p.queues[q].requirement[time], planned: planned[q][time]))
                        }
                    }
                    try store.saveSchedule(Store.ScheduleRun(
                        intervalMinutes: p.intervalMinutes, firstDay: p.firstDay, periods: p.horizon, status: ScheduleText.status(r), objective: r.objective,
                        lowerBound: r.lowerBound, gap: r.gap, paidHours: r.schedule.paidAgentHours(p), requiredHours: r.coverage.requiredHours,
                        shortIntervals: r.coverage.shortIntervals, shifts: r.schedule.shiftCount, seconds: r.seconds, soft: solved.soft, coverage: coverage,
                        weights: table.rows.map { .init(period: $0.period, queue: $0.queue, group: $0.group, weight: $0.weight, planned: $0.plannedAgents) }))
                    return "\(table.rows.count) weights (\(Set(table.rows.map(\.group)).count) groups x \(p.queues.count) queues) in \(planDir)/routing.csv"
                }
            }
            try stage("report") {
                let c = try ReportCommand.parse(wsArgs + ["--out-dir", outDir + "/report", "--title", sc.map { "PeakPlan plan: scenario \($0.name)" } ?? "PeakPlan plan"])
                try c.run()
                return "\(planDir)/report/index.html"
            }
            let summary = try makeSummary(store: store, chans: chans, outDir: outDir, shownDir: planDir, stages: stages, workspace: workspace, scenario: sc)
            try Self.switchIn(outDir, as: planDir)
            try store.savePlan(scenario: sc?.name ?? "", fingerprint: fingerprint, outputDir: planDir, summary: summary)
            print(summary, terminator: "")
            } catch {
                // Nothing half-done: the new folder goes, the previous plan/ stays, the stages' runs are undone.
                try? FileManager.default.removeItem(atPath: outDir)
                do { try store.discardRuns(since: marks) } catch let e {
                    Console.note("peakplan: warning: could not undo the runs this failed plan stored: \(e.description)")
                }
                throw error
            }
        } catch { throw failure(error) }
    }

    func makeSummary(store: Store, chans: [Store.ChannelRecord], outDir: String, shownDir: String, stages: [Stage], workspace: String, scenario: Scenario?) throws -> String {
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
        let ran = Set(stages.map(\.name))
        if ran.contains("route"), let sr = try store.latestSchedule() {
            let h = Double(sr.intervalMinutes) / 60
            var q = Table(title: "\nSchedule: \(sr.status)\(sr.soft ? " with priced understaffing" : ""), cost \(String(format: "%.2f", sr.objective)), LP lower bound \(String(format: "%.2f", sr.lowerBound)), gap to the bound \(String(format: "%.3f", sr.gap * 100))%, \(sr.shifts) shifts, \(sr.shortIntervals) short intervals",
                          columns: ["queue", "required agent-hours", "planned agent-hours", "over %", "short agent-hours", "short intervals"])
            var byQueue: [String: (Double, Double, Double, Int)] = [:]
            var order: [String] = []
            for c in sr.coverage {
                if byQueue[c.queue] == nil { order.append(c.queue) }
                var e = byQueue[c.queue] ?? (0, 0, 0, 0)
                e.0 += c.required; e.1 += c.planned
                if c.required - c.planned > 1e-6 { e.2 += c.required - c.planned; e.3 += 1 }
                byQueue[c.queue] = e
            }
            for name in order {
                let e = byQueue[name]!
                q.rows.append([.text(name), .number(e.0 * h, decimals: 1), .number(e.1 * h, decimals: 1),
                               e.0 > 0 ? .number((e.1 / e.0 - 1) * 100, decimals: 1) : .null, .number(e.2 * h, decimals: 1), .int(e.3)])
            }
            o += q.renderText()
            o += "Routing table: \(sr.weights.count) weights written to \(shownDir)/routing.csv\n"
        }
        if ran.contains("roster"), let rr = try store.latestRoster() {
            o += "\nRoster: \(rr.agents) agents, \(rr.weeks) week\(rr.weeks == 1 ? "" : "s") from \(Civil.formatDate(day: rr.startDay)): \(rr.shifts) shifts, "
                + "\(String(format: "%.1f", rr.paidHours)) paid hours, coverage shortfall \(String(format: "%.2f", rr.shortfallPct))%, \(rr.hardViolations) hard violations, "
                + "fairness spread \(rr.fairnessSpread), preferences met \(String(format: "%.1f", rr.preferencesMetPct))% (\(shownDir)/roster.csv, roster.html)\n"
        }
        var st = Table(title: "\nStages", columns: ["stage", "seconds", "note"])
        for s in stages { st.rows.append([.text(s.name), .number(s.seconds, decimals: 2), .text(s.note)]) }
        o += st.renderText()
        let extra = (ran.contains("schedule") ? ", schedule.csv, coverage.csv, schedule-explain.txt, routing.csv" : "") + (ran.contains("roster") ? ", roster.csv, roster.html" : "")
        o += "\nOutputs: \(shownDir)/ (forecast-*.csv, peaks-*.csv, backtest-*.csv, staffing.csv\(extra), report/index.html)\n"
        return o
    }

    /// Days in a horizon such as "14d" or "36h" (rounded down; at least 1).
    /// Replaces `final` with the finished folder `staged`: the previous plan is moved aside first and removed
    /// only after the switch (put back if the switch fails).
    static func switchIn(_ staged: String, as final: String) throws {
        let fm = FileManager.default
        let old = final + ".old-\(getpid())"
        let hadOld = fm.fileExists(atPath: final)
        if hadOld { try fm.moveItem(atPath: final, toPath: old) }
        do { try fm.moveItem(atPath: staged, toPath: final) } catch {
            if hadOld { try? fm.moveItem(atPath: old, toPath: final) }
            throw fail("cannot move the new plan into \(final): \(error.localizedDescription)", code: Exit.cantCreate)
        }
        if hadOld { try? fm.removeItem(atPath: old) }
    }

    /// Folders a killed plan left beside plan/ (plan.partial-PID, plan.old-PID of processes no longer running);
    /// a plan.old-* whose plan/ is missing is put back first.
    static func removeLeftovers(_ final: String) {
        let fm = FileManager.default
        let dir = (final as NSString).deletingLastPathComponent, base = (final as NSString).lastPathComponent
        for name in (try? fm.contentsOfDirectory(atPath: dir)) ?? [] {
            for kind in [".partial-", ".old-"] where name.hasPrefix(base + kind) {
                guard let pid = Int32(name.dropFirst(base.count + kind.count)), kill(pid, 0) != 0 || pid == getpid() else { continue }
                let path = (dir as NSString).appendingPathComponent(name)
                if kind == ".old-" && !fm.fileExists(atPath: final) { try? fm.moveItem(atPath: path, toPath: final) } else { try? fm.removeItem(atPath: path) }
            }
        }
    }

    static func horizonDays(_ h: String) -> Int {
        if h.hasSuffix("d"), let d = Int(h.dropLast()) { return max(1, d) }
        if h.hasSuffix("h"), let x = Int(h.dropLast()) { return max(1, x / 24) }
        return 7
    }

    static func writeFile(_ path: String, _ text: String) throws {
        let sink = try OutputSink(path: path)
        try sink.write(text)
        try sink.finish()
    }

    /// Re-derives a peaks CSV listed at margin 0 after the scenario's volume changes: scales each day's total
    /// and busiest interval, keeps the days at least 10% off their weekday's normal level, and names the scenario
    /// in the cause.
    func rewritePeaks(_ path: String, channel: String, scenario sc: Scenario) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let header = text.split(separator: "\n").first else { return }
        let columns = header.split(separator: ",").map(String.init)
        var t = Table(columns: columns)
        for f in readCSV(path) where f.count == 10 {
            guard let day = Civil.parseDate(f[0]), let total = Double(f[4]), let normal = Double(f[5]), normal > 0, let busy = Double(f[8]) else { continue }
            var v = 1.0
            for c in sc.volume where c.applies(day: day, channel: channel) { v *= 1 + c.change }
            let change = total * v / normal - 1
            guard abs(change) >= 0.10 else { continue }
            var cause = f[9]
            if v != 1 { cause = "scenario \(sc.name) \(String(format: "%+.0f%%", (v - 1) * 100))" + (cause.isEmpty ? "" : "; " + cause) }
            t.rows.append([.text(f[0]), .text(f[1]), .text(f[2]), .text(change > 0 ? "peak" : "dip"), .number(total * v, decimals: 0), .number(normal, decimals: 0),
                           .number(change * 100, decimals: 1), .text(f[7]), .number(busy * v, decimals: 1), .text(cause)])
        }
        try Self.writeFile(path, t.renderCSV())
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
