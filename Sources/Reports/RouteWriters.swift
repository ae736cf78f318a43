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

    /// The queue view as a table (interval_start,queue,agent_group,weight,planned_agents,row): `row` is `plan` for
    /// the weights (they sum to 1 per interval and queue) and `fallback` for a queue with expected contacts and
    /// nobody planned (weight 0; the group named takes them).
    public static func queueTable(_ table: RoutingTable) -> Table {
        var t = Table(columns: ["interval_start", "queue", "agent_group", "weight", "planned_agents", "row"])
        for row in table.rows {
            t.rows.append([
                .text(table.timeline.label(row.period)), .text(row.queue), .text(row.group), .number(row.weight, decimals: 6),
                .number(row.plannedAgents, decimals: 4), .text(row.fallback ? "fallback" : "plan")
            ])
        }
        return t
    }

    public static func queueTable(_ table: RoutingTable, problem: ScheduleProblem) -> Table { queueTable(table) }

    public static func render(_ table: RoutingTable, problem: ScheduleProblem, view: View, format: OutputFormat) -> String {
        render(table, view: view, format: format)
    }

    public static func render(_ table: RoutingTable, view: View, format: OutputFormat) -> String {
        let label = table.timeline.label
        switch view {
        case .queues:
            return queueTable(table).render(format)
        case .groups where format == .json:
            return JSONOutput.render(
                table.groups.map { g, list in
                    GroupView(
                        agent_group: g,
                        intervals: list.map { iv in
                            .init(interval_start: label(iv.period), on_duty: .init(iv.onDuty, 4), shares: .init(iv.shares.map { ($0.queue, .init($0.share, 6)) }))
                        })
                })
        case .groups:
            var t = Table(columns: ["interval_start", "agent_group", "on_duty", "queue", "share"])
            for (g, list) in table.groups {
                for iv in list {
                    for s in iv.shares {
                        t.rows.append([.text(label(iv.period)), .text(g), .number(iv.onDuty, decimals: 2), .text(s.queue), .number(s.share, decimals: 6)])
                    }
                }
            }
            return t.render(format)
        }
    }
}
