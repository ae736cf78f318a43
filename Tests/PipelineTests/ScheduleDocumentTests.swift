import Foundation
import Pipeline
import PlanningCore
import Reports
import Routing
import Scheduling
import Testing

@Suite("stored schedule documents")
struct ScheduleDocumentTests {
    /// A small two-queue problem solved for real.
    static func solved() throws -> ScheduleResult {
        let p = 48
        var a = [Double](repeating: 0, count: p), b = [Double](repeating: 0, count: p)
        for t in 16..<36 { a[t] = 3 + Double(t % 3); b[t] = t < 26 ? 1 : 2 }
        let problem = ScheduleProblem(
            name: "doc", intervalMinutes: 30, firstDay: Civil.parseDate("2026-03-02")!, days: 1,
            queues: [QueueSpec(id: "voice", requirement: a), QueueSpec(id: "chat", requirement: b)],
            groups: [
                AgentGroupSpec(id: "blend", skills: [Skill(queue: "voice"), Skill(queue: "chat", level: 2)]),
                AgentGroupSpec(id: "voice_only", skills: [Skill(queue: "voice")], costPerPaidHour: 0.9)
            ],
            templates: [
                ShiftTemplate(
                    id: "d8", spanPeriods: 16, startStep: 1, earliestStart: 12, latestEnd: 40,
                    breaks: [BreakRule(durationPeriods: 1, earliestOffset: 6, latestOffset: 10)])
            ])
        switch ScheduleEngine().solve(problem) {
        case .optimal(let r), .feasible(let r): return r
        case let other: throw PlanError("not solved: \(other)", .failure)
        }
    }

    @Test("a schedule round-trips through its document: identical routing table, exactly")
    func roundTrip() throws {
        let r = try Self.solved()
        let doc = ScheduleDocument(problem: r.problem, schedule: r.schedule)
        let back = try ScheduleDocument.decode(try doc.encoded(), source: "test")
        #expect(back == doc)
        let before = RoutingTable(problem: r.problem, schedule: r.schedule)
        let after = RoutingTable(problem: back.problem, schedule: back.schedule)
        #expect(!before.rows.isEmpty)
        #expect(before.rows == after.rows)
        #expect(before.groups.map(\.group) == after.groups.map(\.group))
        #expect(before.groups.map(\.intervals) == after.groups.map(\.intervals))
        let fmt = RouteText.render(before, problem: r.problem, view: .queues, format: .csv)
        #expect(fmt == RouteText.render(after, problem: back.problem, view: .queues, format: .csv))
    }

    @Test("a document of another format is refused with the format named")
    func wrongFormat() throws {
        let r = try Self.solved()
        var doc = ScheduleDocument(problem: r.problem, schedule: r.schedule)
        doc.formatVersion = "peakplan-schedule/0"
        #expect(throws: PlanError.self) { try ScheduleDocument.decode(try doc.encoded(), source: "x.json") }
        do { _ = try ScheduleDocument.decode("{\"nope\": 1}", source: "y.json") } catch let e as PlanError {
            #expect(e.message.hasPrefix("y.json: not a peakplan-schedule/1 document"))
            #expect(e.status == .dataError)
        }
    }
}
