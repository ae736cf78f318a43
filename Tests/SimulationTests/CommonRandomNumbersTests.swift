import Foundation
import PlanningCore
import Testing
@testable import Simulation

/// Common random numbers: replication r of a seed gives the same contacts (arrival times, handle times,
/// patience) under every routing policy and every roster, so differences between policies or plans are not noise.
@Suite struct CommonRandomNumbersTests {
    /// The demo instance's first two days with its agents in two routing groups and a routing table that splits
    /// every queue-interval between them (so the `weights` policy restricts and splits).
    static func instance() throws -> SimInstance {
        var inst = Bundled.truncated(try Bundled.instance("anonbank_demo_2w"), intervals: 96)
        for a in inst.agents.indices { inst.agents[a].group = a % 2 == 0 ? "even" : "odd" }
        for t in 0..<inst.intervals {
            for q in inst.queues where q.arrivalsPerInterval[t] > 0 {
                inst.routing.append(RoutingRow(interval: t, queue: q.id, group: "even", weight: 0.6, plannedAgents: 3))
                inst.routing.append(RoutingRow(interval: t, queue: q.id, group: "odd", weight: 0.4, plannedAgents: 2))
            }
        }
        return inst
    }

    /// One replication of one policy, straight from the engine: its outcome per queue-interval.
    static func outcome<P: RoutingPolicy>(_ model: SimModel, _ p: P.Type, replication: Int) -> ReplicationOutcome {
        var e = Engine<P>(model: model, trace: true)
        defer { e.free() }
        return e.run(seed: 3, replication: replication)
    }

    static func outcomes(_ model: SimModel, replication r: Int) -> [ReplicationOutcome] {
        [
            outcome(model, PriorityRouting.self, replication: r), outcome(model, OverflowRouting.self, replication: r),
            outcome(model, WeightRouting.self, replication: r)
        ]
    }

    /// Every policy sees identical offered counts per queue-interval in every replication, and a contact served
    /// under two policies (identified by queue and arrival time) has the same handle time under both; yet the
    /// policies do route differently.
    @Test func policiesSeeTheSameContacts() throws {
        let model = SimModel(try Self.instance())
        for r in 0..<4 {
            let runs = Self.outcomes(model, replication: r)
            #expect(runs[0].offered.reduce(0, +) > 500)
            for o in runs.dropFirst() { #expect(o.offered == runs[0].offered, "replication \(r)") }
            var handle: [String: Double] = [:]
            for s in runs[0].trace { handle["\(s.queue)@\(s.arrival)"] = s.end - s.start }
            for o in runs.dropFirst() {
                let shared = o.trace.compactMap { s in handle["\(s.queue)@\(s.arrival)"].map { ($0, s.end - s.start) } }
                #expect(shared.count > 100)
                for (a, b) in shared { #expect(abs(a - b) <= 1e-9 * max(1, a), "replication \(r): handle \(a) vs \(b)") }
            }
            #expect(runs[0].answeredWithin != runs[2].answeredWithin || runs[0].waitSum != runs[2].waitSum, "weights routes like priority")
        }
        // Other replications see other contacts.
        #expect(Self.outcomes(model, replication: 0)[0].offered != Self.outcomes(model, replication: 1)[0].offered)
    }

    /// Another plan (half the agents gone, the rest on other hours) sees the same contacts too.
    @Test func plansSeeTheSameContacts() throws {
        let inst = try Self.instance()
        var other = inst
        other.agents = inst.agents.enumerated().compactMap { i, a in
            guard i % 2 == 0 else { return nil }
            var b = a
            b.segments = [(120, 900)]
            return b
        }
        let a = Self.outcome(SimModel(inst), PriorityRouting.self, replication: 2)
        let b = Self.outcome(SimModel(other), PriorityRouting.self, replication: 2)
        #expect(a.offered == b.offered)
        #expect(a.answeredWithin != b.answeredWithin)
    }

    /// Paired comparison: a policy against itself differs by exactly 0 (half-width 0); against another, the
    /// comparison runs on the same offered contacts, and its paired half-width is narrower than the unpaired one.
    @Test func pairedComparison() throws {
        let model = SimModel(try Self.instance())
        var o = RunOptions(replications: 8, seed: 5)
        o.keepCells = true
        let runs = ["priority", "weights", "overflow", "priority"].map { Simulator.run(model, policy: $0, options: o)! }
        let c = try PolicyComparison.compare(runs, target: { _ in 0.8 }, minimumOffered: 5)
        let selfRows = c.queues.filter { $0.policy == "priority" && $0.difference != nil }
        #expect(selfRows.count == model.queueCount + 1)
        for row in selfRows { #expect(row.difference == PolicyComparison.Difference(mean: 0, halfWidth: 0), "\(row.queue)") }
        #expect(c.targets[3].difference == PolicyComparison.Difference(mean: 0, halfWidth: 0))
        #expect(c.targets.allSatisfy { $0.counted == c.targets[0].counted } && c.targets[0].counted > 20)
        let w = try #require(c.queues.first { $0.queue == "total" && $0.policy == "weights" })
        let d = try #require(w.difference)
        #expect(d.mean != 0)
        // Paired vs unpaired: the CRN half-width is below the sum of the two runs' own half-widths.
        let p = try #require(c.queues.first { $0.queue == "total" && $0.policy == "priority" && $0.difference == nil })
        #expect(try #require(d.halfWidth) < (p.serviceLevel.halfWidth ?? 0) + (w.serviceLevel.halfWidth ?? 0))
        // Runs on another seed are refused.
        var other = o
        other.seed = 6
        let off = Simulator.run(model, policy: "weights", options: other)!
        #expect(throws: PolicyComparison.Mismatch.self) { try PolicyComparison.compare([runs[0], off], target: { _ in 0.8 }, minimumOffered: 5) }
    }
}
