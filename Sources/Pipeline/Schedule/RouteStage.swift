import Foundation
import PlanningCore
import Routing
import Scheduling
import Store

/// The routing stage: weight tables from a solved schedule (one passed on, stored, or saved to a file).
public enum RouteStage {
    public struct Routed: Sendable {
        public var document: ScheduleDocument
        public var table: RoutingTable
        /// Which schedule was routed (for the user).
        public var label: String
    }

    /// The schedule a saved file or the workspace store holds, and its routing table.
    public static func load(workspace: String, scheduleFile: String?) throws -> Routed {
        if let path = scheduleFile {
            let doc = try ScheduleDocument.decode(try readTextFile(path, what: "the schedule"), source: path)
            return Routed(document: doc, table: RoutingTable(problem: doc.problem, schedule: doc.schedule), label: "schedule \(doc.name) from \(path)")
        }
        let ws = Workspace(workspace)
        let stored = try StoredSchedule.latest(try ws.openStore(), workspace: ws)
        return Routed(document: stored.document, table: stored.routing, label: stored.label)
    }
}
