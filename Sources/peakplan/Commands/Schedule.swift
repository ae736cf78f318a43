import ArgumentParser
import Foundation
import PlanningCore
import Reports
import Scheduling
import Store

/// Exit codes of `schedule` and `route` beyond the common ones (see `peakplan schedule --help`).
enum ScheduleExit {
    /// No schedule satisfies the hard rules (the message names queues, intervals and rules).
    static let infeasible: Int32 = 65
    /// The time limit came before every part had a schedule.
    static let timeLimit: Int32 = 75
}

/// Where requirements and rules come from, and how to solve (shared by `schedule`, `schedule explain`, `route`).
struct ScheduleInputs: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Workspace folder: [schedule] rules from its peakplan.toml, requirements from its store (`peakplan staff`).", valueName: "dir"))
    var workspace: String = "."

    @Option(help: ArgumentHelp("Requirements CSV: interval_start,queue,required (local wall-clock time; agents on the queue).", valueName: "file"))
    var requirements: String?

    @Option(help: ArgumentHelp("A wfm-shift-benchmark/1 instance (requirements, templates and groups in one JSON file).", valueName: "file"))
    var instance: String?

    @Option(help: ArgumentHelp("A TOML file with a [schedule] table, instead of the workspace's peakplan.toml.", valueName: "file"))
    var rules: String?

    @Option(help: ArgumentHelp("With --instance: the template set to use.", valueName: "name"))
    var templates: String = "all"

    @Flag(help: "With --instance: only single-skill agent groups.")
    var dedicatedOnly = false

    @Option(help: ArgumentHelp("With requirements from the store: agents (on-queue, breaks are scheduled) or scheduled (after shrinkage).", valueName: "column"))
    var use: StaffingColumn = .agents

    @Option(help: ArgumentHelp("Wall-clock safety cap in seconds (default: [schedule] time_limit_seconds, 600). The search stops on work (--node-limit), so the same inputs give the same schedule on any machine and under any load; a warning says when this cap stops it first.", valueName: "seconds"))
    var timeLimit: Double?

    @Option(help: ArgumentHelp("Work limit: branch-and-bound nodes for each part's full search (default: [schedule] node_limit, 2000). 0: the older time-sliced search, which can give a different schedule under load.", valueName: "nodes"))
    var nodeLimit: Int?

    @Option(help: ArgumentHelp("Relative gap at which a part stops searching (default: [schedule] relative_gap, 0.001).", valueName: "fraction"))
    var gap: Double?

    @Flag(help: "Soft fallback: price understaffing and head-count breaches instead of failing.")
    var soft = false

    @Option(name: .customLong("queue"), help: ArgumentHelp("Only these queues (repeatable; default every queue with a requirement).", valueName: "name"))
    var queues: [String] = []

    enum StaffingColumn: String, ExpressibleByArgument, CaseIterable { case agents, scheduled }

    func validate() throws {
        if requirements != nil && instance != nil { throw ValidationError("give --requirements or --instance, not both") }
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0 seconds") }
        if let n = nodeLimit, n < 0 { throw ValidationError("--node-limit must be >= 0 (0: time-sliced search)") }
        if let g = gap, !(g >= 0 && g < 1) { throw ValidationError("--gap must be in [0, 1)") }
        if instance == nil && (templates != "all" || dedicatedOnly) { throw ValidationError("--templates and --dedicated-only apply to --instance") }
    }

    var configPath: String { (workspace as NSString).appendingPathComponent(WorkspaceConfig.fileName) }

    /// The `[schedule]` table: from --rules, else from the workspace's peakplan.toml; nil if neither has one.
    func scheduleConfig(required: Bool) throws -> ScheduleConfig? {
        if let r = rules {
            guard let data = FileManager.default.contents(atPath: r) else { throw fail("\(r): cannot read the rules file", code: Exit.noInput) }
            guard let text = String(data: data, encoding: .utf8) else { throw fail("\(r): not UTF-8 text", code: Exit.config) }
            do {
                let root = try TOML.parse(text)
                guard case .table(let t)? = root["schedule"] else { throw ConfigError(line: nil, key: "schedule", message: "no [schedule] table in the file") }
                for k in root.keys where k != "schedule" && k != "format_version" {
                    Console.note("peakplan: note: \(r): [\(k)] is ignored (only [schedule] is read)")
                }
                return try ScheduleConfig.parse(t)
            } catch let e as TOMLError {
                throw fail("\(r): line \(e.line): \(e.message)", code: Exit.config)
            } catch let e as ConfigError {
                throw fail("\(r): \(e.description)", code: Exit.config)
            }
        }
        guard FileManager.default.fileExists(atPath: configPath) else {
            if required { throw fail("no scheduling rules: give --rules FILE.toml with a [schedule] table, or a --workspace whose peakplan.toml has one", code: Exit.config) }
            return nil
        }
        let config = try WorkspaceOptions.loadConfig(at: workspace)
        guard let t = config.sections["schedule"] else {
            if required { throw fail("\(configPath): no [schedule] table; add one (see `peakplan schedule --help`) or give --rules FILE.toml", code: Exit.config) }
            return nil
        }
        do { return try ScheduleConfig.parse(t) } catch {
            throw fail("\(configPath): \(error.description)", code: Exit.config)
        }
    }

    /// The problem and engine options.
    func load() throws -> (ScheduleProblem, EngineOptions) {
        var options = EngineOptions()
        let problem: ScheduleProblem
        var config: ScheduleConfig?
        if let path = instance {
            guard let data = FileManager.default.contents(atPath: path) else { throw fail("\(path): cannot read the instance", code: Exit.noInput) }
            do {
                problem = try BenchmarkInstance.decode(data).problem(templateSet: templates, dedicatedOnly: dedicatedOnly)
            } catch { throw fail("\(path): \(error.description)", code: Exit.dataError) }
            config = try scheduleConfig(required: false)
        } else {
            let cfg = try scheduleConfig(required: true)!
            config = cfg
            let req: Requirements
            if let path = requirements {
                guard let data = FileManager.default.contents(atPath: path) else { throw fail("\(path): cannot read the requirements file", code: Exit.noInput) }
                guard let text = String(data: data, encoding: .utf8) else { throw fail("\(path): not UTF-8 text", code: Exit.dataError) }
                do { req = try Requirements.parseCSV(text, source: path) } catch { throw fail(error.description, code: Exit.dataError) }
            } else {
                req = try storedRequirements()
            }
            var pairs = req.asPairs
            if !queues.isEmpty {
                for q in queues where !pairs.contains(where: { $0.queue == q }) {
                    throw fail("queue \(q) has no requirements (have: \(pairs.map(\.queue).joined(separator: ", ")))", code: Exit.usage)
                }
                pairs = pairs.filter { queues.contains($0.queue) }
            }
            // One rule in every command (schedule, route, plan): queues no agent group serves are left out with a
            // warning naming them; the rest is planned.
            let (kept, unserved) = Self.servedQueues(pairs.map(\.queue), cfg)
            if !unserved.isEmpty {
                Console.note(Self.unservedWarning(unserved, source: rules ?? configPath))
                guard !kept.isEmpty else {
                    throw fail("\(rules ?? configPath): no [[schedule.groups]] serves any queue with requirements (\(unserved.joined(separator: ", "))): add the skill to a group", code: Exit.config)
                }
                pairs = pairs.filter { kept.contains($0.queue) }
            }
            let (first, days, trimmed) = Self.trim(pairs, firstDay: req.firstDay, days: req.days, periodsPerDay: 1440 / req.intervalMinutes)
            do {
                problem = try cfg.problem(name: requirements.map { ($0 as NSString).lastPathComponent } ?? "workspace", intervalMinutes: req.intervalMinutes,
                                          firstDay: first, days: days, requirements: trimmed)
            } catch {
                throw fail((rules ?? configPath) + ": " + error.description, code: Exit.config)
            }
        }
        if instance != nil && !queues.isEmpty {
            throw fail("--queue applies to --requirements and stored requirements", code: Exit.usage)
        }
        if let c = config {
            options.settings = c.settings
            options.timeLimit = c.timeLimitSeconds
            options.relativeGap = c.relativeGap
            options.work = c.work
        } else {
            options.timeLimit = ScheduleConfig().timeLimitSeconds
        }
        if let t = timeLimit { options.timeLimit = t }
        if let n = nodeLimit { options.work = n == 0 ? nil : WorkLimit(nodes: n) }
        if let g = gap { options.relativeGap = g }
        options.settings.soft = soft
        return (problem, options)
    }

    /// Queues (in order) that some [[schedule.groups]] serves, and those none serves.
    static func servedQueues(_ queues: [String], _ cfg: ScheduleConfig) -> (served: [String], unserved: [String]) {
        let skills = Set(cfg.groups.flatMap { $0.skills.map(\.queue) })
        return (queues.filter { skills.contains($0) }, queues.filter { !skills.contains($0) })
    }

    static func unservedWarning(_ queues: [String], source: String) -> String {
        "peakplan: warning: no agent group serves queue\(queues.count == 1 ? "" : "s") \(queues.joined(separator: ", ")) (no [[schedule.groups]] in \(source) has the skill): not scheduled; the other queues are. Fix: add the skill to a group to schedule \(queues.count == 1 ? "it" : "them")"
    }

    /// Drops leading and trailing days on which no kept queue needs anyone.
    static func trim(_ pairs: [(queue: String, perPeriod: [Double])], firstDay: Int64, days: Int, periodsPerDay P: Int)
        -> (Int64, Int, [(queue: String, perPeriod: [Double])]) {
        let used = (0 ..< days).filter { d in pairs.contains { $0.perPeriod[(d * P) ..< (d * P + P)].contains { $0 > 0 } } }
        guard let a = used.first, let b = used.last else { return (firstDay, days, pairs) }
        return (firstDay + Int64(a), b - a + 1, pairs.map { ($0.queue, Array($0.perPeriod[(a * P) ..< ((b + 1) * P)])) })
    }

    /// Requirements from the newest staffing run of every staffed channel (UTC → the workspace's wall clock).
    func storedRequirements() throws -> Requirements {
        let config = try WorkspaceOptions.loadConfig(at: workspace)
        let zone = try config.zone()
        let storePath = (workspace as NSString).appendingPathComponent(Store.fileName)
        guard FileManager.default.fileExists(atPath: storePath) else {
            throw fail("no requirements: give --requirements FILE.csv (interval_start,queue,required) or run `peakplan staff --workspace \(workspace)` first", code: Exit.noInput)
        }
        let store = try Store(path: storePath)
        var channels = try store.staffedChannels()
        if !queues.isEmpty {
            for q in queues where !channels.contains(q) {
                throw fail("channel \(q) has no staffing results (staffed: \(channels.joined(separator: ", "))); run `peakplan staff` for it", code: Exit.usage)
            }
            channels = channels.filter { queues.contains($0) }
        }
        guard !channels.isEmpty else {
            throw fail("no staffing results in \(storePath): run `peakplan staff --workspace \(workspace)` first, or give --requirements FILE.csv", code: Exit.noInput)
        }
        var entries: [Requirements.Entry] = []
        var interval: Int?
        for ch in channels {
            guard let run = try store.latestStaffing(channel: ch) else { continue }
            if let iv = interval, iv != run.intervalMinutes {
                throw fail("staffing runs use different intervals (\(iv) and \(run.intervalMinutes) minutes); re-run `peakplan staff` on one interval", code: Exit.dataError)
            }
            interval = run.intervalMinutes
            for r in run.rows {
                entries.append(Requirements.Entry(localSeconds: zone.local(fromUTC: r.ts), queue: ch, required: use == .agents ? Double(r.agents) : r.scheduled))
            }
        }
        do { return try Requirements.assemble(entries, source: "staffing results in \(storePath)", intervalMinutes: interval) } catch {
            throw fail(error.description, code: Exit.dataError)
        }
    }

    /// Solves, mapping infeasible and time-limit outcomes to their messages and exit codes.
    func solve(_ problem: ScheduleProblem, _ options: EngineOptions) throws -> ScheduleResult {
        var o = options
        let bar = SharedProgress("scheduling \(problem.name)")
        o.progress = { bar.update($0) }
        let outcome = ScheduleEngine().solve(problem, options: o)
        bar.finish()
        switch outcome {
        case .optimal(let r), .feasible(let r):
            for w in r.warnings { Console.note("peakplan: warning: " + w) }
            return r
        case .infeasible(let report): throw fail(report.description, code: ScheduleExit.infeasible)
        case .timeLimit(let t): throw fail(t.description, code: ScheduleExit.timeLimit)
        }
    }
}

