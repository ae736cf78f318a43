import Foundation
import PlanningCore
import Reports
import Store

/// Deltas between two plans (the baseline and/or scenarios), read from their stores.
public struct PlanComparison: Sendable {
    public var ws: Workspace
    public var a: String
    public var b: String
    public var top = 10
    /// Table titles (for the text rendering).
    public var titled = true

    public init(workspace: Workspace, a: String, b: String) { self.ws = workspace; self.a = a; self.b = b }

    struct Row { var channel: String; var interval: String; var volume: Double; var agents: Double; var scheduled: Double }

    /// The plan's workspace: the baseline's, or its scenario's copy.
    func workspace(_ name: String) -> Workspace { name == "baseline" ? ws : Workspace(ws.resolve("scenarios/\(name)")) }

    /// The requirement the plan staffed: the newest staffing run of every channel in the plan's store.
    func load(_ name: String) throws -> [Row] {
        let w = workspace(name)
        let dir = w.resolve("plan")
        guard FileManager.default.fileExists(atPath: dir), FileManager.default.fileExists(atPath: w.storePath) else {
            throw PlanError("no plan for \(name) (\(dir) is missing): run `peakplan plan\(name == "baseline" ? "" : " --scenario \(name)")` first", .noInput)
        }
        let zone = try w.loadConfig().zone()
        let store = try w.openStore()
        var rows: [Row] = []
        for ch in try store.staffedChannels() {
            guard let run = try store.latestStaffing(channel: ch) else { continue }
            for r in run.rows {
                rows.append(Row(channel: ch, interval: Civil.formatLocal(zone.local(fromUTC: r.ts)), volume: r.volume, agents: Double(r.agents), scheduled: r.scheduled))
            }
        }
        return rows
    }

    /// The schedule and roster of a plan, from its store (nil when the plan has none).
    func stored(_ name: String) throws -> (Store.ScheduleRun?, Store.RosterRun?) {
        let path = workspace(name).storePath
        guard FileManager.default.fileExists(atPath: path) else { return (nil, nil) }
        let store = try Store(path: path)
        return (try store.latestSchedule(), try store.latestRoster())
    }

    func planTable() throws -> Table {
        let (sa, ra) = try stored(a), (sb, rb) = try stored(b)
        var t = Table(title: "\nSchedule and roster", columns: ["measure", a, b, "change"])
        func row(_ m: String, _ x: Double?, _ y: Double?, _ k: Int) {
            guard x != nil || y != nil else { return }
            t.rows.append([.text(m), x.map { .number($0, decimals: k) } ?? .null, y.map { .number($0, decimals: k) } ?? .null,
                           (x != nil && y != nil) ? .number(y! - x!, decimals: k) : .null])
        }
        if sa != nil || sb != nil {
            row("schedule: paid agent-hours", sa?.paidHours, sb?.paidHours, 1)
            row("schedule: required agent-hours", sa?.requiredHours, sb?.requiredHours, 1)
            row("schedule: cost", sa?.objective, sb?.objective, 2)
            row("schedule: gap to LP bound %", sa.map { $0.gap * 100 }, sb.map { $0.gap * 100 }, 3)
            row("schedule: shifts", sa.map { Double($0.shifts) }, sb.map { Double($0.shifts) }, 0)
            row("schedule: short intervals", sa.map { Double($0.shortIntervals) }, sb.map { Double($0.shortIntervals) }, 0)
        }
        if ra != nil || rb != nil {
            row("roster: shifts", ra.map { Double($0.shifts) }, rb.map { Double($0.shifts) }, 0)
            row("roster: paid hours", ra?.paidHours, rb?.paidHours, 1)
            row("roster: coverage shortfall %", ra?.shortfallPct, rb?.shortfallPct, 2)
            row("roster: hard violations", ra.map { Double($0.hardViolations) }, rb.map { Double($0.hardViolations) }, 0)
        }
        return t
    }

    /// The three tables: per channel, schedules and rosters side by side, intervals that changed most.
    public func run() throws -> (channels: Table, plans: Table, changed: Table) {
        do {
            let config = try ws.loadConfig()
            let ra = try load(a), rb = try load(b)
            let hours = Double(config.intervalMinutes) / 60
            let channels = Array(Set(ra.map(\.channel) + rb.map(\.channel))).sorted()
            var t = Table(title: titled ? "\(a) -> \(b)" : nil,
                          columns: ["channel", "contacts_a", "contacts_b", "contacts_change_pct", "agent_hours_a", "agent_hours_b", "agent_hours_change",
                                    "scheduled_hours_a", "scheduled_hours_b", "peak_agents_a", "peak_agents_b"])
            func pct(_ x: Double, _ y: Double) -> Cell { x > 0 ? .number((y / x - 1) * 100, decimals: 1) : .null }
            for ch in channels {
                let xa = ra.filter { $0.channel == ch }, xb = rb.filter { $0.channel == ch }
                let va = xa.reduce(0) { $0 + $1.volume }, vb = xb.reduce(0) { $0 + $1.volume }
                let ha = xa.reduce(0) { $0 + $1.agents } * hours, hb = xb.reduce(0) { $0 + $1.agents } * hours
                let sa = xa.reduce(0) { $0 + $1.scheduled } * hours, sb = xb.reduce(0) { $0 + $1.scheduled } * hours
                t.rows.append([.text(ch), .number(va, decimals: 0), .number(vb, decimals: 0), pct(va, vb), .number(ha, decimals: 1), .number(hb, decimals: 1),
                               .number(hb - ha, decimals: 1), .number(sa, decimals: 1), .number(sb, decimals: 1),
                               .int(Int(xa.map(\.agents).max() ?? 0)), .int(Int(xb.map(\.agents).max() ?? 0))])
            }
            var byKey: [String: (Double, Double, String, String)] = [:]
            for r in ra { byKey[r.channel + "|" + r.interval, default: (0, 0, r.channel, r.interval)].0 = r.agents }
            for r in rb { byKey[r.channel + "|" + r.interval, default: (0, 0, r.channel, r.interval)].1 = r.agents }
            let changed = byKey.values.filter { $0.0 != $0.1 }.sorted { (abs($0.1 - $0.0), $0.3, $0.2) > (abs($1.1 - $1.0), $1.3, $1.2) }
            var d = Table(title: titled ? "\nIntervals whose requirement changed most (\(changed.count) changed)" : nil,
                          columns: ["interval_start", "channel", "agents_a", "agents_b", "change"])
            for c in changed.prefix(top) { d.rows.append([.text(c.3), .text(c.2), .int(Int(c.0)), .int(Int(c.1)), .int(Int(c.1 - c.0))]) }
            return (t, try planTable(), d)
        }
    }
}
