import Foundation
import Testing
@testable import Staffing

@Suite struct BadInputTests {
    @Test("bad loads are refused with a message naming the input",
          arguments: [(-1.0, 1800.0, 180.0, nil as Double?, "arrivals per interval must be a finite number >= 0 (got -1)"),
                      (.nan, 1800, 180, nil, "arrivals per interval must be a finite number >= 0 (got nan)"),
                      (.infinity, 1800, 180, nil, "arrivals per interval must be a finite number >= 0 (got inf)"),
                      (100, 1800, 0, nil, "AHT seconds must be a finite number > 0 (a handle time of 0 means no work) (got 0)"),
                      (100, 1800, .nan, nil, "AHT seconds must be a finite number > 0 (a handle time of 0 means no work) (got nan)"),
                      (100, 0, 180, nil, "interval seconds must be a finite number > 0 (got 0)"),
                      (100, 1800, 180, -5, "patience seconds must be >= 0 (use no patience, or inf, for infinitely patient callers) (got -5)"),
                      (100, 1800, 180, .nan, "patience seconds must be >= 0 (use no patience, or inf, for infinitely patient callers) (got nan)")])
    func badLoad(_ arrivals: Double, _ interval: Double, _ aht: Double, _ patience: Double?, _ message: String) {
        #expect { _ = try QueueLoad(arrivals: arrivals, intervalSeconds: interval, ahtSeconds: aht, patienceSeconds: patience) } throws: { error in
            (error as? StaffingError)?.description == message
        }
    }

    @Test("targets outside (0, 1] and T < 0 are refused",
          arguments: [(0.0, 20.0, nil as Double?, nil as Double?, nil as Double?, "service level target"),
                      (1.2, 20, nil, nil, nil, "service level target"),
                      (.nan, 20, nil, nil, nil, "service level target"),
                      (-0.1, 20, nil, nil, nil, "service level target"),
                      (0.8, -1, nil, nil, nil, "service level time T"),
                      (0.8, .nan, nil, nil, nil, "service level time T"),
                      (0.8, 20, 0, nil, nil, "maximum ASA"),
                      (0.8, 20, -3, nil, nil, "maximum ASA"),
                      (0.8, 20, nil, 0, nil, "maximum abandonment rate"),
                      (0.8, 20, nil, 1.5, nil, "maximum abandonment rate"),
                      (0.8, 20, nil, nil, 0, "maximum occupancy"),
                      (0.8, 20, nil, nil, 1.01, "maximum occupancy")])
    func badTargets(_ sl: Double, _ t: Double, _ asa: Double?, _ ab: Double?, _ occ: Double?, _ field: String) {
        #expect { _ = try StaffingTargets(serviceLevel: sl, serviceSeconds: t, maxASASeconds: asa, maxAbandon: ab, maxOccupancy: occ) } throws: { error in
            guard let e = error as? StaffingError, case .invalidInput(let f, _, _) = e else { return false }
            return f.hasPrefix(field)
        }
        // Exactly 1 is allowed for the fractions.
        #expect(throws: Never.self) { _ = try StaffingTargets(serviceLevel: 1, maxAbandon: 1, maxOccupancy: 1) }
    }

    @Test func erlangCAtOrBelowTheLoadExplainsAndSuggestsErlangA() throws {
        let q = try load(100)  // A = 10
        for n in [8, 10] {
            #expect { _ = try QueueModel.erlangC.metrics(q, agents: n, serviceSeconds: 20) } throws: { error in
                guard let e = error as? StaffingError, case .unstable(10, Double(n)) = e else { return false }
                return e.description.contains("no finite staffing below the load exists") && e.description.contains("Erlang A")
            }
        }
        #expect(throws: StaffingError.unstable(load: 10, agents: 9.5)) { _ = try ErlangC.probWait(agents: 9.5, load: 10) }
        // Erlang A has an answer there.
        #expect(throws: Never.self) { _ = try QueueModel.erlangA.metrics(load(100, patience: 60), agents: 8, serviceSeconds: 20) }
    }

    @Test func modelAndTargetMismatches() throws {
        let t = try StaffingTargets(maxAbandon: 0.05)
        #expect { _ = try StaffSolver.solve(.erlangC, load: load(100), targets: t) } throws: { error in
            guard let e = error as? StaffingError, case .targetNotModelled(_, .erlangC, _) = e else { return false }
            return e.description.contains("Erlang A")
        }
        #expect { _ = try StaffSolver.solve(.erlangA, load: load(100), targets: t) } throws: { error in
            guard let e = error as? StaffingError, case .targetNotModelled(_, .erlangA, _) = e else { return false }
            return e.description.contains("patience")
        }
        #expect(throws: StaffingError.noTarget) { _ = try StaffSolver.solve(.erlangC, load: load(100), targets: StaffingTargets()) }
        #expect(throws: StaffingError.self) { _ = try QueueModel.erlangC.metrics(load(100), agents: -1, serviceSeconds: 20) }
        #expect(throws: StaffingError.self) { _ = try QueueModel.erlangC.metrics(load(100), agents: 20, serviceSeconds: -1) }
        #expect(throws: StaffingError.self) { _ = try QueueModel.erlangB.metrics(load(100), agents: .nan, serviceSeconds: 20) }
    }

    @Test func badTablesAndSeries() throws {
        let q = try load(100)
        #expect(throws: StaffingError.self) { _ = try ChatQueue(load: q, concurrencyFactors: []) }
        #expect(throws: StaffingError.self) { _ = try ChatQueue(load: q, concurrencyFactors: [1, .nan]) }
        #expect(throws: StaffingError.self) { _ = try ChatQueue(load: q, concurrencyFactors: [1, 0]) }
        let chat = try ChatQueue(load: q, concurrencyFactors: [1, 1.3])
        #expect(throws: StaffingError.self) { _ = try ChatStaffing.metrics(chat, agents: 10, concurrency: 3, serviceSeconds: 20) }
        #expect(throws: StaffingError.self) { _ = try DeadlineWork(workload: [1, 2], window: 0) }
        #expect(throws: StaffingError.self) { _ = try DeadlineWork(workload: [1, -2], window: 2) }
        #expect(throws: StaffingError.self) { _ = try DeadlineWork(workload: [1, .nan], window: 2) }
        #expect(throws: StaffingError.self) { _ = try DeadlineWork(workload: [1, 2], window: 2, open: [true]) }
        #expect(throws: StaffingError.self) { _ = try Shrinkage(planned: 1, unplanned: 0) }
        #expect(throws: StaffingError.self) { _ = try Shrinkage(planned: 0.2, unplanned: -0.1) }
        #expect(throws: StaffingError.self) { _ = try Shrinkage(planned: .nan, unplanned: 0) }
        #expect { _ = try QuantileForecast(levels: [0.5, 0.8], arrivals: [100, 90]) } throws: { error in
            (error as? StaffingError)?.description.contains("quantiles cross") == true
        }
        #expect(throws: StaffingError.self) { _ = try QuantileForecast(levels: [0.8, 0.5], arrivals: [100, 120]) }
        #expect(throws: StaffingError.self) { _ = try QuantileForecast(levels: [0, 0.5], arrivals: [100, 120]) }
        let f = try QuantileForecast(levels: [0.5, 0.8], arrivals: [100, 120])
        #expect(throws: StaffingError.self) { _ = try f.arrivals(at: 0.95) }
    }

    @Test func unreachableTargetSaysSo() throws {
        // An occupancy target that the search limit cannot reach is reported, never answered with a sentinel.
        #expect { _ = try StaffSolver.monotoneSearch(lower: 1, guess: 5, limit: 10, targets: StaffingTargets(serviceLevel: 0.9),
                                                     evaluate: { n in idleMetrics(.erlangA, agents: Double(n), serviceSeconds: 20).with(serviceLevel: 0.5) }) }
            throws: { error in
                guard let e = error as? StaffingError, case .targetUnreachable(_, 10) = e else { return false }
                return e.description.contains("no staffing up to 10 agents meets service level 90% within 20 s")
            }
    }
}

extension QueueMetrics {
    func with(serviceLevel s: Double) -> QueueMetrics { var m = self; m.serviceLevel = s; return m }
}
