import Foundation
import PlanningCore
@testable import Simulation

/// Instances bundled in `Datasets/simulation/` (copied from the reference simulator's folder; the tests read only this repository).
enum Bundled {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let datasets = root.appendingPathComponent("Datasets/simulation")
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func instance(_ name: String) throws -> SimInstance {
        try SimInstance.decode(Data(contentsOf: datasets.appendingPathComponent(name + ".json")))
    }

    /// The instance cut to its first `intervals` intervals (segments clipped to the shorter horizon).
    static func truncated(_ inst: SimInstance, intervals: Int) -> SimInstance {
        var x = inst
        x.intervals = intervals
        let endMinute = Double(intervals) * inst.intervalMinutes
        for q in x.queues.indices { x.queues[q].arrivalsPerInterval = Array(inst.queues[q].arrivalsPerInterval.prefix(intervals)) }
        for a in x.agents.indices {
            x.agents[a].segments = inst.agents[a].segments.compactMap { $0.start < endMinute ? ($0.start, min($0.end, endMinute)) : nil }
        }
        return x
    }
}

/// A random small instance: 1-3 queues, 0-6 agents with 1-3 skills at levels 1-3, 1-3 segments each, some
/// queues without patience; 8-16 intervals of 30 minutes with busy and empty intervals.
func randomInstance(_ g: inout SplitMix64, agents: ClosedRange<Int> = 0 ... 6) -> SimInstance {
    let nq = g.int(1 ... 3), t = g.int(8 ... 16)
    var queues: [SimInstance.QueueSpec] = []
    for q in 0 ..< nq {
        let rates = (0 ..< t).map { _ in g.uniform() < 0.2 ? 0 : Double(g.int(1 ... 40)) }
        queues.append(SimInstance.QueueSpec(id: "q\(q)", arrivalsPerInterval: rates, ahtSeconds: Double(g.int(60 ... 400)),
                                            ahtCV: [0, 0.5, 1, 1.5][g.int(0 ... 3)], ahtDistribution: g.uniform() < 0.3 ? .exponential : .lognormal,
                                            patienceSeconds: g.uniform() < 0.3 ? nil : Double(g.int(20 ... 300))))
    }
    var list: [SimInstance.AgentSpec] = []
    for a in 0 ..< g.int(agents) {
        var skills: [(queue: String, level: Int)] = []
        for q in 0 ..< nq where g.uniform() < 0.6 || (q == nq - 1 && skills.isEmpty) { skills.append(("q\(q)", g.int(1 ... 3))) }
        var segs: [(start: Double, end: Double)] = []
        var m = Double(g.int(0 ... 120))
        for _ in 0 ..< g.int(1 ... 3) {
            let len = Double(g.int(30 ... 240))
            segs.append((m, m + len))
            m += len + Double(g.int(0 ... 60))
        }
        list.append(SimInstance.AgentSpec(id: "a\(a)", skills: skills, segments: segs))
    }
    return SimInstance(name: "random", intervalMinutes: 30, intervals: t, queues: queues, agents: list, replications: 2, seed: 7)
}
