import Foundation
import PlanningCore
import Reports
import Rostering
import Routing
import Scheduling
import Store

/// What to plan.
public struct PlanRequest: Sendable {
    public var workspace: Workspace
    public var horizon: PlanHorizon
    /// Run every stage even when the inputs are unchanged.
    public var force = false
    /// Plan a what-if scenario from [scenarios.NAME] in a copy of the workspace.
    public var scenario: String?
    /// Agents CSV for the roster stage (default: [plan] agents in peakplan.toml).
    public var agents: String?
    /// The product version: part of the plan's fingerprint.
    public var version: String
    /// Correct the roster by simulation for at most this many iterations (`PlanCorrection`); nil: no correction.
    public var correctIterations: Int?
    /// In the correction, work the roster's overtime offers before hiring.
    public var correctOvertime = false

    public init(workspace: Workspace, horizon: PlanHorizon, version: String) {
        self.workspace = workspace; self.horizon = horizon; self.version = version
    }
}

/// A finished plan.
public struct PlanOutcome: Sendable {
    public var summary: String
    /// The stored results of an earlier plan with the same inputs were reused.
    public var reused: Bool
    public var directory: String
}

/// One timed stage of a plan.
public struct PlanStageTiming: Sendable, Equatable {
    public var name: String
    public var seconds: Double
    public var note: String
}

/// The plan end to end: checks -> backtest -> forecast -> [scenario] -> staff -> schedule -> roster -> route ->
/// report. Each stage hands the next typed values; files in plan/ are renderings of those values.
public enum PlanRunner {
    public static func run(_ req: PlanRequest) throws -> PlanOutcome {
        _ = try req.workspace.loadConfig()
        guard let name = req.scenario else { return try execute(req, workspace: req.workspace, scenario: nil) }
        let (ws, sc) = try ScenarioWorkspace.prepare(base: req.workspace, name: name)
        return try execute(req, workspace: ws, scenario: sc)
    }

    /// A stage: its name, whether it runs in this plan, and its work (returning the note for the summary).
    struct Stage: Sendable {
        var name: String
        var applies: @Sendable (PlanState) -> Bool = { _ in true }
        var run: @Sendable (inout PlanState) throws -> String
    }

    /// The stages in order. Adding a stage is one entry here and one function in PlanStages.swift.
    static let stages: [Stage] = [
        Stage(name: "checks", run: PlanStages.checks),
        Stage(name: "backtest", run: PlanStages.backtest),
        Stage(name: "forecast", run: PlanStages.forecast),
        Stage(name: "scenario", applies: { $0.scenario.map { !$0.volume.isEmpty || !$0.aht.isEmpty } ?? false }, run: PlanStages.scenario),
        Stage(name: "staff", run: PlanStages.staff),
        Stage(name: "schedule", applies: { $0.config.sections["schedule"] != nil }, run: PlanStages.schedule),
        Stage(name: "roster", applies: { $0.agentsPath != nil }, run: PlanStages.roster),
        Stage(name: "route", applies: { $0.schedule != nil || $0.rosterDocument != nil }, run: PlanStages.route),
        Stage(name: "simulate", applies: { $0.rosterDocument != nil }, run: PlanStages.simulate),
        Stage(name: "correct", applies: { $0.request.correctIterations != nil && $0.roster != nil }, run: PlanStages.correct),
        Stage(name: "report", run: PlanStages.report)
    ]

