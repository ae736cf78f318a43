import Foundation
import PlanningCore
import Scheduling
import Staffing
import Store

/// Where a schedule's requirements and rules come from, and how to solve it.
public struct ScheduleRequest: Sendable {
    /// Requirements (agents on the queue per interval).
    public enum Source: Sendable {
        /// The newest staffing run of every staffed channel in the workspace store.
        case stored(StaffingColumn)
        /// A CSV file `interval_start,queue,required`.
        case file(String)
        /// A wfm-shift-benchmark/1 instance (requirements, templates and groups in one file).
        case instance(path: String, templates: String, dedicatedOnly: Bool)
        /// Requirements handed over by the staffing stage (label names them in messages).
        case values(Requirements, label: String)
    }
    /// Which requirement the schedule covers: `pooled` (default) = agents on shift after shrinkage, continuous, so
    /// whole agents are rounded once per group by the schedule's whole shifts (`FloorRequirement`); `agents` =
    /// whole productive agents per queue (no shrinkage); `scheduled` = whole productive agents per queue after
    /// shrinkage (rounded per queue).
    public enum StaffingColumn: String, Sendable, CaseIterable { case pooled, agents, scheduled }

    public var workspace: Workspace
    public var source: Source
    /// A TOML file with a [schedule] table instead of the workspace's peakplan.toml.
    public var rulesFile: String?
    /// Only these queues (empty: every queue with a requirement).
    public var queues: [String] = []
    public var timeLimit: Double?
    public var nodeLimit: Int?
    public var gap: Double?
    public var soft = false

    public init(workspace: Workspace, source: Source) { self.workspace = workspace; self.source = source }

    /// Where the rules were read from (for messages).
    public var rulesSource: String { rulesFile ?? workspace.configPath }
}

/// The schedule stage: requirements + rules -> a solved group-level schedule.
public enum ScheduleStage {
    /// The `[schedule]` table: from the rules file, else from the workspace's peakplan.toml; nil if neither has one.
    public static func config(_ req: ScheduleRequest, required: Bool) throws -> ScheduleConfig? {
        if let r = req.rulesFile {
            let text = try readTextFile(r, what: "the rules file", notText: .config)
            do {
                let root = try TOML.parse(text)
                guard case .table(let t)? = root["schedule"] else { throw ConfigError(line: nil, key: "schedule", message: "no [schedule] table in the file") }
                for k in root.keys where k != "schedule" && k != "format_version" {
                    Diagnostics.note("\(r): [\(k)] is ignored (only [schedule] is read)")
                }
                return try ScheduleConfig.parse(t)
            } catch let e as TOMLError {
                throw PlanError("\(r): line \(e.line): \(e.message)", .config)
            } catch let e as ConfigError {
                throw PlanError("\(r): \(e.description)", .config)
            }
        }
        let configPath = req.workspace.configPath
        guard FileManager.default.fileExists(atPath: configPath) else {
            if required { throw PlanError("no scheduling rules: give --rules FILE.toml with a [schedule] table, or a --workspace whose peakplan.toml has one", .config) }
            return nil
        }
        let config = try req.workspace.loadConfig()
        guard let t = config.sections["schedule"] else {
            if required { throw PlanError("\(configPath): no [schedule] table; add one (see `peakplan schedule --help`) or give --rules FILE.toml", .config) }
            return nil
        }
        do { return try ScheduleConfig.parse(t) } catch {
            throw PlanError("\(configPath): \(error.description)", .config)
        }
    }

    /// The problem and engine options.
    public static func load(_ req: ScheduleRequest) throws -> (ScheduleProblem, EngineOptions) {
        var options = EngineOptions()
        let problem: ScheduleProblem
        var config: ScheduleConfig?
        if case .instance(let path, let templates, let dedicatedOnly) = req.source {
            guard let data = FileManager.default.contents(atPath: path) else { throw PlanError("\(path): cannot read the instance", .noInput) }
            do {
                problem = try BenchmarkInstance.decode(data).problem(templateSet: templates, dedicatedOnly: dedicatedOnly)
            } catch { throw PlanError("\(path): \(error.description)", .dataError) }
            config = try Self.config(req, required: false)
            if !req.queues.isEmpty { throw PlanError("--queue applies to --requirements and stored requirements", .usage) }
        } else {
            let cfg = try Self.config(req, required: true)!
            config = cfg
            let (req0, name) = try requirements(req, skillSets: cfg.groups.map { $0.skills.map(\.queue) })
            problem = try Self.problem(req, cfg, req0, name: name)
        }
        if let c = config {
            options.settings = c.settings
            options.timeLimit = c.timeLimitSeconds
            options.relativeGap = c.relativeGap
            options.work = c.work
        } else {
            options.timeLimit = ScheduleConfig().timeLimitSeconds
        }
        if let t = req.timeLimit { options.timeLimit = t }
        if let n = req.nodeLimit { options.work = n == 0 ? nil : WorkLimit(nodes: n) }
        if let g = req.gap { options.relativeGap = g }
        options.settings.soft = req.soft
        return (problem, options)
    }

