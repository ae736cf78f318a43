import ArgumentParser
import Foundation
import PlanningCore
import Reports

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Deltas between two plans: baseline and/or scenarios (volume, agent-hours, peaks).",
        discussion: """
        A and B are `baseline` (the workspace's last `peakplan plan`) or scenario names (`peakplan plan --scenario NAME`).
        Prints per channel the contacts, required and scheduled agent-hours and peak agents of each with the
        change, then the intervals whose requirement changed most.
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
            try output.emit(fmt == .table ? t.renderText() + d.renderText() : t.render(fmt))
        } catch { throw failure(error) }
    }
}
