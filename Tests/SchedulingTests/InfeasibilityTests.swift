import Foundation
import Testing
@testable import Scheduling

@Suite struct InfeasibilityTests {
    @Test func aSkillNobodyHas() throws {
        var p = Fixture.singleQueue([2, 2], templates: [Fixture.template("4h", span: 4)])
        p.queues.append(QueueSpec(id: "chat", requirement: p.queues[0].requirement))
        guard case .infeasible(let report) = Fixture.solve(p) else { Issue.record("expected infeasible"); return }
        let c = try #require(report.conflicts.first { $0.rule == "skills" })
        #expect(c.queues == ["chat"])
        #expect(c.message.contains("no agent group has skill chat"))
        #expect(c.message.contains("2026-03-02 08:00-10:00"))
    }

    @Test func noTemplateCoversAnOpeningHour() throws {
        // Need at 05:00-07:00, templates start at 07:00 at the earliest.
        var r = [Double](repeating: 0, count: 24)
        r[5] = 1; r[6] = 1; r[9] = 1
        var p = Fixture.singleQueue([], templates: [Fixture.template("4h", span: 4, from: 7, to: 24)])
        p.queues[0].requirement = r
        guard case .infeasible(let report) = Fixture.solve(p) else { Issue.record("expected infeasible"); return }
        let c = try #require(report.conflicts.first)
        #expect(c.rule == "shift-templates")
        #expect(c.queues == ["voice"])
        #expect(c.periods == [5, 6])
        #expect(c.message.contains("05:00-07:00"))
        #expect(report.description.contains("--soft"))
    }

    @Test func headcountTooLow() throws {
        let p = Fixture.singleQueue([3, 3, 3, 3], templates: [Fixture.template("4h", span: 4)], maxPerDay: 2)
        guard case .infeasible(let report) = Fixture.solve(p) else { Issue.record("expected infeasible"); return }
        let text = report.description
        #expect(report.conflicts.contains { $0.rule == "coverage" || $0.rule == "headcount" })
        #expect(text.contains("headcount-day[team,2026-03-02]"), "\(text)")
        #expect(text.contains("voice") || text.contains("team"))
    }

    /// --soft turns the same problem into the cheapest schedule that breaks as little as possible, priced.
    @Test func softFallbackPricesTheBreach() throws {
        let p = Fixture.singleQueue([3, 3, 3, 3], templates: [Fixture.template("4h", span: 4)], maxPerDay: 2)
        var o = EngineOptions()
        o.settings.soft = true
        o.settings.softUnderstaffingCost = 100
        o.settings.headcountExcessCost = 1
        guard let r = ScheduleEngine().solve(p, options: o).result else { Issue.record("no schedule"); return }
        // Exceeding the limit by one shift (cost 1 + 4 paid hours) is cheaper than 4 short agent-hours (400).
        #expect(r.coverage.shortIntervals == 0)
        #expect(abs(r.objective - (12 + 1)) < 1e-9)
        let hc = try #require(r.scores.first { $0.rule == "headcount" })
        #expect(hc.findings.count == 1 && hc.penalty == 1)
        o.settings.headcountExcessCost = 1000
        guard let r2 = ScheduleEngine().solve(p, options: o).result else { Issue.record("no schedule"); return }
        #expect(r2.coverage.shortIntervals == 4)
        #expect(abs(r2.objective - (8 + 400)) < 1e-9)
    }
}