    /// The requirements of a non-instance source and the problem's name.
    static func requirements(_ req: ScheduleRequest, skillSets: [[String]]) throws -> (Requirements, String) {
        switch req.source {
        case .file(let path):
            let text = try readTextFile(path, what: "the requirements file")
            do { return (try Requirements.parseCSV(text, source: path), (path as NSString).lastPathComponent) } catch {
                throw PlanError(error.description, .dataError)
            }
        case .stored(let column): return (try storedRequirements(req, column: column, skillSets: skillSets), "workspace")
        case .values(let r, _): return (r, "workspace")
        case .instance(let path, _, _): throw PlanError("\(path): an instance carries its own requirements; load it with ScheduleStage.load", .usage)
        }
    }

    /// The problem over the kept queues and the days anyone is needed.
    static func problem(_ req: ScheduleRequest, _ cfg: ScheduleConfig, _ r: Requirements, name: String) throws -> ScheduleProblem {
        var pairs = r.asPairs
        if !req.queues.isEmpty {
            for q in req.queues where !pairs.contains(where: { $0.queue == q }) {
                throw PlanError("queue \(q) has no requirements (have: \(pairs.map(\.queue).joined(separator: ", ")))", .usage)
            }
            pairs = pairs.filter { req.queues.contains($0.queue) }
        }
        // One rule in every command (schedule, plan): queues no agent group serves are left out with a warning
        // naming them; the rest is planned.
        let (kept, unserved) = servedQueues(pairs.map(\.queue), cfg)
        if !unserved.isEmpty {
            Diagnostics.warning(unservedWarning(unserved, source: req.rulesSource))
            guard !kept.isEmpty else {
                throw PlanError(
                    "\(req.rulesSource): no [[schedule.groups]] serves any queue with requirements (\(unserved.joined(separator: ", "))): add the skill to a group", .config)
            }
            pairs = pairs.filter { kept.contains($0.queue) }
        }
        let perDay = TimeGrid.slotsPerDay(minutes: r.intervalMinutes)
        let (first, days, trimmed) = trim(pairs, firstDay: r.firstDay, days: r.days, periodsPerDay: perDay)
        do {
            return try cfg.problem(name: name, intervalMinutes: r.intervalMinutes, firstDay: first, days: days, requirements: trimmed)
        } catch {
            throw PlanError(req.rulesSource + ": " + error.description, .config)
        }
    }

    /// Queues (in order) that some [[schedule.groups]] serves, and those none serves.
    public static func servedQueues(_ queues: [String], _ cfg: ScheduleConfig) -> (served: [String], unserved: [String]) {
        let skills = Set(cfg.groups.flatMap { $0.skills.map(\.queue) })
        return (queues.filter { skills.contains($0) }, queues.filter { !skills.contains($0) })
    }

    public static func unservedWarning(_ queues: [String], source: String) -> String {
        "no agent group serves queue\(queues.count == 1 ? "" : "s") \(queues.joined(separator: ", ")) (no [[schedule.groups]] in \(source) has the skill): not scheduled; the other queues are. Fix: add the skill to a group to schedule \(queues.count == 1 ? "it" : "them")"
    }

    /// Drops leading and trailing days on which no kept queue needs anyone.
    static func trim(_ pairs: [(queue: String, perPeriod: [Double])], firstDay: Int64, days: Int, periodsPerDay P: Int)
        -> (Int64, Int, [(queue: String, perPeriod: [Double])])
    {
        let used = (0..<days).filter { d in pairs.contains { $0.perPeriod[(d * P)..<(d * P + P)].contains { $0 > 0 } } }
        guard let a = used.first, let b = used.last else { return (firstDay, days, pairs) }
        return (firstDay + Int64(a), b - a + 1, pairs.map { ($0.queue, Array($0.perPeriod[(a * P)..<((b + 1) * P)])) })
    }

