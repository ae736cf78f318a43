import Foundation
import PlanningCore
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
}