extension WorkspaceOptions {
    static func loadConfig(at dir: String) throws -> WorkspaceConfig {
        var ws = try WorkspaceOptions.parse([])
        ws.workspace = dir
        return try ws.loadConfig()
    }
}

/// `Progress` shared with the engine's worker threads.
final class SharedProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let bar: Progress
    init(_ label: String) { bar = Progress(label) }
    func update(_ f: Double) { lock.lock(); bar.update(f); lock.unlock() }
    func finish() { lock.lock(); bar.finish(); lock.unlock() }
}

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Shifts per agent group (with breaks) covering every queue and interval, with the optimality gap.",
        discussion: """
        Requirements (agents on the queue per interval) come from --requirements FILE.csv
        (interval_start,queue,required; local wall-clock ISO timestamps), from --instance FILE.json
        (wfm-shift-benchmark/1), or from the workspace store after `peakplan staff`. Rules come from the
        [schedule] table of peakplan.toml or of --rules FILE.toml:

          [schedule]
          time_limit_seconds = 60          # hard wall-clock limit
          relative_gap = 0.001             # a part stops searching within this gap of its bound
          [[schedule.templates]]
          id = "8h"
          length = "8h30m"                 # span, breaks included
          start_every = "30m"
          earliest_start = "07:00"
          latest_end = "24:00"             # overnight = true allows e.g. "06:00" (next day)
          breaks = [{ length = "30m", earliest = "3h", latest = "4h30m", paid = false }]
          [[schedule.groups]]
          id = "blended"
          skills = ["voice", "chat:2"]     # queue[:level]; level 1 = primary
          cost_per_paid_hour = 1.05
          templates = ["8h"]               # default: every template
          max_agents_per_day = 40          # optional head-count limits
          max_shifts_per_week = 180
          [[schedule.queues]]
          id = "email"
          understaffing = "soft"           # default hard
          understaffing_cost = 40          # per short agent-hour
          [schedule.weights]               # per rule id, default 1
          paid-hours = 1.0
        Rules: \(RuleRegistry.ids.joined(separator: ", ")) (see `peakplan schedule explain`).

        Engine: independent parts (days, queues) are solved separately; per part the LP relaxation
        (implicit break placement, Bechtold-Jacobs) gives the lower bound, column generation prices
        cross-trained groups in, a greedy heuristic and CBC find the shifts. The gap printed is to that
        bound. Infeasible rules get a message naming queues, intervals and rules; --soft prices them.

        Views (--view): shifts (CSV: agent_or_group,date,shift_start,shift_end,activity,start,end,agents),
        coverage (CSV: interval_start,queue,required,planned,over,under) or summary.

        Examples:
          peakplan schedule --workspace bank
          peakplan schedule --rules rules.toml --requirements req.csv --format csv --out shifts.csv
          peakplan schedule --instance base_3q_1w.json --view coverage --format json

        Exit codes: 0 a schedule; 65 infeasible (or bad data); 66 unreadable input; 75 time limit before
        every part had a schedule (no partial schedule is written); 78 configuration error.
        """,
        subcommands: [Solve.self, Explain.self],
        defaultSubcommand: Solve.self
    )

    enum View: String, ExpressibleByArgument, CaseIterable { case shifts, coverage, summary }

    struct Solve: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "solve", abstract: "Solve and print shifts, coverage or a summary (the default subcommand).")
        @OptionGroup var inputs: ScheduleInputs
        @OptionGroup var output: OutputOptions
        @Option(help: "What to print: shifts, coverage or summary.")
        var view: View = .shifts

        func run() throws {
            do {
                let (problem, options) = try inputs.load()
                let r = try inputs.solve(problem, options)
                Console.note(ScheduleText.summaryLine(r))
                let f = output.format.format
                switch (view, f) {
                case (.shifts, .table): try output.emit(ScheduleText.summaryTable(r).renderText() + "\n" + ScheduleText.shiftTable(r, compact: true).renderText()
                                                         + "\n" + ScheduleText.queueTable(r).renderText())
                case (.shifts, .json): try output.emit(ScheduleText.shiftsJSON(r))
                case (.shifts, .csv): try output.emit(ScheduleText.shiftTable(r, compact: false).renderCSV())
                case (.coverage, _): try output.emit(ScheduleText.coverageTable(r).render(f))
                case (.summary, .json): try output.emit(ScheduleText.summaryJSON(r))
                case (.summary, _): try output.emit(ScheduleText.summaryTable(r).render(f) + (f == .table ? "\n" + ScheduleText.queueTable(r).renderText() : ""))
                }
            } catch { throw failure(error) }
        }
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Score by rule id, how close to optimal each part is, and the intervals that are short and why.",
            discussion: """
            Solves like `peakplan schedule` (same inputs) and prints, per rule: kind, weight, penalty and what it
            found; per part: LP bound, objective, gap and method; then every short interval with the reason
            (no template covers it, a head-count limit is reached, or covering it costs more than its price).
            Example:
              peakplan schedule explain --workspace bank --soft
            """
        )
        @OptionGroup var inputs: ScheduleInputs
        @OptionGroup var output: OutputOptions

        func run() throws {
            do {
                let (problem, options) = try inputs.load()
                let r = try inputs.solve(problem, options)
                let report = ScoreReport(result: r, settings: options.settings)
                switch output.format.format {
                case .json: try output.emit(report.json())
                case .csv: try output.emit(report.ruleTable().renderCSV())
                case .table: try output.emit(report.text())
                }
            } catch { throw failure(error) }
        }
    }
}

