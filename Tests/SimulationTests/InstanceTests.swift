import Foundation
import Testing
@testable import Simulation

/// Bad instances are refused with the field named and a fix.
@Suite struct InstanceTests {
    static let good = """
    {"format": "ccsim/1", "name": "t", "interval_minutes": 30, "intervals": 2, "sl_threshold_s": 20,
     "queues": [{"id": "a", "arrivals_per_interval": [1, 2], "aht_s": 100, "aht_cv": 1.0, "patience_s": null},
                {"id": "b", "arrivals_per_interval": [0, 3], "aht_s": 50, "aht_dist": "exponential", "patience_s": 60}],
     "agents": [{"id": "x", "skills": {"a": 1, "b": 2}, "on": [[0, 30], [40, 60]]}],
     "replications": 3, "seed": 9}
    """

    func decode(_ s: String) throws(SimInstanceError) -> SimInstance { try SimInstance.decode(Data(s.utf8)) }

    func refused(_ s: String, field: String, saying: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try decode(s)
            Issue.record("accepted a bad instance (expected an error on \(field))", sourceLocation: sourceLocation)
        } catch {
            #expect(error.field == field, "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(saying), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.fix.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func goodInstanceDecodes() throws {
        let i = try decode(Self.good)
        #expect(i.queues.map(\.id) == ["a", "b"] && i.agents.count == 1 && i.replications == 3 && i.seed == 9)
        #expect(i.queues[1].ahtDistribution == .exponential && i.queues[1].patienceSeconds == 60 && i.queues[0].patienceSeconds == nil)
        #expect(i.agents[0].skills.map(\.queue) == ["a", "b"] && i.agents[0].segments.count == 2)
    }

    @Test func bundledInstancesDecode() throws {
        for name in ["erlang_c_check", "erlang_a_check", "anonbank_demo_2w", "synthetic_20q_1w"] {
            let i = try Bundled.instance(name)
            #expect(i.name == name && !i.queues.isEmpty && !i.agents.isEmpty)
        }
        #expect(try Bundled.instance("synthetic_20q_1w").agents.count == 1836)
        // The speed benchmark's large instance (scripts/make-sim-instance): 50 queues, 4 weeks of 30-minute
        // intervals, 1,500 agents on five shifts a week (ten on-queue segments), arrivals only where a primary
        // agent is on duty.
        let big = try Bundled.instance("synthetic_50q_4w")
        #expect(big.queues.count == 50 && big.intervals == 4 * 7 * 48 && big.agents.count == 1500)
        #expect(big.agents.allSatisfy { $0.segments.count == 4 * 5 * 2 && $0.skills.contains { $0.level == 1 } })
        #expect(big.queues.allSatisfy { $0.arrivalsPerInterval.count == big.intervals && $0.arrivalsPerInterval.contains { $0 > 0 } })
    }

    @Test func badInstancesNameTheField() {
        refused(Self.good.replacingOccurrences(of: "ccsim/1", with: "ccsim/2"), field: "format", saying: "unknown format \"ccsim/2\"")
        refused("[1, 2]", field: "", saying: "not a JSON object")
        refused("{\"format\": ", field: "", saying: "not valid JSON")
        refused(Self.good.replacingOccurrences(of: "[1, 2]", with: "[1, -2]"), field: "queues[0].arrivals_per_interval[1]", saying: "-2 is not a number >= 0")
        refused(Self.good.replacingOccurrences(of: "[1, 2]", with: "[1, 2, 3]"), field: "queues[0].arrivals_per_interval", saying: "3 values for 2 intervals")
        refused(Self.good.replacingOccurrences(of: "\"aht_s\": 100", with: "\"aht_s\": -5"), field: "queues[0].aht_s", saying: "not positive")
        refused(Self.good.replacingOccurrences(of: "\"aht_s\": 100", with: "\"aht_s\": \"long\""), field: "queues[0].aht_s", saying: "not a finite number")
        refused(Self.good.replacingOccurrences(of: "\"aht_cv\": 1.0", with: "\"aht_cv\": -1"), field: "queues[0].aht_cv", saying: "negative")
        refused(Self.good.replacingOccurrences(of: "\"exponential\"", with: "\"gamma\""), field: "queues[1].aht_dist", saying: "unknown distribution")
        refused(Self.good.replacingOccurrences(of: "\"patience_s\": 60", with: "\"patience_s\": -60"), field: "queues[1].patience_s", saying: "not a number > 0")
        refused(Self.good.replacingOccurrences(of: "{\"a\": 1, \"b\": 2}", with: "{\"a\": 1, \"zz\": 2}"), field: "agents[0].skills.zz", saying: "not a queue of the instance")
        refused(Self.good.replacingOccurrences(of: "{\"a\": 1, \"b\": 2}", with: "{\"a\": 0}"), field: "agents[0].skills.a", saying: "not an integer >= 1")
        refused(Self.good.replacingOccurrences(of: "[[0, 30], [40, 60]]", with: "[[0, 30], [20, 60]]"), field: "agents[0].on[1]", saying: "overlap or are not sorted")
        refused(Self.good.replacingOccurrences(of: "[[0, 30], [40, 60]]", with: "[[40, 60], [0, 30]]"), field: "agents[0].on[1]", saying: "overlap or are not sorted")
        refused(Self.good.replacingOccurrences(of: "[[0, 30], [40, 60]]", with: "[[30, 30]]"), field: "agents[0].on[0]", saying: "empty or starts before 0")
        refused(Self.good.replacingOccurrences(of: "[[0, 30], [40, 60]]", with: "[[0]]"), field: "agents[0].on[0]", saying: "not a pair of numbers")
        refused(Self.good.replacingOccurrences(of: "\"id\": \"b\"", with: "\"id\": \"a\""), field: "queues[1].id", saying: "listed twice")
        refused(Self.good.replacingOccurrences(of: "\"intervals\": 2", with: "\"intervals\": 0"), field: "intervals", saying: "0 intervals")
        refused(Self.good.replacingOccurrences(of: "\"interval_minutes\": 30,", with: ""), field: "interval_minutes", saying: "missing")
        refused(Self.good.replacingOccurrences(of: "\"seed\": 9", with: "\"seed\": 1.5"), field: "seed", saying: "not an integer")
        refused(Self.good.replacingOccurrences(of: "\"replications\": 3", with: "\"replications\": 0"), field: "replications", saying: "0 replications")
    }
}
