import Foundation
import PlanningCore
import Testing
@testable import Simulation

/// The `weights` policy: the routing table decides which groups take a queue's contacts, and how they split.
@Suite struct WeightRoutingTests {
    static func agents(_ group: String, _ n: Int, skills: [(queue: String, level: Int)], minutes: Double) -> [SimInstance.AgentSpec] {
        (0..<n).map { SimInstance.AgentSpec(id: "\(group)\($0)", skills: skills, segments: [(0, minutes)], group: group) }
    }

    static func run(_ inst: SimInstance, replications: Int = 3) -> SimulationResult {
        var o = RunOptions(replications: replications, seed: 11)
        o.trace = true
        return Simulator.run(SimModel(inst), policy: WeightRouting.self, options: o)
    }

    /// Interval 0 names only group A for the queue, interval 1 only group B: every service starting in interval 0
    /// is by an A agent, every one in interval 1 by a B agent, though both groups have the skill and are on shift.
    @Test func onlyTheNamedGroupsServe() {
        let q = SimInstance.QueueSpec(id: "q", arrivalsPerInterval: [120, 120], ahtSeconds: 120, patienceSeconds: 600)
        var inst = SimInstance(
            name: "strict", intervalMinutes: 30, intervals: 2, queues: [q],
            agents: Self.agents("A", 3, skills: [("q", 1)], minutes: 60) + Self.agents("B", 3, skills: [("q", 1)], minutes: 60))
        inst.routing = [
            RoutingRow(interval: 0, queue: "q", group: "A", weight: 1, plannedAgents: 3),
            RoutingRow(interval: 1, queue: "q", group: "B", weight: 1, plannedAgents: 3)
        ]
        let r = Self.run(inst)
        let services = r.trace.map(\.record)
        #expect(services.contains { $0.start < 1800 } && services.contains { $0.start >= 1800 })
        for s in services {
            let group = inst.agents[s.agent].group!
            #expect(group == (s.start < 1800 ? "A" : "B"), "service at \(s.start) s by \(inst.agents[s.agent].id)")
        }
        // Contacts still waiting at the boundary are taken by B when it starts (B was idle until then).
        #expect(services.contains { abs($0.start - 1800) < 1e-9 && $0.arrival < 1800 })
    }

    /// With agents of both groups always idle, each interval's contacts split by the weights within one contact
    /// (deficit round robin): |taken by g - w_g x contacts| < 1.
    @Test func splitFollowsTheWeights() {
        let q = SimInstance.QueueSpec(id: "q", arrivalsPerInterval: [40, 40, 40, 40], ahtSeconds: 30, ahtCV: 0)
        var inst = SimInstance(
            name: "split", intervalMinutes: 30, intervals: 4, queues: [q],
            agents: Self.agents("A", 10, skills: [("q", 1)], minutes: 240) + Self.agents("B", 10, skills: [("q", 1)], minutes: 240))
        let w: [Double] = [0.75, 0.5, 0.2, 1]
        inst.routing = (0..<4).flatMap { t in
            [
                RoutingRow(interval: t, queue: "q", group: "A", weight: w[t], plannedAgents: 10 * w[t]),
                RoutingRow(interval: t, queue: "q", group: "B", weight: 1 - w[t], plannedAgents: 10 * (1 - w[t]))
            ].filter { $0.weight > 0 }
        }
        let r = Self.run(inst, replications: 4)
        for rep in 0..<4 {
            let s = r.trace.filter { $0.replication == rep }.map(\.record)
            for t in 0..<4 {
                let mine = s.filter { Int($0.start / 1800) == t }
                let byA = mine.filter { inst.agents[$0.agent].group == "A" }.count
                #expect(mine.allSatisfy { $0.start == $0.arrival }, "nobody waits with idle agents")
                #expect(abs(Double(byA) - w[t] * Double(mine.count)) < 1, "rep \(rep) interval \(t): A took \(byA) of \(mine.count), weight \(w[t])")
            }
        }
    }

    /// A fallback row gives the queue to its group alone; a queue-interval without rows is open to every agent
    /// with the skill.
    @Test func fallbackAndOpenIntervals() {
        let q = SimInstance.QueueSpec(id: "q", arrivalsPerInterval: [30, 30], ahtSeconds: 60)
        var inst = SimInstance(
            name: "fallback", intervalMinutes: 30, intervals: 2, queues: [q],
            agents: Self.agents("A", 4, skills: [("q", 1)], minutes: 60) + Self.agents("B", 4, skills: [("q", 2)], minutes: 60))
        inst.routing = [RoutingRow(interval: 0, queue: "q", group: "B", weight: 0, plannedAgents: 0, fallback: true)]
        let r = Self.run(inst, replications: 4)
        let services = r.trace.map(\.record)
        for s in services where s.start < 1800 { #expect(inst.agents[s.agent].group == "B") }
        // Interval 1 is open: both groups serve (longest idle first).
        let late = Set(services.filter { $0.start >= 1800 }.map { inst.agents[$0.agent].group! })
        #expect(late == ["A", "B"])
    }

    /// The routing table and groups read from ccsim/1 (optional keys), with errors naming the field.
    @Test func readsRoutingFromJSON() throws {
        let doc = """
            {"format": "ccsim/1", "interval_minutes": 30, "intervals": 2,
             "queues": [{"id": "q", "arrivals_per_interval": [1, 2], "aht_s": 100}],
             "agents": [{"id": "a", "skills": {"q": 1}, "on": [[0, 60]], "group": "G"}],
             "routing": [{"interval": 1, "queue": "q", "group": "G", "weight": 1, "planned_agents": 1},
                         {"interval": 0, "queue": "q", "group": "G", "fallback": true}]}
            """
        let inst = try SimInstance.decode(Data(doc.utf8))
        #expect(inst.agents[0].group == "G")
        #expect(
            inst.routing == [
                RoutingRow(interval: 1, queue: "q", group: "G", weight: 1, plannedAgents: 1),
                RoutingRow(interval: 0, queue: "q", group: "G", weight: 0, plannedAgents: 0, fallback: true)
            ])
        let bad = doc.replacingOccurrences(of: "\"interval\": 1,", with: "\"interval\": 5,")
        #expect(throws: SimInstanceError.self) { try SimInstance.decode(Data(bad.utf8)) }
        do { _ = try SimInstance.decode(Data(bad.utf8)) } catch { #expect(error.field == "routing[0].interval") }
        let table = SimModel(inst).weights
        #expect(table.groupNames == ["G"] && table.open == [false, false])
        #expect(table.entryWeight == [1, 1] && table.entryShare == [0, 1])
    }
}