/// Renderings of a schedule result.
enum ScheduleText {
    static func pct(_ x: Double, _ k: Int = 2) -> String { String(format: "%.\(k)f%%", x * 100) }

    static func status(_ r: ScheduleResult) -> String { r.proven ? "optimal" : "feasible" }

    static func summaryLine(_ r: ScheduleResult) -> String {
        "schedule: \(status(r)), cost \(fmt(r.objective)), lower bound \(fmt(r.lowerBound)), gap \(pct(r.gap, 3)); "
            + "\(fmt(r.schedule.paidAgentHours(r.problem), 1)) paid agent-hours, over-staffing \(String(format: "%.2f", r.coverage.overPercent))%, "
            + "\(r.coverage.shortIntervals) short intervals; \(String(format: "%.1f", r.seconds)) s"
    }

    static func fmt(_ x: Double, _ k: Int = 2) -> String { String(format: "%.\(k)f", x) }

    static func summaryTable(_ r: ScheduleResult) -> Table {
        var t = Table(title: "Schedule \(r.problem.name): \(status(r))", columns: ["measure", "value"])
        let p = r.problem
        t.rows = [
            [.text("status"), .text(status(r))],
            [.text("objective (cost)"), .number(r.objective, decimals: 3)],
            [.text("lower bound (LP)"), .number(r.lowerBound, decimals: 3)],
            [.text("gap %"), .number(r.gap * 100, decimals: 3)],
            [.text("paid agent-hours"), .number(r.schedule.paidAgentHours(p), decimals: 1)],
            [.text("required agent-hours"), .number(r.coverage.requiredHours, decimals: 1)],
            [.text("over-staffing %"), .number(r.coverage.overPercent, decimals: 2)],
            [.text("short intervals"), .int(r.coverage.shortIntervals)],
            [.text("shifts"), .int(r.schedule.shiftCount)],
            [.text("parts solved"), .int(r.components.count)],
            [.text("seconds"), .number(r.seconds, decimals: 2)],
        ]
        return t
    }