    /// Requirements from the newest staffing run of every staffed channel (UTC -> the workspace's wall clock).
    static func storedRequirements(_ req: ScheduleRequest, column: ScheduleRequest.StaffingColumn, skillSets: [[String]]) throws -> Requirements {
        let ws = req.workspace
        let config = try ws.loadConfig()
        let zone = try config.zone()
        guard FileManager.default.fileExists(atPath: ws.storePath) else {
            throw PlanError("no requirements: give --requirements FILE.csv (interval_start,queue,required) or run `peakplan staff --workspace \(ws.directory)` first", .noInput)
        }
        let store = try Store(path: ws.storePath)
        var channels = try store.staffedChannels()
        if !req.queues.isEmpty {
            for q in req.queues where !channels.contains(q) {
                throw PlanError("channel \(q) has no staffing results (staffed: \(channels.joined(separator: ", "))); run `peakplan staff` for it", .usage)
            }
            channels = channels.filter { req.queues.contains($0) }
        }
        guard !channels.isEmpty else {
            throw PlanError("no staffing results in \(ws.storePath): run `peakplan staff --workspace \(ws.directory)` first, or give --requirements FILE.csv", .noInput)
        }
        let runs = try channels.compactMap { try store.latestStaffing(channel: $0) }
        return try requirements(
            from: runs, zone: zone, column: column, floor: try floorRequirement(config, ws), skillSets: skillSets,
            source: "staffing results in \(ws.storePath)")
    }

    /// Continuous on-shift requirements rounded to whole agents once per interval and pool of queues.
    static func pooled(_ entries: [Requirements.Entry], skillSets: [[String]]) -> [Requirements.Entry] {
        var queues: [String] = []
        for e in entries where !queues.contains(e.queue) { queues.append(e.queue) }
        let pools = FloorRequirement.pools(channels: queues, skillSets: skillSets)
        let times = Array(Set(entries.map(\.localSeconds))).sorted()
        let slot = Dictionary(uniqueKeysWithValues: times.enumerated().map { ($1, $0) })
        let qix = Dictionary(uniqueKeysWithValues: queues.enumerated().map { ($1, $0) })
        var x = [[Double]](repeating: [Double](repeating: 0, count: times.count), count: queues.count)
        for e in entries { x[qix[e.queue]!][slot[e.localSeconds]!] = e.required }
        let whole = FloorRequirement.pooled(x, pools: pools)
        return entries.map { e in
            var e = e
            e.required = Double(whole[qix[e.queue]!][slot[e.localSeconds]!])
            return e
        }
    }

    /// The floor requirement's settings (the workspace's staffing configuration).
    public static func floorRequirement(_ config: WorkspaceConfig, _ ws: Workspace) throws -> FloorRequirement {
        do { return FloorRequirement(staffing: try StaffingConfig.parse(config)) } catch {
            throw PlanError("\(ws.configPath): \(error.description)", .config)
        }
    }

    /// Requirements from staffing runs (stored or just computed).
    /// With `pooled`, whole agents are rounded once per slot over each pool of queues the groups link (`skillSets`:
    /// the queues of each group), as the roster's requirement is.
    public static func requirements(
        from runs: [Store.StaffingRun], zone: ZoneRules, column: ScheduleRequest.StaffingColumn, floor: FloorRequirement,
        skillSets: [[String]], source: String
    ) throws -> Requirements {
        var entries: [Requirements.Entry] = []
        var interval: Int?
        for run in runs {
            if let iv = interval, iv != run.intervalMinutes {
                throw PlanError("staffing runs use different intervals (\(iv) and \(run.intervalMinutes) minutes); re-run `peakplan staff` on one interval", .dataError)
            }
            interval = run.intervalMinutes
            for r in run.rows {
                let local = zone.local(fromUTC: r.ts)
                let required: Double
                switch column {
                case .pooled: required = floor.onShift(r, channel: run.channel, local: local)
                case .agents: required = Double(r.agents)
                case .scheduled: required = r.scheduled
                }
                entries.append(Requirements.Entry(localSeconds: local, queue: run.channel, required: required))
            }
        }
        if column == .pooled { entries = pooled(entries, skillSets: skillSets) }
        do { return try Requirements.assemble(entries, source: source, intervalMinutes: interval) } catch {
            throw PlanError(error.description, .dataError)
        }
    }

    /// Solves, mapping infeasible and time-limit outcomes to their messages and exit statuses.
    public static func solve(_ problem: ScheduleProblem, _ options: EngineOptions, label: String? = nil) throws -> ScheduleResult {
        switch run(problem, options, label: label ?? "scheduling \(problem.name)") {
        case .optimal(let r), .feasible(let r):
            for w in r.warnings { Diagnostics.warning(w) }
            return r
        case .infeasible(let report): throw PlanError(report.description, .infeasible)
        case .timeLimit(let t): throw PlanError(t.description, .timeLimit)
        }
    }

    /// One engine run with a progress indicator.
    public static func run(_ problem: ScheduleProblem, _ options: EngineOptions, label: String) -> ScheduleOutcome {
        var o = options
        let bar = Diagnostics.progress(label)
        o.progress = { bar.update($0) }
        let outcome = ScheduleEngine().solve(problem, options: o)
        bar.finish()
        return outcome
    }
}
