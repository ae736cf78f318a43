import Foundation
import PlanningCore
import Reports
import Rostering
import Scheduling
import Store

/// What a roster is built from.
public struct RosterRequest: Sendable {
    public var workspace: Workspace
    /// Agents CSV.
    public var agentsPath: String
    public var weeks: Int
    /// First day (local day number); default the first whole day of the staffing requirement.
    public var startDay: Int64?
    /// Re-plan from `previous`, changing as few assignments as possible.
    public var replan = false
    /// A roster CSV published before (fixed history for rest rules; what a re-plan keeps).
    public var previous: String?
    public var seed: UInt64?
    public var timeLimit: Double?
    /// Only these channels' staffing (a plan's channels); nil: every staffed channel.
    public var channels: [String]?

    public init(workspace: Workspace, agentsPath: String, weeks: Int) {
        self.workspace = workspace; self.agentsPath = agentsPath; self.weeks = weeks
    }
}

/// A solved roster with its inputs.
public struct SolvedRoster: Sendable {
    public var problem: RosterProblem
    public var result: RosterEngine.Result
    public var previous: Roster?
    public var changes: [RosterExport.Change]
    public var zone: ZoneRules
    /// The shortfall of the same roster built without the start limits and queue blocks (`Workability.unconstrained`),
    /// to show what workability costs in coverage; nil when the roster has no such limits or is a re-plan.
    public var unconstrainedShortfallPct: Double? = nil
    /// The staffing runs the requirement came from (their forecast volumes go into the stored roster document).
    public var staffing: [Store.StaffingRun] = []
    /// Overtime and extra shifts that would cover the gaps the roster leaves, best first, and the shortfall with all of them.
    public var overtime: (suggestions: [OvertimeAdvisor.Suggestion], shortfallPctAfter: Double) = ([], 0)
    /// The engine options the roster was solved with (seed, safety cap, rule weights): `RosterStage.resolve` solves
    /// a changed problem with the same ones.
    public var engineOptions = RosterEngine.Options()

    /// Cross-training that would cover most of the gap (`CrossTrainingAdvisor`'s best three by its estimate), each
    /// with the shortfall of a new roster in which those agents have the queue (level 2), lowest shortfall first.
    public var crossTraining: [(suggestion: CrossTrainingAdvisor.Suggestion, shortfallPct: Double)] = []

    /// The cross-training suggestions as a table.
    public var crossTrainingTable: Table {
        var t = Table(
            title: String(
                format: "Cross-training that would cover most of the gap (the roster is %.2f%% short; each row re-rostered with the skill at level 2)", result.metrics.shortfallPct),
            columns: ["skill_set", "agents", "add_queue", "short_hours_covered_same_shifts", "shortfall_pct_rerostered", "agent_ids"])
        for (s, pct) in crossTraining {
            t.rows.append([
                .text(s.skillSet), .int(s.agents.count), .text(s.queue), .number(s.coveredHours, decimals: 1), .number(pct, decimals: 2),
                .text(s.agents.map { problem.agents[$0].id }.joined(separator: "|"))
            ])
        }
        return t
    }

    /// One line on cross-training: the best suggestion and what it measured (nil without one).
    public var crossTrainingLine: String? {
        guard let (s, pct) = crossTraining.first else { return nil }
        return "cross-training: the \(s.agents.count) \(s.skillSet) agent\(s.agents.count == 1 ? "" : "s") learning \(s.queue) would cover "
            + String(
                format: "%.1f short agent-hours with the same shifts; re-rostered, the shortfall would fall from %.2f%% to %.2f%%", s.coveredHours, result.metrics.shortfallPct, pct
            )
    }

    /// The roster's start spread, rotations and queue switches.
    public var workability: WorkabilityMeasure { WorkabilityMeasure(result.roster, problem) }

