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
        Routes what was solved and stored, never a new solve: the people of the newest roster `peakplan plan`
        stored (when it is at least as new as the newest schedule), else the newest schedule in the workspace
        store (written by `peakplan schedule --workspace` and `peakplan plan`), or --schedule FILE written by
        `peakplan schedule --save FILE`; --from roster|schedule chooses. stderr names what was routed. Writes
        the split of each queue's planned agents over the agent groups that serve it:
          interval_start,queue,agent_group,weight,planned_agents,row
        Per interval and queue the weights of the `plan` rows sum to 1; planned_agents are the group's agents
        on that queue: rostered agents (an agent's group is the [schedule] group with exactly its skills, else
        a group named by its skills, e.g. ps+pe:2), or the schedule's continuous allocation. From a roster, a
        queue with expected contacts and nobody planned gets a `fallback` row (weight 0, outside the sum)
        naming the group that takes them: a group with the skill on duty (best level, then most agents), else
        the group with the best level of the skill. --view groups gives the same plan per group: the share of
        its on-duty agents on each of its queues (JSON: one object per group).

        Examples:
          peakplan schedule --workspace bank && peakplan route --workspace bank --format csv --out routing.csv
          peakplan schedule --instance base_3q_1w.json --save s.json && peakplan route --schedule s.json --view groups --format json

        --export connect prints Amazon Connect routing profiles (one per agent group; a queue held at level k has
        priority k and a delay of (k - 1) x its answer target, so secondary skills take contacts that waited;
        voice concurrency 1, chat the configured concurrency) with each agent's profile; --export skills prints
        one row per agent and skill (group, level, proficiency 0-5 with level 1 = 5, priority, delay). Both
        carry a format version and read the stored roster.

        Exit codes: 65 the schedule file is not a peakplan-schedule/1 document; 66 no stored schedule or roster
        (or an unreadable file, or one stored by an older PeakPlan); 78 configuration error.
        """
    )

    enum View: String, ExpressibleByArgument, CaseIterable { case queues, groups }
    enum Export: String, ExpressibleByArgument, CaseIterable { case weights, connect, skills }

    @OptionGroup var ws: WorkspaceOptions
    @Option(help: ArgumentHelp("A schedule saved by `peakplan schedule --save FILE` (default: the newest schedule stored in the workspace).", valueName: "file.json"))
    var schedule: String?
    @Option(help: ArgumentHelp("With --workspace: route the newest stored stage (newest: the roster when `plan` stored one with or after the schedule), or the roster, or the schedule.", valueName: "stage"))
    var from: RouteStage.Source = .newest
    @Option(help: ArgumentHelp("weights: the routing table; connect: Amazon Connect routing profiles (JSON, one per agent group, with the agents' assignments); skills: one row per agent and skill (group, level, proficiency 0-5, priority, delay). connect and skills need a stored roster.", valueName: "kind"))
    var export: Export = .weights
    @OptionGroup var output: OutputOptions
    @Option(help: "queues: weights per queue and interval; groups: shares per group and interval.")
    var view: View = .queues

    func run() throws {
        do {
            let routed = try RouteStage.load(workspace: ws.workspace, scheduleFile: schedule, source: export == .weights ? from : .roster)
            Diagnostics.info("route: \(routed.label)")
            if export != .weights, let doc = routed.roster {
                let facts = RouterExports.facts(queues: doc.queues, configuration: try ws.ws.loadConfiguration())
                if export == .connect {
                    guard output.format.format != .csv else { throw PlanError("--export connect is JSON: use --format json (or table)", .usage) }
                    try output.emit(RouterExports.connectJSON(doc, facts: facts, source: routed.label))
                } else {
                    try output.emit(RouterExports.skillsTable(doc, facts: facts).render(output.format.format))
                }
                return
            }
            try output.emit(RouteText.render(routed.table, view: view == .groups ? .groups : .queues, format: output.format.format))
        } catch { throw failure(error) }
    }
}

extension RouteStage.Source: ExpressibleByArgument {}