    static func execute(_ req: PlanRequest, workspace ws: Workspace, scenario sc: Scenario?) throws -> PlanOutcome {
        var state = try PlanState.open(req, workspace: ws, scenario: sc)
        if !req.force, let last = try state.store.latestPlan(scenario: sc?.name ?? ""), last.fingerprint == state.fingerprint,
            FileManager.default.fileExists(atPath: state.planDir + "/report/index.html")
        {
            Diagnostics.info(
                "plan: inputs unchanged since the plan of \(last.createdAt) (fingerprint \(state.fingerprint)): reusing its stored results in \(state.planDir) (--force re-runs every stage)"
            )
            return PlanOutcome(summary: last.summary, reused: true, directory: state.planDir)
        }
        PlanFolder.removeLeftovers(state.planDir)
        try FileManager.default.createDirectory(atPath: state.outDir, withIntermediateDirectories: true)
        // The runs the stages store are kept only when the whole plan succeeds.
        let marks = try state.store.runMarks()
        do {
            for stage in stages where stage.applies(state) {
                Diagnostics.info("plan: \(stage.name) ...")
                let t0 = Date()
                let note = try stage.run(&state)
                state.timings.append(PlanStageTiming(name: stage.name, seconds: Date().timeIntervalSince(t0), note: note))
                Diagnostics.info("plan: \(stage.name) done in \(String(format: "%.2f", state.timings.last!.seconds)) s\(note.isEmpty ? "" : ": " + note)")
            }
            let summary = try PlanSummary.text(state)
            try PlanFolder.switchIn(state.outDir, as: state.planDir)
            try state.store.savePlan(scenario: sc?.name ?? "", fingerprint: state.fingerprint, outputDir: state.planDir, summary: summary)
            return PlanOutcome(summary: summary, reused: false, directory: state.planDir)
        } catch {
            // Nothing half-done: the new folder goes, the previous plan/ stays, the stages' runs are undone.
            try? FileManager.default.removeItem(atPath: state.outDir)
            do { try state.store.discardRuns(since: marks) } catch let e {
                Diagnostics.warning("could not undo the runs this failed plan stored: \(e.description)")
            }
            throw error
        }
    }
}

/// Everything a plan's stages read and produce.
struct PlanState {
    var request: PlanRequest
    var workspace: Workspace
    var scenario: Scenario?
    var config: WorkspaceConfig
    var zone: ZoneRules
    var store: Store
    /// The channels this plan forecasts, staffs and schedules (one horizon from `startDay`).
    var channels: [Store.ChannelRecord]
    /// First local day of the plan's horizon.
    var startDay: Int64
    /// Channels left out of this plan, with the reason.
    var leftOut: [(channel: String, reason: String)] = []
    var settings: PlanSettings
    var agentsPath: String?
    var fingerprint: String
    /// Where the plan is shown (plan/) and where it is written until it is complete.
    var planDir: String
    var outDir: String
    var timings: [PlanStageTiming] = []

    // Stage results, each the next stage's input.
    var forecasts: [ChannelForecast] = []
    var staffing: [Store.StaffingRun] = []
    var schedule: SolvedSchedule?
    var unserved: [String] = []
    var roster: SolvedRoster?
    var floor: FloorCheck?
    var rosterDocument: RosterDocument?
    var routing: RoutingTable?
    var simulation: PlanSimulation?
    var correction: PlanCorrection?

    var horizon: String { request.horizon.text }
    func path(_ name: String) -> String { outDir + "/" + name }

    /// One horizon for the plan. It starts the day after the latest history among the queues the `[schedule]`
    /// groups serve (every channel without a schedule). A channel whose history ends earlier is forecast across
    /// the gap; one whose history runs past the start is left out with the reason (planning it would forecast
    /// days already observed).
    static func horizon(_ chans: [Store.ChannelRecord], store: Store, zone: ZoneRules, configuration: Configuration) throws
        -> (Int64, [Store.ChannelRecord], [(channel: String, reason: String)])
    {
        var nextDay: [String: Int64] = [:]
        for ch in chans {
            let x = try store.series(ch)
            let sum = HistorySummary.compute(channel: ch.name, intervalMinutes: ch.intervalMinutes, zone: zone, utc: x.ts, volume: x.volume)
            nextDay[ch.name] = sum.lastLocal.map { Civil.split($0).day + 1 } ?? 0
        }
        let served = Set(configuration.schedule?.groups.flatMap { $0.skills.map(\.queue) } ?? [])
        var anchors = chans.filter { served.contains($0.name) }
        if anchors.isEmpty { anchors = chans }
        let start = anchors.map { nextDay[$0.name]! }.max()!
        var planned: [Store.ChannelRecord] = []
        var leftOut: [(channel: String, reason: String)] = []
        for ch in chans {
            let next = nextDay[ch.name]!
            if next > start {
                leftOut.append(
                    (
                        ch.name,
                        "its history runs to \(Civil.formatDate(day: next - 1)), past the plan's start \(Civil.formatDate(day: start)) (the day after the history of \(anchors.map(\.name).joined(separator: ", "))): planning it would forecast days already observed; forecast and staff it on its own, or give its queue to a [schedule] group"
                    ))
                continue
            }
            if start - next > 28 {
                Diagnostics.warning(
                    "plan: \(ch.name): its history ends \(Civil.formatDate(day: next - 1)), \(start - next) days before the plan's start \(Civil.formatDate(day: start)); it is forecast across the gap"
                )
            }
            planned.append(ch)
        }
        for l in leftOut { Diagnostics.warning("plan: \(l.channel) is left out of this plan: \(l.reason)") }
        return (start, planned, leftOut)
    }

