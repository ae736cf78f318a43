import Foundation
import Testing
import TestSupport

/// A store written by the release before migration 8 (Fixtures/store-v7, made by `scripts/make-store-fixture`
/// with the binary of commit 95a07fc) opens, plans, and routes exactly the schedule the plan stored.
@Suite("stores from before")
struct StoreUpgradeTests {
    static func copyFixture() throws -> String {
        let d = NSTemporaryDirectory() + "peakplan-v7-\(UUID().uuidString)"
        try FileManager.default.copyItem(atPath: CLI.root + "/Tests/CLITests/Fixtures/store-v7", toPath: d)
        return d
    }

    @Test("a version-7 store opens; route says its schedule has no stored shifts; plan runs; route then routes the plan's schedule byte for byte")
    func v7StorePlansAndRoutes() throws {
        let ws = try Self.copyFixture()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let history = try CLI.run(["history", "--workspace", ws, "--format", "csv"])
        #expect(history.code == 0, "\(history.err)")
        #expect(history.out.contains("voice"))
        // The schedule stored by the old release has no document: routing says so instead of solving again.
        let old = try CLI.run(["route", "--workspace", ws])
        #expect(old.code == 66, "\(old.err)")
        #expect(old.err.contains("stored by an older PeakPlan without its shifts"), "\(old.err)")
        let plan = try CLI.run(["plan", "--workspace", ws, "--horizon", "7d", "--force"])
        #expect(plan.code == 0, "\(plan.err)")
        #expect(plan.out.contains("Routing table:") && plan.out.contains("Roster: 30 agents"))
        let route = try CLI.run(["route", "--workspace", ws, "--format", "csv"])
        #expect(route.code == 0, "\(route.err)")
        #expect(route.err.contains("route: roster run "), "names the roster it routed (the plan stored one): \(route.err)")
        let written = try String(contentsOfFile: ws + "/plan/routing.csv", encoding: .utf8)
        #expect(!written.isEmpty && route.out == written, "route prints exactly the plan's routing table")
    }

    @Test("schedule --workspace stores its schedule; route routes that one (not a new solve), the same bytes as schedule --save")
    func routeReadsTheStoredSchedule() throws {
        let ws = try Self.copyFixture()
        defer { try? FileManager.default.removeItem(atPath: ws) }
        let s = try CLI.run(["schedule", "--workspace", ws, "--soft", "--save", ws + "/s.json", "--format", "csv"])
        #expect(s.code == 0, "\(s.err)")
        #expect(s.err.contains("stored as schedule run"), "\(s.err)")
        let fromStore = try CLI.run(["route", "--workspace", ws, "--format", "csv"])
        let fromFile = try CLI.run(["route", "--schedule", ws + "/s.json", "--format", "csv"])
        #expect(fromStore.code == 0 && fromFile.code == 0, "\(fromStore.err) \(fromFile.err)")
        #expect(!fromStore.out.isEmpty && fromStore.out == fromFile.out)
        #expect(!fromStore.err.contains("scheduling"), "no solve in route")
        for view in ["queues", "groups"] {
            let a = try CLI.run(["route", "--workspace", ws, "--view", view, "--format", "json"])
            #expect(a.code == 0 && Hostile.isJSON(a.out), "\(view): \(a.err)")
        }
    }
}
