import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Routing

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Routing weight tables per interval: each queue's work split over agent groups (weights sum to 1).",
        discussion: """
        Routes the schedule that was solved and stored, never a new solve: the newest schedule in the workspace
        store (written by `peakplan schedule --workspace` and `peakplan plan`), or --schedule FILE written by
        `peakplan schedule --save FILE`. stderr names the schedule routed. Writes the split of each queue's planned
        agents over the agent groups that serve it:
          interval_start,queue,agent_group,weight,planned_agents
        Per interval and queue the weights over groups sum to 1; planned_agents are the group's agents planned
        on that queue (the scheduling model's continuous allocation). --view groups gives the same plan per
        group: the share of its on-duty agents planned on each of its queues (JSON: one object per group).

        Examples:
          peakplan schedule --workspace bank && peakplan route --workspace bank --format csv --out routing.csv
          peakplan schedule --instance base_3q_1w.json --save s.json && peakplan route --schedule s.json --view groups --format json

        Exit codes: 65 the schedule file is not a peakplan-schedule/1 document; 66 no stored schedule (or an
        unreadable file); 78 configuration error.
        """
    )

    enum View: String, ExpressibleByArgument, CaseIterable { case queues, groups }

    @OptionGroup var ws: WorkspaceOptions
    @Option(help: ArgumentHelp("A schedule saved by `peakplan schedule --save FILE` (default: the newest schedule stored in the workspace).", valueName: "file.json"))
    var schedule: String?
    @OptionGroup var output: OutputOptions
    @Option(help: "queues: weights per queue and interval; groups: shares per group and interval.")
    var view: View = .queues

    func run() throws {
        do {
            let routed = try RouteStage.load(workspace: ws.workspace, scheduleFile: schedule)
            Diagnostics.info("route: \(routed.label)")
            try output.emit(RouteText.render(routed.table, problem: routed.document.problem, view: view == .groups ? .groups : .queues, format: output.format.format))
        } catch { throw failure(error) }
    }
}
