import Foundation
import Testing
@testable import Simulation
import Staffing

/// Single-queue, single-skill cases converge to the closed forms (issue 16, "validated on theory").
///
/// Tolerance. Each replication is a long run of a stationary M/M/n (+M) queue started empty; the start-up bias
/// (the queue reaches steady state within minutes, over days of arrivals) is below 1e-4 in service level. So the
/// R per-replication values are independent estimates of the steady-state value with a standard error SE that
/// the replications themselves measure. We accept |mean - theory| <= 4 SE: a correct engine fails this with
/// probability below 1e-3 for a fresh seed (and the seed is fixed, so the test is deterministic), while an
/// error that moves the result by a few standard errors (about 0.005 in SL, 0.3 s in ASA with the figures
/// below) fails it. The runs are cut to 3 days x 4 replications (about 57,000 calls) so the test stays
/// under a few seconds in a debug build.
@Suite struct TheoryTests {
    static func run(_ name: String, days: Int, replications: Int) throws -> SimulationResult {
        let inst = Bundled.truncated(try Bundled.instance(name), intervals: days * 48)
        return Simulator.run(SimModel(inst), policy: PriorityRouting.self, options: RunOptions(replications: replications, seed: 2026))
    }

    static func check(_ label: String, _ values: [Double], theory: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        let (mean, sd) = Stats.meanSD(values)!
        let se = sd! / Double(values.count).squareRoot()
        #expect(se > 0, "\(label): no spread between replications", sourceLocation: sourceLocation)
        #expect(abs(mean - theory) <= 4 * se, "\(label): simulated \(mean) (SE \(se)) vs theory \(theory): \(abs(mean - theory) / se) SE apart", sourceLocation: sourceLocation)
    }

    /// erlang_c_check: 100 calls / 30 min, AHT 180 s exponential, 14 agents, nobody abandons.
    /// Erlang C (Staffing.ErlangC): SL(20 s) 0.88835, ASA 7.84 s (the reference README's figures too).
    @Test func erlangCConverges() throws {
        let r = try Self.run("erlang_c_check", days: 3, replications: 4)
        let load = try QueueLoad(arrivals: 100, intervalSeconds: 1800, ahtSeconds: 180)
        let m = try ErlangC.metrics(load, agents: 14, serviceSeconds: 20)
        #expect(abs(m.serviceLevel - 0.88835) < 1e-4 && abs(m.asaSeconds - 7.84) < 0.01, "Erlang C reference values moved: \(m)")
        let reps = r.perReplication[0]
        Self.check("Erlang C service level", reps.compactMap(\.serviceLevel), theory: m.serviceLevel)
        Self.check("Erlang C ASA", reps.compactMap(\.asaSeconds), theory: m.asaSeconds)
        #expect(reps.allSatisfy { $0.abandoned == 0 })
    }

    /// erlang_a_check: the same with exponential patience 60 s. Erlang A (Staffing.ErlangA): service level
    /// (abandoners never answered in time) and P(abandon). ASA is not compared: Erlang A's ASA averages over all
    /// arrivals (abandoners with their time to abandon), the simulator's over the answered only.
    @Test func erlangAConverges() throws {
        let r = try Self.run("erlang_a_check", days: 3, replications: 4)
        let load = try QueueLoad(arrivals: 100, intervalSeconds: 1800, ahtSeconds: 180, patienceSeconds: 60)
        let m = try ErlangA.metrics(load, agents: 14, serviceSeconds: 20)
        let reps = r.perReplication[0]
        Self.check("Erlang A service level", reps.compactMap(\.serviceLevel), theory: m.serviceLevel)
        Self.check("Erlang A abandonment", reps.compactMap(\.abandonPercent), theory: 100 * m.probAbandon!)
    }

    /// The mean handle time and its CV come out as asked (lognormal CV 1.5 and exponential), over 200,000 draws:
    /// |mean/AHT - 1| < 4 x CV / sqrt(n) (4 standard errors).
    @Test func handleTimeDistributions() {
        for (dist, cv) in [(SimInstance.HandleTimeDistribution.lognormal, 1.5), (.exponential, 1.0), (.lognormal, 0.5)] {
            let q = SimInstance.QueueSpec(id: "q", arrivalsPerInterval: [1], ahtSeconds: 200, ahtCV: cv, ahtDistribution: dist)
            var e = Engine<PriorityRouting>(model: SimModel(SimInstance(name: "", intervalMinutes: 30, intervals: 1, queues: [q], agents: [])), trace: false)
            defer { e.free() }
            e.handleRng.initialize(to: Xoshiro256StarStar(seed: 11))
            let n = 200_000
            var s = 0.0, s2 = 0.0
            for _ in 0 ..< n { let x = e.drawHandle(0); s += x; s2 += x * x }
            let mean = s / Double(n), sd = (s2 / Double(n) - mean * mean).squareRoot()
            #expect(abs(mean / 200 - 1) < 4 * cv / Double(n).squareRoot(), "\(dist) cv \(cv): mean \(mean)")
            #expect(abs(sd / mean - cv) < 0.05 * cv, "\(dist) cv \(cv): sample CV \(sd / mean)")
        }
    }
}
