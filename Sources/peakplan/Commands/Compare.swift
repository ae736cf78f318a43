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

    func run() throws {
        do {
            var c = PlanComparison(workspace: ws.ws, a: a, b: b)
            c.top = top; c.titled = output.format.format == .table
            let (t, plans, d) = try c.run()
            let fmt = output.format.format
            if fmt == .table {
                try output.emit(t.renderText() + (plans.rows.isEmpty ? "" : plans.renderText()) + d.renderText())
            } else {
                try output.emit(t.render(fmt))
            }
        } catch { throw failure(error) }
    }
}