    static func summaryJSON(_ r: ScheduleResult) -> String {
        let p = r.problem
        return "{\"problem\": \(JSON.quote(p.name)), \"status\": \"\(status(r))\", \"objective\": \(fmt(r.objective, 4)), \"lower_bound\": \(fmt(r.lowerBound, 4)), "
            + "\"gap\": \(String(format: "%.6f", r.gap)), \"paid_agent_hours\": \(fmt(r.schedule.paidAgentHours(p), 2)), "
            + "\"required_agent_hours\": \(fmt(r.coverage.requiredHours, 2)), \"over_pct\": \(fmt(r.coverage.overPercent, 3)), "
            + "\"short_intervals\": \(r.coverage.shortIntervals), \"shifts\": \(r.schedule.shiftCount), \"parts\": \(r.components.count), "
            + "\"seconds\": \(fmt(r.seconds, 3))}\n"
    }

    static func date(_ p: ScheduleProblem, _ t: Int) -> String { String(p.timeLabel(t).prefix(10)) }
    static func clock(_ p: ScheduleProblem, _ t: Int) -> String { String(p.timeLabel(t).suffix(5)) }

    /// Shifts: one row per block (compact, for the table) or the long DESIGN format (work/break activities).
    static func shiftTable(_ r: ScheduleResult, compact: Bool) -> Table {
        let p = r.problem
        let shifts = r.schedule.shifts.sorted { ($0.start, $0.group, $0.template) < ($1.start, $1.group, $1.template) }
        if compact {
            var t = Table(title: "Shifts", columns: ["group", "date", "template", "start", "end", "breaks", "agents"])
            for s in shifts {
                let tp = p.templates[s.template]
                let breaks = zip(s.breakStarts, tp.breaks).map { clock(p, $0.0) + "-" + clock(p, $0.0 + $0.1.durationPeriods) }.joined(separator: " ")
                t.rows.append([.text(p.groups[s.group].id), .text(date(p, s.start)), .text(tp.id), .text(clock(p, s.start)),
                               .text(clock(p, s.start + tp.spanPeriods)), .text(breaks), .int(s.count)])
            }
            return t
        }
        var t = Table(columns: ["agent_or_group", "date", "shift_start", "shift_end", "activity", "start", "end", "agents"])
        for s in shifts {
            let tp = p.templates[s.template]
            let end = s.start + tp.spanPeriods
            var cursor = s.start
            var segments: [(String, Int, Int)] = []
            for (b, rule) in zip(s.breakStarts, tp.breaks) {
                if b > cursor { segments.append(("work", cursor, b)) }
                segments.append((rule.paid ? "paid_break" : "break", b, b + rule.durationPeriods))
                cursor = b + rule.durationPeriods
            }
            if end > cursor { segments.append(("work", cursor, end)) }
            for (a, x, y) in segments {
                t.rows.append([.text(p.groups[s.group].id), .text(date(p, s.start)), .text(p.timeLabel(s.start)), .text(p.timeLabel(end)),
                               .text(a), .text(p.timeLabel(x)), .text(p.timeLabel(y)), .int(s.count)])
            }
        }
        return t
    }