    /// The store record: one row per agent and shift (an agent without shifts gets one empty row).
    public func record() -> Store.RosterRun {
        let p = problem, m = result.metrics
        var rows: [Store.RosterRun.Shift] = []
        for a in p.agents.indices {
            let mine = result.roster.shifts.filter { $0.agent == a }.sorted { $0.day < $1.day }
            if mine.isEmpty {
                rows.append(.init(agentID: p.agents[a].id, agentName: p.agents[a].name, day: p.startDay, template: "", startMinute: 0, endMinute: 0, channels: ""))
            }
            for sh in mine {
                let tp = p.templates[sh.template]
                rows.append(
                    .init(
                        agentID: p.agents[a].id, agentName: p.agents[a].name, day: p.startDay + Int64(sh.day), template: tp.name,
                        startMinute: sh.start, endMinute: sh.start + tp.lengthMinutes,
                        channels: sh.channels.reduce(into: [String]()) { acc, c in
                            if c >= 0 && !acc.contains(p.channels[c]) { acc.append(p.channels[c]) }
                        }.joined(separator: "|")))
            }
        }
        return Store.RosterRun(
            startDay: p.startDay, weeks: p.weeks, agents: p.agents.count, shifts: m.shifts, paidHours: m.paidHours,
            shortfallPct: m.shortfallPct, hardViolations: m.hardViolations, fairnessSpread: m.fairness.spread,
            preferencesMetPct: m.preferencesMetPct, rows: rows)
    }

    /// One line for summaries.
    public var summaryLine: String {
        let p = problem, m = result.metrics, empty = p.emptyIntervals(result.roster)
        return
            "\(p.agents.count) agents, \(p.weeks) week\(p.weeks == 1 ? "" : "s") from \(p.date(0)): \(m.shifts) shifts, \(String(format: "%.1f", m.paidHours)) paid hours, shortfall \(String(format: "%.2f", m.shortfallPct))%, \(m.hardViolations) hard violations, fairness spread \(m.fairness.spread), preferences met \(String(format: "%.1f", m.preferencesMetPct))%, "
            + "\(empty.empty) of \(empty.needed) intervals with requirement have nobody on their queues"
    }

    /// The overtime suggestions as a table (agent, date, kind, times, hours, short hours covered, queues).
    public var overtimeTable: Table {
        let p = problem
        var t = Table(
            title: "Overtime and extra shifts that would cover the gaps (best first; the shortfall would fall from "
                + String(format: "%.2f%% to %.2f%%)", result.metrics.shortfallPct, overtime.shortfallPctAfter),
            columns: ["agent_id", "date", "kind", "start", "end", "hours", "short_hours_covered", "queues"])
        for s in overtime.suggestions {
            func at(_ m: Int) -> String { Civil.formatLocal(p.startDay * TimeGrid.secondsPerDay + Int64(m) * 60) }
            t.rows.append([
                .text(p.agents[s.agent].id), .text(p.date(s.day)), .text(s.kind), .text(at(s.start)), .text(at(s.end)),
                .number(s.hours, decimals: 1), .number(s.coveredHours, decimals: 1), .text(s.queues.joined(separator: "|"))
            ])
        }
        return t
    }

    /// One line on overtime: how many suggestions, their hours, and the shortfall with them.
    public var overtimeLine: String {
        let h = overtime.suggestions.reduce(0) { $0 + $1.hours }, c = overtime.suggestions.reduce(0) { $0 + $1.coveredHours }
        return "overtime: \(overtime.suggestions.count) suggestion\(overtime.suggestions.count == 1 ? "" : "s") (extended or extra shifts), "
            + String(format: "%.1f h covering %.1f short agent-hours; shortfall %.2f%% -> %.2f%%", h, c, result.metrics.shortfallPct, overtime.shortfallPctAfter)
    }

    /// One line on the placed activities (nil without `[[roster.activities]]`): how many of each, their share of
    /// worked time, and how many found no place.
    public var activitiesLine: String? {
        let p = problem
        guard !p.activities.isEmpty else { return nil }
        let shifts = result.roster.shifts.filter { $0.day >= 0 }
        let counts = p.activities.indices.map { k in
            let code = RosterProblem.activityCode(k)
            return "\(p.activities[k].name) \(shifts.filter { $0.channels.contains(code) }.count)"
        }
        return "activities placed where load allows: " + counts.joined(separator: ", ")
            + String(format: " (%.1f%% of worked time: part of the planned shrinkage, placed instead of uplifted for)", 100 * p.placedActivityShare(result.roster))
            + (result.unplacedActivities.isEmpty ? "" : "; \(result.unplacedActivities.count) found no place")
    }

    /// One line on workability: the measures and what the limits cost against an unconstrained roster.
    public var workabilityLine: String {
        let w = problem.workability
        func h(_ m: Int?) -> String { m.map { String(format: "%g h", LocalDateTime.hours(minutes: $0)) } ?? "none" }
        var line =
            "workability: " + workability.summary
            + "; limits: start spread \(h(w.maxStartSpreadMinutes)), backward rotation \(h(w.maxBackwardRotationMinutes)), queue blocks \(w.minQueueBlockMinutes) min"
        if let u = unconstrainedShortfallPct {
            line += String(format: "; without them the shortfall would be %.2f%% (these limits cost %+.2f points)", u, result.metrics.shortfallPct - u)
        }
        return line
    }
}

