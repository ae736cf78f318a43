import PlanningCore
import Reports
import Scheduling
import Store

extension ReportBuilder {
    /// The floor check and the simulation of the newest stored roster (nil without one, or for a roster stored by
    /// an older PeakPlan): the same values `plan` computed, from its stored roster, staffing and schedule.
    func storedChecks(store: Store, config: WorkspaceConfig, zone: ZoneRules) throws -> (floor: FloorCheck, simulation: PlanSimulation?)? {
        guard let run = try store.latestRoster(), let d = try store.rosterDocument(runID: run.id) else { return nil }
        let doc = try RosterDocument.decode(d.json, source: "roster run \(run.id)")
        let runs = try doc.queues.compactMap { try store.latestStaffing(channel: $0) }
        let configuration: Configuration
        do { configuration = try Configuration.decode(config) } catch { return nil }
        var schedule: (problem: ScheduleProblem, plan: ShiftSchedule)?
        if let sr = try store.latestSchedule(), let sd = try store.scheduleDocument(runID: sr.id),
            let s = try? ScheduleDocument.decode(sd.json, source: "schedule run \(sr.id)")
        {
            schedule = (s.problem, s.schedule)
        }
        let floor = FloorCheck.build(runs: runs, floor: FloorRequirement(staffing: configuration.staffing), roster: doc, schedule: schedule, zone: zone)
        return (floor, PlanSimulation.run(doc, runs: runs, configuration: configuration, zone: zone))
    }

    /// "On the floor": per channel, what staffing requires, what the schedule plans, what the roster puts on the
    /// channel and what remains after shrinkage; and where the floor falls short (pooled over channels that share
    /// agents) by day and interval. From the plan's floor check (plan/floor.csv).
    func floorSection(_ f: FloorCheck) -> ReportDocument.Section? {
        guard !f.rows.isEmpty else { return nil }
        var sec = ReportDocument.Section(title: "On the floor")
        sec.paragraphs.append(
            "Required: staffing's productive agents (continuous). Needed on shift: after planned and unplanned shrinkage. Scheduled: the group schedule's agents on the queue. Rostered: named agents working the queue. On the floor: rostered agents after shrinkage. "
                + "Shortfall on the floor: \(String(format: "%.2f", f.shortfallPct))% of the required agent-hours, pooled over channels that share agents (\(String(format: "%.2f", f.shortfallPerChannelPct))% counted per channel). The full table per channel and interval is plan/floor.csv."
        )
        var t = Table(columns: [
            "channel", "required agent-hours", "needed on shift", "scheduled agent-hours", "rostered agent-hours", "on the floor", "short agent-hours", "short %"
        ])
        var order: [String] = []
        for r in f.rows where !order.contains(r.channel) { order.append(r.channel) }
        let h = f.intervalHours
        for ch in order {
            let rows = f.rows.filter { $0.channel == ch }
            let req = rows.reduce(0) { $0 + $1.required } * h, short = rows.reduce(0) { $0 + $1.short } * h
            let sched = rows.compactMap(\.scheduled)
            t.rows.append([
                .text(ch), .number(req, decimals: 1), .number(rows.reduce(0) { $0 + $1.onShiftNeeded } * h, decimals: 1),
                sched.isEmpty ? .null : .number(sched.reduce(0, +) * h, decimals: 1), .number(Double(rows.reduce(0) { $0 + $1.rostered }) * h, decimals: 1),
                .number(rows.reduce(0) { $0 + $1.onFloor } * h, decimals: 1), .number(short, decimals: 1), req > 0 ? .number(100 * short / req, decimals: 1) : .null
            ])
        }
        sec.tables.append(t)
        // Pooled shortfall by day x interval.
        let gaps = f.pooledGaps
        let m1 = Int((24 / f.intervalHours).rounded())
        let step = Int64((f.intervalHours * 3600).rounded())
        let days = Array(Set(f.rows.map { Civil.split($0.localStart).day })).sorted()
        guard !days.isEmpty else { return sec }
        var grid = [[Double]](repeating: [Double](repeating: 0, count: m1), count: days.count)
        for g in gaps {
            let (d, sod) = Civil.split(g.localStart)
            if let i = days.firstIndex(of: d), Int(sod / step) < m1 { grid[i][Int(sod / step)] += g.short }
        }
        let hm = SVGHeatmap(
            title: "Short on the floor (agents)", rowLabels: days.map { Civil.formatDate(day: $0) + " " + Civil.weekdayNames[Civil.weekday(ofDay: $0)] },
            columnLabels: (0..<m1).map { String(Civil.formatLocal(Int64($0) * step).suffix(8).prefix(5)) }, values: grid, center: nil, legend: "agents short")
        sec.figures.append(
            .init(name: "floor-short", svg: hm.render(), caption: "Agents short on the floor after shrinkage, pooled over channels that share agents, by day and interval"))
        return sec
    }
}
