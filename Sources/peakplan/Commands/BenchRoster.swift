import ArgumentParser
import Foundation
import PlanningCore
import Reports
import Rostering

struct RosterBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Roster N generated agents over W weeks; prints seconds, hard violations, shortfall, fairness, preferences.",
        discussion: """
        Deterministic generated case (seeded): N agents, W weeks, 30-minute intervals, 6 queues with the shape of
        the bundled Datasets/anonbank-calls-1999/types-30min.csv (mean volume per weekday and half hour, scaled to
        N agents), mixed contracts (full_time, part_time, flex), about 10% of agent-days time off.
        Example:
          peakplan bench roster --agents 500 --weeks 4
          peakplan bench roster --agents 100 --weeks 4 --format json
        """
    )
    @Option(help: "Agents to generate.") var agents: Int = 500
    @Option(help: "Weeks (1-6).") var weeks: Int = 4
    @Option(help: "Seed of the generator and the engine.") var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Seconds for the improvement phase.", valueName: "seconds")) var timeLimit: Double = 30
    @Option(help: ArgumentHelp("Interval data giving the requirement's shape.", valueName: "file.csv")) var data: String = "Datasets/anonbank-calls-1999/types-30min.csv"
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard agents >= 1 && agents <= 20_000 else { throw ValidationError("--agents must be 1-20000") }
        guard (1...6).contains(weeks) else { throw ValidationError("--weeks must be 1-6") }
    }

    /// Mean volume per channel and (weekday x 48 + half hour), channels in first-seen order.
    static func profile(_ path: String) -> (channels: [String], profile: [[Double]])? {
        guard let d = FileManager.default.contents(atPath: path), let text = String(data: d, encoding: .utf8) else { return nil }
        var names: [String] = [], sum: [[Double]] = [], count: [[Double]] = []
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count >= 3, f[0].count >= 16, let day = Civil.parseDate(f[0].prefix(10)), let h = Int(f[0].dropFirst(11).prefix(2)),
                  let mi = Int(f[0].dropFirst(14).prefix(2)), let v = Double(f[2]) else { continue }
            let ch = String(f[1])
            var c = names.firstIndex(of: ch) ?? -1
            if c < 0 { names.append(ch); sum.append(Array(repeating: 0, count: 336)); count.append(Array(repeating: 0, count: 336)); c = names.count - 1 }
            let k = Civil.weekday(ofDay: day) * 48 + (h * 60 + mi) / 30
            sum[c][k] += v; count[c][k] += 1
        }
        guard !names.isEmpty else { return nil }
        return (names, sum.indices.map { c in sum[c].indices.map { count[c][$0] > 0 ? sum[c][$0] / count[c][$0] : 0 } })
    }

    func run() throws {
        var shape = Self.profile(data)
        if shape == nil {
            Console.note("warning: \(data) not readable; using a synthetic 6-queue day shape")
            let names = ["q1", "q2", "q3", "q4", "q5", "q6"]
            shape = (names, BenchmarkCase.syntheticProfile(channels: 6))
        }
        let problem = BenchmarkCase.make(agents: agents, weeks: weeks, seed: seed, channels: shape!.channels, profile: shape!.profile)
        let t0 = Date()
        let result: RosterEngine.Result
        do { result = try RosterEngine(problem: problem, options: .init(seed: seed, timeLimitSeconds: timeLimit)).solve() } catch {
            throw fail(error.description, code: 1)
        }
        let seconds = Date().timeIntervalSince(t0)
        let m = result.metrics
        if output.format == .json {
            try output.emit("{\"agents\": \(agents), \"weeks\": \(weeks), \"seconds\": \(String(format: "%.3f", seconds)), \"hard_violations\": \(m.hardViolations), "
                + "\"shortfall_pct\": \(String(format: "%.3f", m.shortfallPct)), \"fairness_spread\": \(m.fairness.spread), "
                + "\"preferences_met_pct\": \(String(format: "%.2f", m.preferencesMetPct))}\n")
            return
        }
        var t = Table(title: output.format == .table ? "Roster benchmark: \(agents) agents, \(weeks) weeks, \(problem.channels.count) queues (\(problem.channels.joined(separator: ", "))), seed \(seed), \(m.shifts) shifts" : nil,
                      columns: ["agents", "weeks", "seconds", "hard_violations", "shortfall_pct", "fairness_spread", "preferences_met_pct"])
        t.rows.append([.number(Double(agents), decimals: 0), .number(Double(weeks), decimals: 0), .number(seconds, decimals: 3),
                       .number(Double(m.hardViolations), decimals: 0), .number(m.shortfallPct, decimals: 3), .number(Double(m.fairness.spread), decimals: 0),
                       .number(m.preferencesMetPct, decimals: 2)])
        try output.emit(t.render(output.format.format))
    }
}
