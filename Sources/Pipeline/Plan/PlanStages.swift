import Foundation
import PlanningCore
import Reports
import Rostering
import Routing
import Scheduling
import Store

/// The plan's stages: each reads what the earlier stages left in the state and adds its own result.
enum PlanStages {
    static func checks(_ s: inout PlanState) throws -> String {
        var notes: [String] = []
        for ch in s.channels {
            let x = try s.store.series(ch)
            let sum = HistorySummary.compute(channel: ch.name, intervalMinutes: ch.intervalMinutes, zone: s.zone, utc: x.ts, volume: x.volume)
            if sum.missingDays > 0 { notes.append("\(ch.name): \(sum.missingDays) day(s) without data") }
            if sum.spanDays < 28 { notes.append("\(ch.name): only \(sum.spanDays) days of history") }
        }
        return notes.isEmpty ? "\(s.channels.count) channels, no gaps" : notes.joined(separator: "; ")
    }

    /// Every model, per channel at the planning interval.
    static func backtest(_ s: inout PlanState) throws -> String {
        for ch in s.channels {
            var req = BacktestRequest(workspace: s.workspace)
            req.channels = [ch.name]; req.planningInterval = s.config.intervalMinutes; req.noTimings = true
            let outcome = try BacktestStage.run(req)
            try writeTextFile(s.path("backtest-\(ch.name).csv"), outcome.table.renderCSV())
            try outcome.save(into: s.store)
        }
        return "every model, 4 rolling origins per channel"
    }

    /// The default model per channel at the planning interval, with its peak days. With scenario volume changes
    /// ahead every day is listed (margin 0) so the scenario stage can re-derive the peaks.
    static func forecast(_ s: inout PlanState) throws -> String {
        var req = ForecastRequest(workspace: s.workspace)
        req.horizon = s.horizon; req.planningInterval = s.config.intervalMinutes; req.peaks = true
        req.channels = s.channels.map(\.name); req.startDay = s.startDay
        // A scenario's stated event sizes replace the learnt effect on their days (ForecastOverrides).
        req.eventSizes = s.scenario?.eventSizes ?? []
        req.peakMargin = (s.scenario?.volume.isEmpty ?? true) ? 0.10 : 0
        s.forecasts = try ForecastStage.run(req).channels
        if s.scenario.map({ !$0.volume.isEmpty || !$0.aht.isEmpty }) ?? false { return "auto model, \(s.horizon)" }
        try writeForecasts(s)
        return "auto model, \(s.horizon)"
    }

    /// The scenario's volume and handle-time changes applied to the forecast values (the forecast files, the
    /// stored forecast and staffing all see the adjusted values).
    static func scenario(_ s: inout PlanState) throws -> String {
        guard let sc = s.scenario else { return "" }
        var changed = 0
        for i in s.forecasts.indices { changed += ScenarioWorkspace.apply(sc, to: &s.forecasts[i], zone: s.zone) }
        try writeForecasts(s)
        return "\(changed) forecast intervals changed (volume and handle time)"
    }

    /// forecast-*.csv and peaks-*.csv, and the stored forecasts that staffing reads.
    static func writeForecasts(_ s: PlanState) throws {
        for f in s.forecasts {
            try writeTextFile(s.path("forecast-\(f.channel).csv"), ForecastOutcome.intervalTable([f]).renderCSV())
            try writeTextFile(s.path("peaks-\(f.channel).csv"), ForecastOutcome.peakTable([f], title: nil).renderCSV())
        }
        try ForecastOutcome(channels: s.forecasts).save(into: s.store)
    }

    static func staff(_ s: inout PlanState) throws -> String {
        var req = StaffingRequest(workspace: s.workspace)
        req.channels = s.channels.map(\.name)
        let outcome = try StaffingStage.run(req)
        try writeTextFile(s.path("staffing.csv"), outcome.table(title: false).renderCSV())
        s.staffing = try outcome.save(into: s.store)
        return ""
    }

