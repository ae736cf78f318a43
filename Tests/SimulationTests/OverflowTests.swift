import Foundation
import PlanningCore
import Testing
@testable import Simulation

/// The delay-based overflow policy (`OverflowRouting`); the shared properties run over it in `PropertyTests`.
@Suite struct OverflowTests {
    static func run(_ inst: SimInstance, delay: Double, replications: Int = 2, seed: UInt64 = 3) -> SimulationResult {
        var o = RunOptions(replications: replications, seed: seed, trace: true)
        o.routing.overflowDelaySeconds = delay
        return Simulator.run(SimModel(inst), policy: OverflowRouting.self, options: o)
    }

    /// An agent serving a queue below its best level starts a contact only once it has waited the delay.
    @Test func secondaryAgentsWaitForTheDelay() {
        var g = SplitMix64(seed: 404)
        for k in 0 ..< 40 {
            let inst = randomInstance(&g, agents: 1 ... 6)
            let delay = [0.0, 15, 60, 300][k % 4]
            let r = Self.run(inst, delay: delay, seed: UInt64(k))
            for (_, s) in r.trace {
                let ag = inst.agents[s.agent]
                let best = ag.skills.map(\.level).min()!
                let level = ag.skills.first { $0.queue == inst.queues[s.queue].id }!.level
                if level > best {
                    #expect(s.start - s.arrival >= delay - 1e-9, "case \(k): \(ag.id) took \(inst.queues[s.queue].id) after \(s.start - s.arrival) s < \(delay) s")
                }
            }
        }
    }

    /// One queue served only by one secondary agent (its own skill's queue has no contacts), on shift all day,
    /// nobody abandons: the agent must start contact i at max(arrival_i + delay, end of contact i - 1) exactly,
    /// which checks the wake-ups (a contact waits no longer than the delay while the agent is idle).
    @Test func wakeUpsServeAtTheDelay() {
        let q = SimInstance.QueueSpec(id: "q", arrivalsPerInterval: [6, 6, 6, 6], ahtSeconds: 120)
        let home = SimInstance.QueueSpec(id: "home", arrivalsPerInterval: [0, 0, 0, 0], ahtSeconds: 120)
        let inst = SimInstance(name: "wake", intervalMinutes: 30, intervals: 4, queues: [q, home],
                               agents: [SimInstance.AgentSpec(id: "helper", skills: [("home", 1), ("q", 2)], segments: [(0, 600)])])
        let r = Self.run(inst, delay: 45, replications: 3)
        for rep in 0 ..< 3 {
            let s = r.trace.filter { $0.replication == rep }.map(\.record)
            #expect(s.count == r.perReplication[0][rep].offered && s.count > 5)
            var free = 0.0
            for x in s {
                #expect(abs(x.start - max(x.arrival + 45, free)) < 1e-9, "rep \(rep): started at \(x.start), arrival \(x.arrival), agent free at \(free)")
                free = x.end
            }
        }
    }

    /// With a delay longer than the run, secondary agents never serve, and the own agents serve as under
    /// `priority` restricted to best-level skills.
    @Test func endlessDelayKeepsSecondaryAgentsOut() {
        var g = SplitMix64(seed: 505)
        for k in 0 ..< 20 {
            let inst = randomInstance(&g, agents: 1 ... 6)
            let r = Self.run(inst, delay: 1e9, seed: UInt64(k))
            for (_, s) in r.trace {
                let ag = inst.agents[s.agent]
                #expect(ag.skills.first { $0.queue == inst.queues[s.queue].id }!.level == ag.skills.map(\.level).min()!)
            }
        }
    }

    /// Common random numbers: under any policy the same seed offers the same contacts (arrival streams per
    /// queue), so per-interval offered counts are identical and only routing differs.
    @Test func policiesShareArrivals() throws {
        let inst = Bundled.truncated(try Bundled.instance("anonbank_demo_2w"), intervals: 96)
        let model = SimModel(inst)
        let runs = RoutingPolicies.all.map { $0.run(model, RunOptions(replications: 2, seed: 11)) }
        for r in runs.dropFirst() {
            #expect(r.offered == runs[0].offered)
        }
        #expect(runs.count >= 2 && runs[1].answeredWithin != runs[0].answeredWithin || runs[1].waitSum != runs[0].waitSum)
    }
}