    static func shiftsJSON(_ r: ScheduleResult) -> String {
        let p = r.problem
        var items: [String] = []
        for s in r.schedule.shifts.sorted(by: { ($0.start, $0.group, $0.template) < ($1.start, $1.group, $1.template) }) {
            let tp = p.templates[s.template]
            let breaks = zip(s.breakStarts, tp.breaks).map { "{\"start\": \(JSON.quote(p.timeLabel($0.0))), \"end\": \(JSON.quote(p.timeLabel($0.0 + $0.1.durationPeriods))), \"paid\": \($0.1.paid)}" }
            items.append("  {\"group\": \(JSON.quote(p.groups[s.group].id)), \"date\": \(JSON.quote(date(p, s.start))), \"template\": \(JSON.quote(tp.id)), "
                         + "\"shift_start\": \(JSON.quote(p.timeLabel(s.start))), \"shift_end\": \(JSON.quote(p.timeLabel(s.start + tp.spanPeriods))), "
                         + "\"breaks\": [\(breaks.joined(separator: ", "))], \"agents\": \(s.count)}")
        }
        return items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }

    /// Coverage per queue and interval with a requirement or planned agents.
    static func coverageTable(_ r: ScheduleResult) -> Table {
        let p = r.problem
        let planned = r.schedule.planned(p)
        var t = Table(columns: ["interval_start", "queue", "required", "planned", "over", "under"])
        for time in 0 ..< p.horizon {
            for q in p.queues.indices {
                let req = p.queues[q].requirement[time], pl = planned[q][time]
                guard req > 0 || pl > 1e-9 else { continue }
                t.rows.append([.text(p.timeLabel(time)), .text(p.queues[q].id), .number(req, decimals: 2), .number(pl, decimals: 2),
                               .number(max(0, pl - req), decimals: 2), .number(max(0, req - pl), decimals: 2)])
            }
        }
        return t
    }

