import Foundation
import Testing
import TestSupport

/// `peakplan simulate` on the bundled ccsim/1 instances: the reference's JSON keys, reproducibility, exit codes.
@Suite struct SimulateCLITests {
    static let demo = CLI.root + "/Datasets/simulation/anonbank_demo_2w.json"

    @Test("--format json prints one object with the reference simulator's keys; the same seed prints the same results")
    func jsonKeysAndReproducible() throws {
        let a = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "2", "--seed", "3", "--format", "json"])
        #expect(a.code == 0, "\(a.err)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(a.out.utf8)) as? [String: Any])
        for key in ["instance", "replications", "seconds", "events", "events_per_second", "queues", "total", "per_replication"] {
            #expect(obj[key] != nil, "missing key \(key)")
        }
        #expect(obj["instance"] as? String == "anonbank_demo_2w" && obj["replications"] as? Int == 2)
        let queues = try #require(obj["queues"] as? [String: [String: Any]])
        #expect(Set(queues.keys) == ["ps", "pe", "in", "ne", "nw", "tt"])
        for (q, v) in queues {
            for key in ["offered", "answered", "abandoned", "sl", "asa_s", "abandon_pct"] { #expect(v[key] != nil, "\(q) lacks \(key)") }
        }
        let per = try #require(obj["per_replication"] as? [String: [String: [Any]]])
        #expect(per["ps"]?["sl"]?.count == 2)
        // Timing fields aside, a second run with the same seed prints the same object.
        let b = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "2", "--seed", "3", "--format", "json"])
        let strip = { (s: String) in s.replacingOccurrences(of: #""seconds": [0-9.]+, "events": ([0-9]+), "events_per_second": [0-9]+"#, with: "$1", options: .regularExpression) }
        #expect(strip(a.out) == strip(b.out))
        let c = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "2", "--seed", "4", "--format", "json"])
        #expect(strip(a.out) != strip(c.out))
    }

    @Test("table and CSV views: per queue with the total, per interval, per agent")
    func views() throws {
        let t = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "1"])
        #expect(t.code == 0 && t.out.contains("Simulation of anonbank_demo_2w") && t.out.contains("\ntotal "))
        let i = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "1", "--by", "interval", "--format", "csv"])
        #expect(i.code == 0)
        #expect(i.out.split(separator: "\n").count == 1 + 6 * 672)
        let a = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "1", "--by", "agent", "--format", "csv"])
        #expect(a.out.hasPrefix("agent,occupancy,occupancy_ci95\n") && a.out.split(separator: "\n").count == 34)
    }

    @Test("bad instance: 65 naming file and field; missing file: 66; bad option: 64")
    func exitCodes() throws {
        let dir = NSTemporaryDirectory() + "peakplan-sim-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bad = dir + "/bad.json"
        try #"{"format": "ccsim/1", "interval_minutes": 30, "intervals": 1, "queues": [{"id": "a", "arrivals_per_interval": [1], "aht_s": 60}], "agents": [{"id": "x", "skills": {"b": 1}, "on": [[0, 30]]}]}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", "--instance", bad])
        #expect(r.code == 65)
        #expect(r.err.contains(bad) && r.err.contains("agents[0].skills.b") && r.err.contains("Fix:"), "\(r.err)")
        #expect(try CLI.run(["simulate", "--instance", dir + "/none.json"]).code == 66)
        #expect(try CLI.run(["simulate", "--instance", Self.demo, "--replications", "0"]).code == 64)
        #expect(try CLI.run(["simulate", "--instance", Self.demo, "--policy", "nope"]).code == 64)
        // --out writes the file atomically and prints nothing.
        let out = dir + "/r.csv"
        let w = try CLI.run(["simulate", "--instance", Self.demo, "--replications", "1", "--format", "csv", "--out", out])
        #expect(w.code == 0 && w.out.isEmpty)
        #expect((try String(contentsOfFile: out, encoding: .utf8)).hasPrefix("queue,offered,answered,abandoned,still_waiting,sl,"))
    }
}