/// The roster stage: named agents onto shifts against the staffing requirement.
public enum RosterStage {
    /// Reads the configuration, requirement, agents and previous roster, and solves.
    public static func solve(_ req: RosterRequest) throws -> SolvedRoster {
        let ws = req.workspace
        let config = try ws.loadConfig()
        let zone = try config.zone()
        let rc: RosterConfig
        do {
            let shared = try config.sections["schedule"].map { t throws(ConfigError) in try ScheduleConfig.parse(t).minuteTemplates } ?? []
            rc = try RosterConfig.parse(config.sections["roster"], schedule: shared)
        } catch { throw PlanError("\(ws.configPath): \(error.description)", .config) }
        let store = try ws.openStore()
        let runs = try store.staffedChannels().filter { req.channels?.contains($0) ?? true }.compactMap { try store.latestStaffing(channel: $0) }
        guard !runs.isEmpty else {
            throw PlanError("no staffing requirement in \(ws.storePath): run `peakplan staff --workspace \(ws.directory)` first", .noInput)
        }
        let channels = runs.map(\.channel)
        Diagnostics.info("roster: requirement from the stored staffing runs " + runs.map { "\($0.id) (\($0.channel), \($0.createdAt))" }.joined(separator: ", "))
        let startDay = req.startDay ?? firstWholeDay(runs, zone: zone)
        let days = req.weeks * 7
        // The roster runs on the workspace interval; each staffing row fills every slot it spans.
        let grid = TimeGrid(validMinutes: config.intervalMinutes) ?? .halfHour
        let parsed: (agents: [Agent], warnings: [String])
        do {
            parsed = try AgentsCSV.parse(
                try readTextFile(req.agentsPath), file: req.agentsPath, channels: channels, contracts: rc.contracts,
                templates: rc.templates, horizon: startDay...(startDay + Int64(days) - 1), grid: grid)
        } catch let e as RosterInputError { throw PlanError(e.description, .dataError) }
        for w in parsed.warnings { Diagnostics.warning(w) }
        var floor = try ScheduleStage.floorRequirement(config, ws)
        var shape = RosterProblem(
            startDay: startDay, weeks: req.weeks, channels: channels, required: [], agents: parsed.agents, contracts: rc.contracts, templates: rc.templates)
        shape.activities = rc.activities
        floor.placedPlanned = shape.plannedActivityShare
        if floor.placedPlanned > 0 {
            Diagnostics.info(
                String(
                    format: "roster: the activities take about %.1f%% of paid time: that part of the planned shrinkage is placed in the shifts, not uplifted for",
                    100 * floor.placedPlanned))
        }
        let pools = FloorRequirement.pools(channels: channels, skillSets: parsed.agents.map { $0.skills.map(\.queue) })
        let (required, covered) = requirement(runs, floor: floor, pools: pools, zone: zone, startDay: startDay, days: days, grid: grid)
        if covered == 0 {
            Diagnostics.warning(
                "the staffing requirement has no interval in \(Civil.formatDate(day: startDay))..\(Civil.formatDate(day: startDay + Int64(days) - 1)); the roster covers no demand")
        }
        var problem = RosterProblem(
            startDay: startDay, weeks: req.weeks, channels: channels, required: required, agents: parsed.agents,
            contracts: rc.contracts, templates: rc.templates, weekend: Set(config.weekend), lateEndMinute: rc.lateEndMinute,
            zone: zone, grid: grid)
        problem.workability = rc.workability
        problem.activities = rc.activities
        problem.presenceWeight = rc.presenceWeight
        var prev: Roster? = nil
        if let path = req.previous {
            do {
                let p = try RosterExport.parsePrevious(try readTextFile(path), file: path, problem)
                problem.history = p.history
                prev = p.roster
                for w in p.warnings { Diagnostics.warning(w) }
            } catch let e as RosterInputError { throw PlanError(e.description, .dataError) }
        }
        let engine = RosterEngine(problem: problem, options: .init(seed: req.seed ?? rc.seed, timeLimitSeconds: req.timeLimit ?? rc.timeLimitSeconds, weights: rc.weights))
        let result: RosterEngine.Result
        do { result = try engine.solve(previous: req.replan ? prev : nil) } catch { throw PlanError(error.description, .dataError) }
        if result.stoppedBySafetyCap {
            Diagnostics.warning(
                "the roster's wall-clock safety cap (\(String(format: "%g", engine.options.timeLimitSeconds)) s) stopped the improvement passes before their work limit; this roster may differ from run to run. Raise --time-limit or [roster] time_limit_seconds."
            )
        }
        for (name, misses) in Dictionary(grouping: result.unplacedActivities, by: \.activity).sorted(by: { $0.key < $1.key }) {
            let first = misses[0]
            Diagnostics.warning(
                "activity \(name): \(misses.count) placement\(misses.count == 1 ? "" : "s") found no queue slots inside its window (first: agent \(problem.agents[first.agent].id), \(problem.date(first.day))); widen window_start/window_end or weekdays in [[roster.activities]]"
            )
        }
        let changes = req.replan ? RosterExport.diff(prev ?? Roster(), result.roster, problem) : []
        var solved = SolvedRoster(problem: problem, result: result, previous: prev, changes: changes, zone: zone)
        solved.overtime = OvertimeAdvisor().suggest(result.roster, problem)
        solved.staffing = runs
        solved.engineOptions = engine.options
        if !req.replan && problem.workability != .unconstrained {
            var free = problem
            free.workability = .unconstrained
            let other = try? RosterEngine(problem: free, options: engine.options).solve()
            solved.unconstrainedShortfallPct = other?.metrics.shortfallPct
            // What the best few cross-trainings measure: the roster re-solved with the skill.
            for s in CrossTrainingAdvisor(limit: 3).suggest(result.roster, problem) {
                if let r = try? RosterEngine(problem: CrossTrainingAdvisor.applying(s, to: problem), options: engine.options).solve() {
                    solved.crossTraining.append((s, r.metrics.shortfallPct))
                }
            }
            // Best measured first (the estimate's order on a tie).
            solved.crossTraining = solved.crossTraining.enumerated().sorted { ($0.element.shortfallPct, $0.offset) < ($1.element.shortfallPct, $1.offset) }.map(\.element)
        }
        return solved
    }