    /// Per queue: required and planned agent-hours, over, short intervals.
    static func queueTable(_ r: ScheduleResult) -> Table {
        let p = r.problem
        let planned = r.schedule.planned(p)
        var t = Table(title: "Coverage by queue", columns: ["queue", "required_h", "planned_h", "over_h", "short_h", "short_intervals"])
        for q in p.queues.indices {
            var req = 0.0, pl = 0.0, over = 0.0, short = 0.0, n = 0
            for time in 0 ..< p.horizon {
                let a = p.queues[q].requirement[time], b = planned[q][time]
                req += a; pl += b; over += max(0, b - a)
                if a - b > 1e-6 { short += a - b; n += 1 }
            }
            let h = p.hoursPerPeriod
            t.rows.append([.text(p.queues[q].id), .number(req * h, decimals: 1), .number(pl * h, decimals: 1), .number(over * h, decimals: 1),
                           .number(short * h, decimals: 1), .int(n)])
        }
        return t
    }
}

extension ScoreReport {
    func ruleTable() -> Table {
        var t = Table(title: "Score by rule", columns: ["rule", "kind", "weight", "penalty", "findings", "what it checks"])
        for r in rules {
            t.rows.append([.text(r.rule), .text(r.kind.rawValue), .number(r.weight, decimals: 2), .number(r.penalty, decimals: 3), .int(r.findings), .text(r.summary)])
        }
        t.rows.append([.text("total"), .text(""), .null, .number(result.objective, decimals: 3), .int(rules.reduce(0) { $0 + $1.findings }), .text("objective = sum of penalties")])
        return t
    }

