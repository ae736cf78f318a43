import ArgumentParser
import CommandLineSupport
import Foundation
import PlanningCore
import Reports
import Scheduling
import Store
import Pipeline

/// Where requirements and rules come from, and how to solve (shared by `schedule` and `schedule explain`).
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

    @Option(help: ArgumentHelp("With requirements from the store: pooled (agents on shift after shrinkage, continuous: whole agents are rounded once per group by the shifts; breaks are placed by the templates), agents (whole on-queue agents per queue, no shrinkage) or scheduled (whole agents per queue after shrinkage).", valueName: "column"))
    var use: StaffingColumn = .pooled

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

    typealias StaffingColumn = ScheduleRequest.StaffingColumn

    func validate() throws {
        if requirements != nil && instance != nil { throw ValidationError("give --requirements or --instance, not both") }
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0 seconds") }
        if let n = nodeLimit, n < 0 { throw ValidationError("--node-limit must be >= 0 (0: time-sliced search)") }
        if let g = gap, !(g >= 0 && g < 1) { throw ValidationError("--gap must be in [0, 1)") }
        if instance == nil && (templates != "all" || dedicatedOnly) { throw ValidationError("--templates and --dedicated-only apply to --instance") }
    }

    /// The application-layer request these options describe.
    var request: ScheduleRequest {
        let source: ScheduleRequest.Source
        if let i = instance { source = .instance(path: i, templates: templates, dedicatedOnly: dedicatedOnly) }
        else if let r = requirements { source = .file(r) }
        else { source = .stored(use) }
        var req = ScheduleRequest(workspace: Workspace(workspace), source: source)
        req.rulesFile = rules; req.queues = queues; req.timeLimit = timeLimit; req.nodeLimit = nodeLimit; req.gap = gap; req.soft = soft
        return req
    }
}

extension ScheduleRequest.StaffingColumn: ExpressibleByArgument {}

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

        With requirements from the workspace store the solved schedule is stored (--no-store to skip): `peakplan
        route` and the report read it. --save FILE.json writes it (peakplan-schedule/1) for `route --schedule`.

        Examples:
          peakplan schedule --workspace bank
          peakplan schedule --rules rules.toml --requirements req.csv --format csv --out shifts.csv
          peakplan schedule --instance base_3q_1w.json --view coverage --format json --save solved.json

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

        @Option(help: ArgumentHelp("Also write the solved schedule (peakplan-schedule/1 JSON) to FILE, for `peakplan route --schedule FILE`.", valueName: "file.json"))
        var save: String?
        @Flag(help: "Do not store the schedule in the workspace (stored by default when the requirements come from the workspace).")
        var noStore = false

        func run() throws {
            do {
                let request = inputs.request
                let (problem, options) = try ScheduleStage.load(request)
                let solved = SolvedSchedule(result: try ScheduleStage.solve(problem, options), soft: options.settings.soft)
                let r = solved.result
                Diagnostics.info(ScheduleText.summaryLine(r))
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
                // Written and stored only after the output: a bad --out (exit 73) leaves nothing behind.
                if let path = save {
                    try writeTextFile(path, try ScheduleDocument(problem: r.problem, schedule: r.schedule).encoded() + "\n")
                }
                if case .stored = request.source, !noStore {
                    let id = try solved.save(into: try request.workspace.openStore())
                    Diagnostics.info("schedule: stored as schedule run \(id) in \(request.workspace.storePath) (`peakplan route` reads it)")
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
                let (problem, options) = try ScheduleStage.load(inputs.request)
                let r = try ScheduleStage.solve(problem, options)
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

