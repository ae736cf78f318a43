import Foundation
import PropertyBased
import Testing
@testable import Staffing

@Suite struct SolverTests {
    /// The solver's answer n meets the targets, n - 1 does not, and (full scan) no smaller n does either.
    @Test func solverReturnsTheMinimalStaffing() async {
        await propertyCheck(input: Gen.double(in: 0.05...400), Gen.double(in: 20...900), Gen.double(in: 5...900),
                            Gen.double(in: 0.3...0.97), Gen.double(in: 0...90), Gen.int(in: 0...15)) { a, aht, patience, sl, t, mask in
            let targets = try StaffingTargets(serviceLevel: mask & 1 != 0 || mask == 0 ? sl : nil, serviceSeconds: t,
                                              maxASASeconds: mask & 2 != 0 ? 5 + t : nil,
                                              maxAbandon: mask & 4 != 0 ? 0.02 + (1 - sl) / 4 : nil,
                                              maxOccupancy: mask & 8 != 0 ? 0.6 + sl / 3 : nil)
            let arrivals = a * 1800 / aht
            for model in QueueModel.allCases {
                if model == .erlangC && targets.maxAbandon != nil { continue }
                let q = try load(arrivals, aht: aht, patience: model == .erlangA ? patience : nil)
                let s = try StaffSolver.solve(model, load: q, targets: targets)
                let at = try model.metrics(q, agents: s.agents, serviceSeconds: t)
                #expect(targets.isMet(by: at) && at == s.metrics, "\(model) n \(s.agents) does not meet \(targets.summary)")
                let first = model == .erlangC ? Int(q.offeredLoad.rounded(.down)) + 1 : 1
                for n in stride(from: s.agents - 1, through: first, by: -1) {
                    let m = try model.metrics(q, agents: n, serviceSeconds: t)
                    #expect(!targets.isMet(by: m), "\(model): \(n) agents already meet \(targets.summary) but the solver said \(s.agents) (A \(q.offeredLoad))")
                }
            }
        }
    }

    @Test func fractionalRequirementLiesJustBelowTheWholeOne() async {
        await propertyCheck(input: Gen.double(in: 0.2...2000), Gen.double(in: 0.5...0.95), Gen.double(in: 60...600)) { a, sl, patience in
            let targets = try StaffingTargets(serviceLevel: sl, serviceSeconds: 20)
            for model in QueueModel.allCases {
                let q = try load(a * 10, patience: model == .erlangA ? patience : nil)
                let f = try StaffSolver.solveFractional(model, load: q, targets: targets)
                #expect(f.agents > Double(f.wholeAgents - 1) && f.agents <= Double(f.wholeAgents))
                #expect(targets.isMet(by: f.metrics) && f.metrics.agents == f.agents)
                // A hair below the answer fails (for Erlang C only while still above the load).
                let x = f.agents - 1e-6 * max(1, f.agents)
                if model != .erlangC || x > q.offeredLoad {
                    let below = try model.metrics(q, agents: x, serviceSeconds: 20)
                    #expect(!targets.isMet(by: below), "\(model): \(x) agents already meet the target, fractional answer \(f.agents)")
                }
            }
        }
    }

    @Test func knownRequirements() throws {
        // Call Centre Helper worked example: 100 calls / 30 min, AHT 180 s, 80% in 20 s -> 13 agents (SL 0.7956 at 13?
        // no: 0.7956 < 0.8, so 14 agents, SL 0.8884).
        let q = try load(100)
        let s = try StaffSolver.solve(.erlangC, load: q, targets: StaffingTargets(serviceLevel: 0.8, serviceSeconds: 20))
        #expect(s.agents == 14 && abs(s.metrics.serviceLevel - 0.8883500192) < 1e-9)
        // Occupancy cap: A = 10 Erlangs at <= 80% needs 13 agents (10/12.5 rounds up), not 12.
        let o = try StaffSolver.solve(.erlangC, load: q, targets: StaffingTargets(maxOccupancy: 0.8))
        #expect(o.agents == 13)
        // Exactly at the cap counts as met: A = 8 at <= 80% is 10 agents.
        #expect(try StaffSolver.solve(.erlangC, load: load(80), targets: StaffingTargets(maxOccupancy: 0.8)).agents == 10)
        // Nothing arrives: nobody is needed.
        #expect(try StaffSolver.solve(.erlangA, load: load(0, patience: 60), targets: StaffingTargets(serviceLevel: 0.8)).agents == 0)
        // Erlang A needs fewer than Erlang C for the same service level when callers abandon.
        let a = try StaffSolver.solve(.erlangA, load: load(100, patience: 60), targets: StaffingTargets(serviceLevel: 0.8))
        #expect(a.agents <= s.agents)
        // Fractional Erlang C requirement for the example: between 13 and 14.
        let f = try StaffSolver.solveFractional(.erlangC, load: q, targets: StaffingTargets(serviceLevel: 0.8, serviceSeconds: 20))
        #expect(f.agents > 13 && f.agents < 14 && abs(f.metrics.serviceLevel - 0.8) < 1e-8)
    }

    @Test func solverScalesTo100kAgents() throws {
        let q = try load(600_000 * 1.0, aht: 300)  // A = 100,000 Erlangs
        let s = try StaffSolver.solve(.erlangC, load: q, targets: StaffingTargets(serviceLevel: 0.9, serviceSeconds: 20))
        #expect(s.agents > 100_000 && s.agents < 100_200)
        let a = try StaffSolver.solve(.erlangA, load: load(600_000, aht: 300, patience: 120), targets: StaffingTargets(serviceLevel: 0.9, serviceSeconds: 20))
        // At this scale Erlang A's answer sits on the bound n >= SL * A: with 90,000 agents 10% of callers abandon,
        // but the served ones wait about ln(1/0.9) * 120 s = 12.6 s < 20 s, so the service level is 0.9 - 1e-13.
        #expect(a.agents <= s.agents && a.agents >= 90_000, "Erlang A: \(a.agents)")
        #expect(try !StaffingTargets(serviceLevel: 0.9, serviceSeconds: 20).isMet(by: QueueModel.erlangA.metrics(load(600_000, aht: 300, patience: 120), agents: a.agents - 1, serviceSeconds: 20)))
    }

    @Test func quantileStaffing() throws {
        let f = try QuantileForecast(levels: [0.1, 0.5, 0.8, 0.9], arrivals: [80, 100, 115, 125])
        #expect(try f.arrivals(at: 0.5) == 100 && abs(f.arrivals(at: 0.65) - 107.5) < 1e-12 && f.arrivals(at: 0.9) == 125)
        let base = try load(100, patience: 120)
        let t = try StaffingTargets(serviceLevel: 0.8, serviceSeconds: 20)
        let p50 = try QuantileStaffing.solve(.erlangA, load: base, forecast: f, level: 0.5, targets: t)
        let p80 = try QuantileStaffing.solve(.erlangA, load: base, forecast: f, level: 0.8, targets: t)
        let direct = try StaffSolver.solve(.erlangA, load: base.with(arrivals: 115), targets: t)
        #expect(p80.agents >= p50.agents && p80.agents == direct.agents)
    }
}