    func partTable() -> Table {
        let p = result.problem
        var t = Table(title: "Parts (independent components)", columns: ["days", "queues", "lp_bound", "objective", "gap_pct", "proven", "seconds", "method"])
        for c in result.components {
            let days = c.component.days.count == 1 ? Civil.formatDate(day: p.firstDay + Int64(c.component.days[0]))
                : Civil.formatDate(day: p.firstDay + Int64(c.component.days.first!)) + ".." + Civil.formatDate(day: p.firstDay + Int64(c.component.days.last!))
            let qs = c.component.queues.count <= 3 ? c.component.queues.map { p.queues[$0].id }.joined(separator: " ") : "\(c.component.queues.count) queues"
            t.rows.append([.text(days), .text(qs), .number(c.bound, decimals: 2), .number(c.objective, decimals: 2),
                           .number(c.objective > 0 ? 100 * (c.objective - c.bound) / c.objective : 0, decimals: 3), .text(c.proven ? "yes" : "no"),
                           .number(c.seconds, decimals: 2), .text(c.method)])
        }
        return t
    }

    func shortTable() -> Table {
        var t = Table(title: "Short intervals", columns: ["interval_start", "queue", "required", "planned", "short", "why"])
        for s in short {
            t.rows.append([.text(result.problem.timeLabel(s.period)), .text(s.queue), .number(s.required, decimals: 2), .number(s.planned, decimals: 2),
                           .number(s.required - s.planned, decimals: 2), .text(s.reason)])
        }
        return t
    }

    func text() -> String {
        var out = ScheduleText.summaryLine(result) + "\n\n" + ruleTable().renderText()
        for r in rules where !r.examples.isEmpty && r.rule != PaidHoursRule.id {
            out += "  \(r.rule): " + r.examples.joined(separator: "; ") + (r.findings > r.examples.count ? "; ..." : "") + "\n"
        }
        out += "\n" + partTable().renderText()
        if short.isEmpty {
            out += "\nNo short intervals: every queue has its required agents in every interval.\n"
        } else {
            out += "\n" + shortTable().renderText()
        }
        return out
    }

    func json() -> String {
        let p = result.problem
        let rs = rules.map { "{\"rule\": \(JSON.quote($0.rule)), \"kind\": \"\($0.kind.rawValue)\", \"weight\": \($0.weight), \"penalty\": \(String(format: "%.4f", $0.penalty)), \"findings\": \($0.findings), \"examples\": [\($0.examples.map(JSON.quote).joined(separator: ", "))]}" }
        let ss = short.map { "{\"interval_start\": \(JSON.quote(p.timeLabel($0.period))), \"queue\": \(JSON.quote($0.queue)), \"required\": \($0.required), \"planned\": \(String(format: "%.4f", $0.planned)), \"why\": \(JSON.quote($0.reason))}" }
        return "{\"status\": \"\(ScheduleText.status(result))\", \"objective\": \(String(format: "%.4f", result.objective)), \"lower_bound\": \(String(format: "%.4f", result.lowerBound)), \"gap\": \(String(format: "%.6f", result.gap)),\n"
            + " \"rules\": [\n  " + rs.joined(separator: ",\n  ") + "\n ],\n \"short_intervals\": [" + (ss.isEmpty ? "" : "\n  " + ss.joined(separator: ",\n  ") + "\n ") + "]}\n"
    }
}
