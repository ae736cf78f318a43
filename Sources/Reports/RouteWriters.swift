import PlanningCore
import Routing
import Scheduling

/// Renderings of a routing table: the queue view (weights per queue and interval) and the group view (shares
/// per group and interval), as a table, CSV or JSON.
public enum RouteText {
    public enum View: Sendable { case queues, groups }

    /// One agent group of `route --view groups --format json`.
    struct GroupView: Encodable {
        struct Interval: Encodable {
            var interval_start: String
            var on_duty: JSONOutput.Rounded
            var shares: JSONOutput.OrderedObject<JSONOutput.Rounded>
        }
        var agent_group: String
        var intervals: [Interval]
    }

    /// The queue view as a table (interval_start,queue,agent_group,weight,planned_agents).
    public static func queueTable(_ table: RoutingTable, problem: ScheduleProblem) -> Table {
        var t = Table(columns: ["interval_start", "queue", "agent_group", "weight", "planned_agents"])
        for row in table.rows {
            t.rows.append([.text(problem.timeLabel(row.period)), .text(row.queue), .text(row.group), .number(row.weight, decimals: 6), .number(row.plannedAgents, decimals: 4)])
        }
        return t
    }

    public static func render(_ table: RoutingTable, problem: ScheduleProblem, view: View, format: OutputFormat) -> String {
        switch view {
        case .queues:
            return queueTable(table, problem: problem).render(format)
        case .groups where format == .json:
            return JSONOutput.render(
                table.groups.map { g, list in
                    GroupView(
                        agent_group: g,
                        intervals: list.map { iv in
                            .init(interval_start: problem.timeLabel(iv.period), on_duty: .init(iv.onDuty, 4), shares: .init(iv.shares.map { ($0.queue, .init($0.share, 6)) }))
                        })
                })
        case .groups:
            var t = Table(columns: ["interval_start", "agent_group", "on_duty", "queue", "share"])
            for (g, list) in table.groups {
                for iv in list {
                    for s in iv.shares {
                        t.rows.append([.text(problem.timeLabel(iv.period)), .text(g), .number(iv.onDuty, decimals: 2), .text(s.queue), .number(s.share, decimals: 6)])
                    }
                }
            }
            return t.render(format)
        }
    }
}