    /// The queues the [[schedule.groups]] serve, from the staffing requirement just computed; with soft fallback
    /// when the hard rules cannot all be met.
    static func schedule(_ s: inout PlanState) throws -> String {
        guard let table = s.config.sections["schedule"] else { return "" }
        let cfg: ScheduleConfig
        do { cfg = try ScheduleConfig.parse(table) } catch { throw PlanError("\(s.workspace.configPath): \(error)", .config) }
        let staffed = s.staffing.map(\.channel)
        var served: [String] = []
        for g in cfg.groups { for k in g.skills where !served.contains(k.queue) { served.append(k.queue) } }
        let queues = served.filter { staffed.contains($0) }
        s.unserved = staffed.filter { !served.contains($0) }
        if !s.unserved.isEmpty { Diagnostics.warning(ScheduleStage.unservedWarning(s.unserved, source: s.workspace.configPath)) }
        guard !queues.isEmpty else {
            throw PlanError(
                "\(s.workspace.configPath): no [[schedule.groups]] serves a staffed channel (groups serve \(served.joined(separator: ", ")); staffed: \(staffed.joined(separator: ", ")))",
                .config)
        }
        let requirements = try ScheduleStage.requirements(
            from: s.staffing.filter { queues.contains($0.channel) }, zone: s.zone, column: .pooled,
            floor: try ScheduleStage.floorRequirement(s.config, s.workspace), skillSets: cfg.groups.map { $0.skills.map(\.queue) },
            source: "staffing results in \(s.workspace.storePath)")
        var req = ScheduleRequest(workspace: s.workspace, source: .values(requirements, label: "staffing"))
        req.queues = queues
        var (problem, options) = try ScheduleStage.load(req)
        var outcome = ScheduleStage.run(problem, options, label: "scheduling")
        var soft = false
        if case .infeasible(let report) = outcome, s.settings.softFallback {
            Diagnostics.info(
                "plan: schedule: " + report.description.replacingOccurrences(of: "\n", with: "\nplan: ")
                    + "\nplan: solving again with priced understaffing ([plan] soft_fallback = false stops here instead)")
            options.settings.soft = true
            outcome = ScheduleStage.run(problem, options, label: "scheduling (soft)")
            soft = true
        }
        let r: ScheduleResult
        switch outcome {
        case .optimal(let x), .feasible(let x): r = x
        case .infeasible(let report): throw PlanError(report.description, .infeasible)
        case .timeLimit(let t): throw PlanError(t.description, .timeLimit)
        }
        for w in r.warnings { Diagnostics.warning("schedule: " + w) }
        problem = r.problem
        try writeTextFile(s.path("schedule.csv"), ScheduleText.shiftTable(r, compact: false).renderCSV())
        try writeTextFile(s.path("coverage.csv"), ScheduleText.coverageTable(r).renderCSV())
        try writeTextFile(s.path("schedule-explain.txt"), ScoreReport(result: r, settings: options.settings).text())
        let solved = SolvedSchedule(result: r, soft: soft)
        try solved.save(into: s.store)
        s.schedule = solved
        return ScheduleText.summaryLine(r).replacingOccurrences(of: "schedule: ", with: "")
            + (soft ? "; soft understaffing (hard rules could not all be met)" : "")
            + (s.unserved.isEmpty ? "" : "; not scheduled (no group serves it): \(s.unserved.joined(separator: ", "))")
    }

