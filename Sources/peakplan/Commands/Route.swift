import ArgumentParser
import Foundation
import PlanningCore
import Reports
import Routing
import Scheduling

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Routing weight tables per interval: each queue's work split over agent groups (weights sum to 1).",
        discussion: """
        Solves the schedule exactly as `peakplan schedule` (same inputs and rules) and writes the split of each
        queue's planned agents over the agent groups that serve it:
          interval_start,queue,agent_group,weight,planned_agents
        Per interval and queue the weights over groups sum to 1; planned_agents are the group's agents planned
        on that queue (the scheduling model's continuous allocation). --view groups gives the same plan per
        group: the share of its on-duty agents planned on each of its queues (JSON: one object per group).

        Examples:
          peakplan route --workspace bank --format csv --out routing.csv
          peakplan route --instance base_3q_1w.json --view groups --format json

        Exit codes as `peakplan schedule`: 65 infeasible, 75 time limit, 78 configuration error.
        """
    )

    enum View: String, ExpressibleByArgument, CaseIterable { case queues, groups }

    @OptionGroup var inputs: ScheduleInputs
    @OptionGroup var output: OutputOptions
    @Option(help: "queues: weights per queue and interval; groups: shares per group and interval.")
    var view: View = .queues

    func run() throws {
        do {
            let (problem, options) = try inputs.load()
            let r = try inputs.solve(problem, options)
            Console.note(ScheduleText.summaryLine(r))
            let table = RoutingTable(problem: problem, schedule: r.schedule)
            switch view {
            case .queues:
                var t = Table(columns: ["interval_start", "queue", "agent_group", "weight", "planned_agents"])
                for row in table.rows {
                    t.rows.append([.text(problem.timeLabel(row.period)), .text(row.queue), .text(row.group), .number(row.weight, decimals: 6), .number(row.plannedAgents, decimals: 4)])
                }
                try output.emit(t.render(output.format.format))
            case .groups:
                if output.format.format == .json {
                    var groups: [String] = []
                    for (g, list) in table.groups {
                        let ivs = list.map { iv in
                            "{\"interval_start\": \(JSON.quote(problem.timeLabel(iv.period))), \"on_duty\": \(String(format: "%.4f", iv.onDuty)), \"shares\": {"
                                + iv.shares.map { "\(JSON.quote($0.queue)): \(String(format: "%.6f", $0.share))" }.joined(separator: ", ") + "}}"
                        }
                        groups.append("  {\"agent_group\": \(JSON.quote(g)), \"intervals\": [" + (ivs.isEmpty ? "" : "\n    " + ivs.joined(separator: ",\n    ") + "\n  ") + "]}")
                    }
                    try output.emit("[\n" + groups.joined(separator: ",\n") + "\n]\n")
                } else {
                    var t = Table(columns: ["interval_start", "agent_group", "on_duty", "queue", "share"])
                    for (g, list) in table.groups {
                        for iv in list { for s in iv.shares {
                            t.rows.append([.text(problem.timeLabel(iv.period)), .text(g), .number(iv.onDuty, decimals: 2), .text(s.queue), .number(s.share, decimals: 6)])
                        } }
                    }
                    try output.emit(t.render(output.format.format))
                }
            }
        } catch { throw failure(error) }
    }
}