    /// Opens the workspace and checks, before any stage writes, what would make a stage fail late.
    static func open(_ req: PlanRequest, workspace ws: Workspace, scenario sc: Scenario?) throws -> PlanState {
        let config = try ws.loadConfig()
        let store = try ws.openStore()
        let zone = try config.zone()
        let chans = try store.channels()
        guard !chans.isEmpty else { throw PlanError("the workspace has no history: run `peakplan ingest` first", .dataError) }
        for ch in chans {
            // Channel names become file names in plan/ (checked at ingest; a store written by an older PeakPlan may differ).
            if let why = InputRules.problem(withName: ch.name, use: .identifier) {
                throw PlanError(
                    "channel \(InputRules.printable(ch.name)) \(why), so it cannot name the plan's files. Fix: ingest its history under another channel name", .dataError)
            }
            // Every channel needs two weeks of history to forecast.
            let s = try store.series(ch)
            let sum = HistorySummary.compute(channel: ch.name, intervalMinutes: ch.intervalMinutes, zone: zone, utc: s.ts, volume: s.volume)
            if sum.spanDays < 14 {
                throw PlanError(
                    "channel \(ch.name) has \(sum.spanDays) day\(sum.spanDays == 1 ? "" : "s") of history; planning needs at least 14 (two weeks) per channel to forecast. Fix: ingest more history for \(ch.name)",
                    .dataError)
            }
        }
        // Every section decoded now (roster, scenarios, ...), so a typo fails before any stage runs.
        let configuration = try ws.loadConfiguration()
        let settings = configuration.plan
        let (start, planned, leftOut) = try horizon(chans, store: store, zone: zone, configuration: configuration)
        let agentsPath: String? = req.agents ?? settings.agents.map { ws.resolve($0) }
        var agentsText = ""
        if req.correctIterations != nil && agentsPath == nil {
            throw PlanError("--correct corrects the roster by simulation: give the agents file (--agents FILE or [plan] agents in \(ws.configPath))", .usage)
        }
        if let a = agentsPath {
            guard let d = FileManager.default.contents(atPath: a), let text = String(data: d, encoding: .utf8) else {
                throw PlanError("\(a): cannot read the agents file (\(req.agents != nil ? "--agents" : "[plan] agents in \(ws.configPath)"))", .noInput)
            }
            agentsText = text
            // A file without agents fails the roster stage: say so before any stage writes.
            if CSVText.lines(text).dropFirst().allSatisfy({ $0.text.allSatisfy { $0 == " " || $0 == "\t" } }) {
                throw PlanError("\(a):2: the file has a header but no agents: add one row per agent (agent_id,name,skills,contract,site)", .dataError)
            }
        }
        var fp = FNV1a()
        fp.add(try store.inputDigest()); fp.add(ws.configText()); fp.add(req.horizon.text); fp.add(req.version); fp.add(agentsText)
        if let n = req.correctIterations { fp.add("correct:\(n)\(req.correctOvertime ? ":overtime" : "")") }
        let planDir = ws.resolve("plan")
        return PlanState(
            request: req, workspace: ws, scenario: sc, config: config, zone: zone, store: store, channels: planned, startDay: start,
            leftOut: leftOut, settings: settings,
            agentsPath: agentsPath, fingerprint: fp.hex, planDir: planDir, outDir: planDir + ".partial-\(getpid())")
    }
}
