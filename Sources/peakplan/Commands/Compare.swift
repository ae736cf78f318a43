import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Store

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Deltas between two plans: baseline and/or scenarios (volume, agent-hours, peaks).",
        discussion: """
        A and B are `baseline` (the workspace's last `peakplan plan`) or scenario names (`peakplan plan --scenario NAME`).
        Prints per channel the contacts, required and scheduled agent-hours and peak agents of each with the
        change, then (when the plans have them) the schedules' and rosters' figures side by side (paid
        agent-hours, cost, gap to the LP bound, short intervals, roster shortfall), then the intervals whose
        requirement changed most.
        Example:
          peakplan compare --workspace demo baseline card_rush
        """
    )
    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "First plan (baseline or a scenario name).") var a: String
    @Argument(help: "Second plan (baseline or a scenario name).") var b: String
    @Option(help: "How many changed intervals to list.") var top: Int = 10

    struct Row { var channel: String; var interval: String; var volume: Double; var agents: Double; var scheduled: Double }

    func load(_ name: String) throws -> [Row] {
        let dir = name == "baseline" ? ws.workspace + "/plan" : ws.workspace + "/scenarios/\(name)/plan"
        let path = dir + "/staffing.csv"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw fail("no plan for \(name) (\(path) is missing): run `peakplan plan\(name == "baseline" ? "" : " --scenario \(name)")` first", code: Exit.noInput)
        }
        let lines = text.split(separator: "\n")
        guard let header = lines.first?.split(separator: ",").map(String.init),
              let ci = header.firstIndex(of: "channel"), let ti = header.firstIndex(of: "interval_start"),
              let vi = header.firstIndex(of: "volume"), let ai = header.firstIndex(of: "agents"), let si = header.firstIndex(of: "scheduled") else {
            throw fail("\(path): not a staffing table", code: Exit.dataError)
        }
        return lines.dropFirst().map { l in
            let f = l.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Row(channel: f[ci], interval: f[ti], volume: Double(f[vi]) ?? 0, agents: Double(f[ai]) ?? 0, scheduled: Double(f[si]) ?? 0)
        }
    }

    /// The schedule and roster of a plan, from its store (nil when the plan has none).
    func stored(_ name: String) throws -> (Store.ScheduleRun?, Store.RosterRun?) {
        let dir = name == "baseline" ? ws.workspace : ws.workspace + "/scenarios/\(name)"
        let path = dir + "/" + Store.fileName
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

    func run() throws {
        do {
            let config = try ws.loadConfig()
            let ra = try load(a), rb = try load(b)
            let hours = Double(config.intervalMinutes) / 60
            let channels = Array(Set(ra.map(\.channel) + rb.map(\.channel))).sorted()
            var t = Table(title: output.format.format == .table ? "\(a) -> \(b)" : nil,
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
            var d = Table(title: output.format.format == .table ? "\nIntervals whose requirement changed most (\(changed.count) changed)" : nil,
                          columns: ["interval_start", "channel", "agents_a", "agents_b", "change"])
            for c in changed.prefix(top) { d.rows.append([.text(c.3), .text(c.2), .int(Int(c.0)), .int(Int(c.1)), .int(Int(c.1 - c.0))]) }
            let fmt = output.format.format
            let plans = try planTable()
            if fmt == .table {
                try output.emit(t.renderText() + (plans.rows.isEmpty ? "" : plans.renderText()) + d.renderText())
            } else {
                try output.emit(t.render(fmt))
            }
        } catch { throw failure(error) }
    }
}
