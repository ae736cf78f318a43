import ArgumentParser
import CommandLineSupport
import Foundation
import PlanningCore
import Reports
import Rostering
import Store
import Pipeline

struct RosterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Put named agents onto shifts: contracts, availability, rest, skills, fairness; with exports.",
        discussion: """
        Reads the newest staffing requirement of every staffed channel (run `peakplan staff` first), the agents
        file and the [roster] configuration (contracts and shift templates; built-in ones when absent), and builds
        a roster over 1-6 weeks on the workspace interval (interval_minutes). Every hard rule (contract hours, consecutive days, days
        off, rest, time off, templates, skills, one shift a day) holds in every roster written; otherwise the
        command stops with the rules that cannot be met (exit 65).

        Soft rules are weighted penalties; [roster.weights] sets a weight > 0 per rule id (defaults shown):
          [roster.weights]
          coverage-shortfall = 1.0   # per agent-interval short of the requirement (+0.1 per proficiency level above 1)
          preferences = 0.5          # per start outside the preferred band, day worked preferred off, desired day not worked
          stable-start = 0.2         # per start more than an hour off the agent's usual start that week
          fairness = 1.0             # per point of weekend / late shift spread across agents (above 1)
        The engine weighs candidate shifts with the same weights; the table output lists each rule's penalty.

        Agents CSV: agent_id,name,skills,contract,site[,time_zone][,unavailable][,preferred_start][,days_off_preference][,desired_days][,availability]
          A1,Dana Levi,voice:1|chat:2,full_time,north,Asia/Jerusalem,2026-03-02..2026-03-06;every sun,07:00-09:00,sat,mon|tue,mon-fri 07:00-18:00
        unavailable: dates, date ranges (time off, credited against the weekly minimum) and recurring weekdays (every sun);
        availability: weekly windows every shift must lie in (weekdays without one are unavailable); desired_days /
        days_off_preference: weekdays the agent would like to work / have off (soft). All times (roster, preferred_start,
        availability) are wall-clock times of the workspace time zone; the iCalendar summaries and the HTML grid also
        show each shift in the agent's time_zone.

        Output (--format): table (summary), csv (agent_id,name,date,shift_start,shift_end,activity,start,end,channel:
        one row per shift activity; activity work or break) or json.

        Examples:
          peakplan roster --workspace ws --agents agents.csv --weeks 4 --start 2026-03-02 --format csv --out roster.csv
          peakplan roster --workspace ws --agents agents.csv --ical-dir calendars --html roster.html
          peakplan roster --workspace ws --agents agents.csv --replan --previous roster.csv --format csv --out roster2.csv
        """
    )

    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions
    @Option(help: ArgumentHelp("Agents CSV file.", valueName: "file.csv")) var agents: String
    @Option(help: "Weeks in the horizon (1-6).") var weeks: Int = 4
    @Flag(help: "Do not store the roster in the workspace (stored by default: `route --workspace` routes the newest roster).") var noStore = false
    @Option(help: ArgumentHelp("First day YYYY-MM-DD (default: the first whole day of the staffing requirement).", valueName: "date")) var start: String?
    @Flag(help: "Re-plan from --previous, changing as few assignments as possible; prints the changed assignments.") var replan = false
    @Option(help: ArgumentHelp("A roster CSV published before (fixed history for rest rules; what --replan keeps).", valueName: "roster.csv")) var previous: String?
    @Option(help: ArgumentHelp("Write one iCalendar file per agent into DIR.", valueName: "dir")) var icalDir: String?
    @Option(help: ArgumentHelp("Write a printable HTML roster grid (agents x days).", valueName: "file.html")) var html: String?
    @Option(help: "Seed of the engine (default: [roster] seed, else 1).") var seed: UInt64?
    @Option(help: ArgumentHelp("Wall-clock safety cap for the improvement phase, seconds (default: [roster] time_limit_seconds, else 300). The search stops after a fixed number of passes, so the same inputs and seed give the same roster on any machine; a warning says when this cap stops it first.", valueName: "seconds")) var timeLimit: Double?

    func validate() throws {
        guard (1...6).contains(weeks) else { throw ValidationError("--weeks must be 1-6") }
        if replan && previous == nil { throw ValidationError("--replan needs --previous FILE (the published roster)") }
        if let s = start, Civil.parseDate(s) == nil { throw ValidationError("--start \(s): expected a date YYYY-MM-DD") }
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be > 0") }
    }

    /// The application-layer request these options describe.
    var request: RosterRequest {
        var r = RosterRequest(workspace: ws.ws, agentsPath: agents, weeks: weeks)
        r.startDay = start.flatMap { Civil.parseDate($0) }
        r.replan = replan; r.previous = previous; r.seed = seed; r.timeLimit = timeLimit
        return r
    }

    func run() throws {
        do {
            let c = try RosterStage.solve(request)
            let problem = c.problem, result = c.result, changes = c.changes, zone = c.zone
            let m = result.metrics
            let days = problem.weeks * 7

            switch output.format {
            case .csv: try output.emit(RosterExport.csv(result.roster, problem))
            case .json: try output.emit(RosterExport.json(result.roster, problem, metrics: m, soft: result.softViolations))
            case .table: try output.emit(RosterExport.summaryText(result, problem, changes: replan ? changes : nil))
            }
            if !noStore {
                let id = try RosterStage.save(c, ws.ws)
                Diagnostics.info("roster: stored as run \(id) in the workspace (`peakplan route --workspace` routes it)")
            }
            Diagnostics.info(c.workabilityLine)
            if let line = c.activitiesLine { Diagnostics.info(line) }
            Diagnostics.info(c.overtimeLine)
            if let line = c.crossTrainingLine { Diagnostics.info(line) }
            if replan && output.format != .table {
                Diagnostics.info("replan: \(changes.count) changed assignment\(changes.count == 1 ? "" : "s")")
                for c in changes { Diagnostics.info("  \(c.agentID) \(c.date): \(c.before) -> \(c.after)") }
            }
            if let dir = icalDir {
                do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
                    throw fail("\(dir): cannot create the folder (\(error.localizedDescription))", code: Exit.cantCreate)
                }
                let stamp = Int64(Date().timeIntervalSince1970)
                for a in problem.agents.indices {
                    let name = String(problem.agents[a].id.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" }) + ".ics"
                    let sink = try OutputSink(path: (dir as NSString).appendingPathComponent(name))
                    try sink.write(RosterExport.iCalendar(agent: a, result.roster, problem, dtstamp: stamp, toUTC: { RosterExport.utc($0, in: zone) }))
                    try sink.finish()
                }
            }
            if let path = html {
                let sink = try OutputSink(path: path)
                try sink.write(RosterExport.html(result.roster, problem, title: "Roster \(problem.date(0)) to \(problem.date(days - 1))"))
                try sink.finish()
            }
        } catch { throw failure(error) }
    }
}