    /// Stores a solved roster in the workspace with its document (who works which queue per interval, the
    /// `[schedule]` groups, the forecast arrivals), as `plan` does: `route --workspace` then routes it. Returns
    /// the run id.
    @discardableResult
    public static func save(_ c: SolvedRoster, _ ws: Workspace) throws -> Int64 {
        let config = try ws.loadConfig()
        let groups = config.sections["schedule"].flatMap { try? ScheduleConfig.parse($0) }?.groups.map(\.group) ?? []
        let doc = RosterDocument(roster: c, groups: groups, arrivals: RosterDocument.arrivals(c.staffing, problem: c.problem, zone: c.zone))
        return try ws.openStore().saveRoster(c.record(), document: (RosterDocument.format, try doc.encoded()))
    }

    /// The first whole local day of the staffing requirement.
    static func firstWholeDay(_ runs: [Store.StaffingRun], zone: ZoneRules) -> Int64 {
        let first = runs.compactMap { $0.rows.first.map { zone.local(fromUTC: $0.ts) } }.min() ?? 0
        let (d, sod) = Civil.split(first)
        return sod == 0 ? d : d + 1
    }

    /// Agents on shift required per channel and slot of the roster's grid: each staffing interval's continuous
    /// on-shift requirement (`FloorRequirement`) fills every slot it spans (the larger value wins where intervals
    /// meet), then whole agents are rounded once per pool and slot. Also how many staffing intervals fell in the
    /// horizon.
    static func requirement(
        _ runs: [Store.StaffingRun], floor: FloorRequirement, pools: [[Int]], zone: ZoneRules, startDay: Int64, days: Int,
        grid: TimeGrid
    ) -> ([[Int]], Int) {
        var covered = 0
        let continuous: [[Double]] = runs.map { run in
            var req = Requirement<Double>(queue: run.channel, grid: grid, firstDay: startDay, days: days)
            covered += req.lay(
                run.rows.map { r in
                    let local = zone.local(fromUTC: r.ts)
                    return .init(localStart: local, minutes: run.intervalMinutes, value: floor.onShift(r, channel: run.channel, local: local))
                })
            return req.perSlot
        }
        return (FloorRequirement.pooled(continuous, pools: pools), covered)
    }
}
