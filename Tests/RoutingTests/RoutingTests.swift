import Foundation
import PlanningCore
import PropertyBased
import Testing
@testable import Routing
@testable import Scheduling

/// The project's seeded generator.
typealias Rand = SplitMix64

/// A random 1-day problem on a 60-minute grid: 2-4 queues in a ring, dedicated and cross-trained groups.
func randomProblem(_ g: inout Rand) -> ScheduleProblem {
    let nq = g.int(2 ... 4)
    var queues: [QueueSpec] = []
    for q in 0 ..< nq {
        var r = [Double](repeating: 0, count: 24)
        for h in 7 ..< 21 { r[h] = Double(g.int(0 ... 6)) }
        queues.append(QueueSpec(id: "q\(q)", requirement: r))
    }
    var groups = (0 ..< nq).map { AgentGroupSpec(id: "g\($0)", skills: [Skill(queue: "q\($0)")]) }
    for q in 0 ..< nq {
        groups.append(AgentGroupSpec(id: "g\(q)+\((q + 1) % nq)", skills: [Skill(queue: "q\(q)"), Skill(queue: "q\((q + 1) % nq)", level: g.int(1 ... 2))], costPerPaidHour: 1.05))
    }
    let templates = [ShiftTemplate(id: "4h", spanPeriods: 4, earliestStart: 6, latestEnd: 22),
                     ShiftTemplate(id: "8h", spanPeriods: 8, earliestStart: 6, latestEnd: 22, breaks: [BreakRule(durationPeriods: 1, earliestOffset: 3, latestOffset: 5)])]
    return ScheduleProblem(name: "rand", intervalMinutes: 60, firstDay: Civil.daysFromCivil(year: 2026, month: 3, day: 2), days: 1,
                           queues: queues, groups: groups, templates: templates)
}

@Suite struct RoutingTests {
    /// For any schedule (random shifts, capacity allocated by `Allocator`), the weights over groups of every queue
    /// and interval sum to 1, and every group's shares of its on-duty agents sum to 1.
    @Test func weightsSumToOne() async {
        await propertyCheck(count: 60, input: Gen.int(in: 1 ... 1_000_000)) { seed in
            var g = Rand(seed: UInt64(seed))
            let p = randomProblem(&g)
            var shifts: [ShiftBlock] = []
            for _ in 0 ..< g.int(1 ... 25) {
                let grp = g.int(0 ... p.groups.count - 1), t = g.int(0 ... 1)
                let tp = p.templates[t]
                let s = tp.starts[g.int(0 ... tp.starts.count - 1)]
                let breaks = tp.breaks.map { s + g.int($0.earliestOffset ... $0.latestOffset) }
                shifts.append(ShiftBlock(group: grp, template: t, day: 0, start: s, breakStarts: breaks, count: g.int(1 ... 3)))
            }
            let schedule = ShiftSchedule(shifts: shifts, problem: p, weights: CoverageRule.allocatorWeights(p, RuleSettings()))
            let table = RoutingTable(problem: p, schedule: schedule)
            #expect(table.maxWeightError < 1e-9, "seed \(seed)")
            #expect(table.rows.allSatisfy { $0.weight > 0 && $0.weight <= 1 + 1e-12 && $0.plannedAgents > 0 })
            for (_, list) in table.groups {
                for iv in list { #expect(abs(iv.shares.reduce(0) { $0 + $1.share } - 1) < 1e-9, "seed \(seed)") }
            }
            // Planned agents per queue equal the allocation; the allocation never exceeds who is on duty.
            let duty = schedule.onDuty(p)
            for gi in p.groups.indices { for t in 0 ..< p.horizon {
                let used = schedule.allocation[gi].reduce(0) { $0 + $1[t] }
                #expect(used <= duty[gi][t] + 1e-9)
            } }
        }
    }

    /// A solved schedule's routing table plans at least the requirement in every queue and interval.
    @Test func plannedCapacityCoversTheRequirement() async {
        await propertyCheck(count: 12, input: Gen.int(in: 1 ... 1_000_000)) { seed in
            var g = Rand(seed: UInt64(seed))
            let p = randomProblem(&g)
            var o = EngineOptions()
            o.timeLimit = 20
            guard let r = ScheduleEngine().solve(p, options: o).result else { Issue.record("seed \(seed): no schedule"); return }
            let table = RoutingTable(problem: p, schedule: r.schedule)
            var planned: [String: Double] = [:]
            for row in table.rows { planned["\(row.period)|\(row.queue)", default: 0] += row.plannedAgents }
            for q in p.queues { for t in 0 ..< p.horizon where q.requirement[t] > 0 {
                #expect((planned["\(t)|\(q.id)"] ?? 0) >= q.requirement[t] - 1e-6, "seed \(seed) \(q.id) t\(t)")
            } }
            #expect(table.maxWeightError < 1e-9)
        }
    }
}
