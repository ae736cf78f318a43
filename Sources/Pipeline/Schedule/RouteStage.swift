import Foundation
import PlanningCore
import Reports
import Routing
import Scheduling
import Store

/// The routing stage: weight tables from a solved schedule (one passed on, stored, or saved to a file).
public enum RouteStage {
    public struct Routed: Sendable {
        /// The schedule routed (nil when the roster was).
        public var document: ScheduleDocument?
        /// The roster routed (nil when a schedule was).
        public var roster: RosterDocument?
        public var table: RoutingTable
        /// Which schedule or roster was routed (for the user).
        public var label: String
    }

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

    /// Which stored stage `route --workspace` routes.
    public enum Source: String, Sendable, CaseIterable { case newest, roster, schedule }

    /// The schedule a saved file holds, or the workspace's newest stored roster or schedule (`source`; newest:
    /// the roster when it was stored at or after the newest schedule, as `plan` stores them), and its routing table.
    public static func load(workspace: String, scheduleFile: String?, source: Source = .newest) throws -> Routed {
        if let path = scheduleFile {
            let doc = try ScheduleDocument.decode(try readTextFile(path, what: "the schedule"), source: path)
            return Routed(document: doc, table: RoutingTable(problem: doc.problem, schedule: doc.schedule), label: "schedule \(doc.name) from \(path)")
        }
        let ws = Workspace(workspace)
        let store = try ws.openStore()
        let roster = try store.latestRoster()
        let schedule = try store.latestSchedule()
        let useRoster: Bool
        switch source {
        case .roster: useRoster = true
        case .schedule: useRoster = false
        case .newest: useRoster = roster != nil && (schedule == nil || roster!.createdAt >= schedule!.createdAt)
        }
        // The newest roster was stored by an older PeakPlan without its people per interval: route the schedule, and say so.
        if source == .newest, useRoster, let run = roster, try store.rosterDocument(runID: run.id) == nil {
            Diagnostics.note("route: roster run \(run.id) (\(run.createdAt)) was stored by an older PeakPlan without who works which queue; routing the schedule instead")
            let stored = try StoredSchedule.latest(store, workspace: ws)
            return Routed(document: stored.document, table: stored.routing, label: stored.label)
        }
        if useRoster {
            guard let run = roster else {
                throw PlanError("no roster stored in \(ws.storePath): run `peakplan plan` with agents ([plan] agents or --agents) first", .noInput)
            }
            guard let d = try store.rosterDocument(runID: run.id) else {
                throw PlanError(
                    "roster run \(run.id) (\(run.createdAt)) was stored by an older PeakPlan without who works which queue: run `peakplan plan --force` to store it again, or route the schedule (--from schedule)",
                    .noInput)
            }
            let doc = try RosterDocument.decode(d.json, source: "\(ws.storePath) roster run \(run.id)")
            return Routed(roster: doc, table: doc.routing, label: "roster run \(run.id) (\(run.createdAt), \(run.agents) agents, \(run.shifts) shifts)")
        }
        let stored = try StoredSchedule.latest(store, workspace: ws)
        return Routed(document: stored.document, table: stored.routing, label: stored.label)
    }

    /// The queue view as a table (interval_start,queue,agent_group,weight,planned_agents,row): `row` is `plan` for
    /// the weights (they sum to 1 per interval and queue) and `fallback` for a queue with expected contacts and
    /// nobody planned (weight 0; the group named takes them).
    public static func queueTable(_ table: RoutingTable) -> Table {
        var t = Table(columns: ["interval_start", "queue", "agent_group", "weight", "planned_agents", "row"])
        for row in table.rows {
            t.rows.append([
                .text(table.timeline.label(row.period)), .text(row.queue), .text(row.group), .number(row.weight, decimals: 6),
                .number(row.plannedAgents, decimals: 4), .text(row.fallback ? "fallback" : "plan"),
            ])
        }
        return t
    }

    public static func queueTable(_ table: RoutingTable, problem: ScheduleProblem) -> Table { queueTable(table) }

    public static func render(_ table: RoutingTable, view: View, format: OutputFormat) -> String {
        render(table, label: table.timeline.label, view: view, format: format)
    }

    public static func render(_ table: RoutingTable, problem: ScheduleProblem, view: View, format: OutputFormat) -> String {
        render(table, view: view, format: format)
    }

    static func render(_ table: RoutingTable, label: (Int) -> String, view: View, format: OutputFormat) -> String {
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