    static func roster(_ s: inout PlanState) throws -> String {
        guard let agents = s.agentsPath else { return "" }
        let weeks = s.settings.rosterWeeks ?? max(1, min(6, s.request.horizon.days / 7))
        var req = RosterRequest(workspace: s.workspace, agentsPath: agents, weeks: weeks)
        req.channels = s.channels.map(\.name)
        let c = try RosterStage.solve(req)
        let p = c.problem
        try writeTextFile(s.path("roster.csv"), RosterExport.csv(c.result.roster, p))
        try writeTextFile(s.path("roster.html"), RosterExport.html(c.result.roster, p, title: "Roster \(p.date(0)) to \(p.date(p.days - 1))"))
        let groups = s.config.sections["schedule"].flatMap { try? ScheduleConfig.parse($0) }?.groups.map(\.group) ?? []
        let doc = RosterDocument(roster: c, groups: groups, arrivals: RosterDocument.arrivals(s.staffing, problem: p, zone: s.zone))
        try s.store.saveRoster(c.record(), document: (RosterDocument.format, try doc.encoded()))
        s.roster = c
        s.rosterDocument = doc
        let floor = FloorCheck.build(
            runs: s.staffing, floor: try ScheduleStage.floorRequirement(s.config, s.workspace), roster: doc,
            schedule: s.schedule.map { ($0.problem, $0.result.schedule) }, zone: s.zone)
        try writeTextFile(s.path("floor.csv"), floor.table().renderCSV())
        s.floor = floor
        try writeTextFile(s.path("overtime.csv"), c.overtimeTable.renderCSV())
        try writeTextFile(s.path("cross-training.csv"), c.crossTrainingTable.renderCSV())
        return c.summaryLine + "; " + floor.summaryLine + "\n  " + c.workabilityLine + (c.activitiesLine.map { "\n  " + $0 } ?? "") + "\n  "
            + c.overtimeLine + " (overtime.csv)" + (c.crossTrainingLine.map { "\n  " + $0 + " (cross-training.csv)" } ?? "")
    }

    /// Routing weights from the people the roster put on the floor when there is a roster, else from the schedule
    /// the schedule stage solved (the same values, not a new solve).
    static func route(_ s: inout PlanState) throws -> String {
        if let doc = s.rosterDocument {
            let table = doc.routing
            try writeTextFile(s.path("routing.csv"), RouteText.queueTable(table).renderCSV())
            s.routing = table
            let fallback = table.rows.filter(\.fallback).count
            let facts = RouterExports.facts(queues: doc.queues, configuration: try s.workspace.loadConfiguration())
            try writeTextFile(
                s.path("connect-routing-profiles.json"), RouterExports.connectJSON(doc, facts: facts, source: "peakplan plan, roster from \(Civil.formatDate(day: doc.startDay))"))
            try writeTextFile(s.path("agent-skills.csv"), RouterExports.skillsTable(doc, facts: facts).renderCSV())
            return
                "\(table.rows.count - fallback) weights and \(fallback) fallback rows from the roster (\(Set(table.rows.map(\.group)).count) groups x \(doc.queues.count) queues) in \(s.planDir)/routing.csv"
        }
        guard let solved = s.schedule else { return "" }
        let table = solved.routing
        try writeTextFile(s.path("routing.csv"), RouteText.queueTable(table).renderCSV())
        s.routing = table
        return "\(table.rows.count) weights from the schedule (\(Set(table.rows.map(\.group)).count) groups x \(solved.problem.queues.count) queues) in \(s.planDir)/routing.csv"
    }

    /// The roster simulated against the forecast (`PlanSimulation`): simulation.csv and the misses.
    static func simulate(_ s: inout PlanState) throws -> String {
        guard let doc = s.rosterDocument,
            let sim = PlanSimulation.run(doc, runs: s.staffing, configuration: try s.workspace.loadConfiguration(), zone: s.zone)
        else { return "nothing to simulate" }
        try writeTextFile(s.path("simulation.csv"), sim.table().renderCSV())
        if let t = sim.policyCSV() { try writeTextFile(s.path("simulation-policies.csv"), t.renderCSV()) }
        s.simulation = sim
        var line = sim.summaryLine + (sim.policyLine.map { "; " + $0 } ?? "")
        // What the overtime offers buy in service, on the same random numbers.
        if let offers = s.roster?.overtime.suggestions, !offers.isEmpty,
            let more = PlanSimulation.run(doc.withOvertime(offers), runs: s.staffing, configuration: try s.workspace.loadConfiguration(), zone: s.zone)
        {
            line += "\n  " + sim.overtimeLine(more, offers: offers.count, hours: offers.reduce(0) { $0 + $1.hours })
        }
        return line
    }

    static func report(_ s: inout PlanState) throws -> String {
        var b = ReportBuilder(workspace: s.workspace, outDir: s.path("report"))
        b.title = s.scenario.map { "PeakPlan plan: scenario \($0.name)" } ?? "PeakPlan plan"
        b.channels = s.channels.map(\.name)
        b.floor = s.floor
        b.simulation = s.simulation
        b.correction = s.correction
        try b.write()
        return "\(s.planDir)/report/index.html"
    }
}
