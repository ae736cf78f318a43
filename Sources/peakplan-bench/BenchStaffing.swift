import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import PlanningCore
import Reports
import Staffing

extension Bench {
    struct StaffingBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staffing",
            abstract: "Erlang A at 5,000 agents, Erlang C at 10,000 agents, and a year of staffing solves; beside pyworkforce's recorded figures.",
            discussion: """
            Times, in one run on one core: one call computing every metric
            (P(wait), service level, ASA, occupancy, P(abandon)) of Erlang A at
            5,000 agents and of Erlang C at 10,000 agents (rows of
            Datasets/benchmarks/erlang/erlang_reference.csv), then solving staff for
            every 30-minute interval of --days days for 6 queues (365 days:
            105,120 solves) with Erlang C and with Erlang A. Loads come from a
            seeded generator: 24-hour queues with morning and afternoon peaks,
            weekday and seasonal factors and 8% lognormal noise, offered loads
            from under 1 to about 900 Erlangs.
            pyworkforce's measured results, when Datasets/benchmarks/scheduling holds them
            (scheduling/pyworkforce_erlang_results.md), are printed beside ours
            with their source; the ratios peer/ours come last. Build with
            -c release for meaningful numbers.
            Example:
              swift build -c release && .build/release/peakplan-bench staffing
            """
        )
        @Option(help: "Days of 30-minute intervals to solve.") var days: Int = 365
        @Option(help: "Seed of the load generator.") var seed: UInt64 = 42
        @Option(help: "Timing batches per measure (the fastest is reported).") var repeats: Int = 5
        @Option(help: ArgumentHelp("Folder of the peer harness results.", valueName: "dir")) var peers: String = "Datasets/benchmarks"
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard days >= 1 && days <= 3660 else { throw ValidationError("--days must be between 1 and 3660") }
            guard repeats >= 1 && repeats <= 100 else { throw ValidationError("--repeats must be between 1 and 100") }
        }

        /// One generated queue: peak arrivals per 30 minutes, handle time, patience and its service target.
        struct QueueSpec {
            var name: String, peakArrivals: Double, aht: Double, patience: Double, sl: Double, slSeconds: Double, maxAbandon: Double
        }

        static let queues: [QueueSpec] = [
            QueueSpec(name: "retail", peakArrivals: 450, aht: 280, patience: 150, sl: 0.80, slSeconds: 20, maxAbandon: 0.05),
            QueueSpec(name: "premium", peakArrivals: 90, aht: 360, patience: 240, sl: 0.90, slSeconds: 15, maxAbandon: 0.02),
            QueueSpec(name: "collections", peakArrivals: 220, aht: 320, patience: 90, sl: 0.70, slSeconds: 30, maxAbandon: 0.08),
            QueueSpec(name: "tech", peakArrivals: 700, aht: 540, patience: 300, sl: 0.80, slSeconds: 60, maxAbandon: 0.05),
            QueueSpec(name: "sales", peakArrivals: 1600, aht: 240, patience: 120, sl: 0.85, slSeconds: 20, maxAbandon: 0.04),
            QueueSpec(name: "care", peakArrivals: 3600, aht: 300, patience: 180, sl: 0.80, slSeconds: 20, maxAbandon: 0.05),
        ]

        /// Arrivals per 30-minute interval for one queue (deterministic for a seed).
        static func arrivals(_ q: QueueSpec, days: Int, rng: inout SplitMix64) -> [Double] {
            let weekday = [1.12, 1.05, 1.0, 0.98, 0.95, 0.70, 0.55]
            func bump(_ h: Double, _ c: Double, _ w: Double) -> Double { exp(-0.5 * (h - c) * (h - c) / (w * w)) }
            var out: [Double] = []
            out.reserveCapacity(days * 48)
            for d in 0..<days {
                let season = 1 + 0.08 * sin(2 * Double.pi * Double(d) / 365)
                for s in 0..<48 {
                    let h = (Double(s) + 0.5) / 2
                    let shape = 0.04 + 0.96 * min(1, 0.95 * bump(h, 10.5, 2.2) + 0.8 * bump(h, 15, 2.5) + 0.3 * bump(h, 20, 1.5))
                    // Box-Muller normal for 8% lognormal noise.
                    let u1 = max(1e-12, rng.uniform()), u2 = rng.uniform()
                    let z = (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
                    out.append(q.peakArrivals * shape * weekday[d % 7] * season * exp(0.08 * z - 0.0032))
                }
            }
            return out
        }

        /// Fastest of `repeats` batches; each batch runs `body` until at least 0.2 s have passed. Seconds per call.
        func perCall(_ body: () throws -> Double, sink: inout Double) rethrows -> Double {
            let clock = ContinuousClock()
            var best = Double.infinity
            for _ in 0..<repeats {
                var calls = 0
                let start = clock.now
                var elapsed = 0.0
                repeat {
                    sink += try body()
                    calls += 1
                    elapsed = Self.seconds(clock.now - start)
                } while elapsed < 0.2
                best = min(best, elapsed / Double(calls))
            }
            return best
        }

        static func seconds(_ d: Duration) -> Double {
            Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }

        /// pyworkforce's recorded time (ms) for one reference row, and the header line naming its version.
        struct PeerFigure { var milliseconds: Double; var source: String }

        func peerFigure(model: String, arrivals: String, agents: String) -> PeerFigure? {
            let path = (peers as NSString).appendingPathComponent("scheduling/pyworkforce_erlang_results.md")
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
            // "Generated by `...` with pyworkforce 0.5.4, Python 3.12.1, x86_64." -> "pyworkforce 0.5.4, Python 3.12.1, x86_64"
            let header = text.split(separator: "\n").first { $0.hasPrefix("Generated by") }.map(String.init) ?? ""
            let version = header.range(of: "with ").map { String(header[$0.upperBound...]).trimmingCharacters(in: CharacterSet(charactersIn: ". ")) } ?? "pyworkforce"
            for line in text.split(separator: "\n") where line.hasPrefix("| ") {
                let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                guard cells.count > 13, cells[1] == model, cells[2] == arrivals, cells[6] == agents, let ms = Double(cells[13]) else { continue }
                return PeerFigure(milliseconds: ms, source: "\(version), recorded by the peer harness in \(path) (pyworkforce is not installed on this machine, so it was not re-run in this run)")
            }
            return nil
        }

        func run() throws {
            do {
                var sink = 0.0
                let halfHour = Double(TimeGrid.halfHour.secondsPerSlot)
                // 1. Erlang A at 5,000 agents: reference row 30,600 arrivals per half hour, AHT 300 s, patience 240 s, T 20 s.
                let loadA = try QueueLoad(arrivals: 30_600, intervalSeconds: halfHour, ahtSeconds: 300, patienceSeconds: 240)
                let erlangA = try perCall({
                    let m = try QueueModel.erlangA.metrics(loadA, agents: 5000, serviceSeconds: 20)
                    return m.serviceLevel + m.probWait + m.asaSeconds + m.occupancy + m.probAbandon!
                }, sink: &sink)
                // 2. Erlang C at 10,000 agents: 59,400 arrivals per half hour, AHT 300 s, T 30 s.
                let loadC = try QueueLoad(arrivals: 59_400, intervalSeconds: halfHour, ahtSeconds: 300)
                let erlangC = try perCall({
                    let m = try QueueModel.erlangC.metrics(loadC, agents: 10_000, serviceSeconds: 30)
                    return m.serviceLevel + m.probWait + m.asaSeconds + m.occupancy
                }, sink: &sink)

                // 3. A year of solves for 6 queues.
                var rng = SplitMix64(seed: seed)
                var loads: [[QueueLoad]] = [], targetsC: [StaffingTargets] = [], targetsA: [StaffingTargets] = []
                var maxLoad = 0.0
                for q in Self.queues {
                    let a = Self.arrivals(q, days: days, rng: &rng)
                    loads.append(try a.map { try QueueLoad(arrivals: $0, intervalSeconds: halfHour, ahtSeconds: q.aht, patienceSeconds: q.patience) })
                    maxLoad = max(maxLoad, (a.max() ?? 0) * q.aht / halfHour)
                    targetsC.append(try StaffingTargets(serviceLevel: q.sl, serviceSeconds: q.slSeconds, maxOccupancy: 0.95))
                    targetsA.append(try StaffingTargets(serviceLevel: q.sl, serviceSeconds: q.slSeconds, maxAbandon: q.maxAbandon))
                }
                let solves = loads.reduce(0) { $0 + $1.count }
                let clock = ContinuousClock()
                var agentIntervalsC = 0, agentIntervalsA = 0
                var yearC = Double.infinity, yearA = Double.infinity
                for _ in 0..<min(repeats, 3) {
                    var total = 0
                    let t0 = clock.now
                    for (k, series) in loads.enumerated() {
                        for load in series { total += try StaffSolver.solve(.erlangC, load: load, targets: targetsC[k]).agents }
                    }
                    yearC = min(yearC, Self.seconds(clock.now - t0))
                    agentIntervalsC = total
                    total = 0
                    let t1 = clock.now
                    for (k, series) in loads.enumerated() {
                        for load in series { total += try StaffSolver.solve(.erlangA, load: load, targets: targetsA[k]).agents }
                    }
                    yearA = min(yearA, Self.seconds(clock.now - t1))
                    agentIntervalsA = total
                }

                let peerA = peerFigure(model: "ErlangA", arrivals: "30600", agents: "5000")
                let peerC = peerFigure(model: "ErlangC", arrivals: "59400", agents: "10000")
                let isTable = output.format.format == .table
                var t = Table(title: isTable ? "Staffing benchmark (one core; \(grouped(solves)) solves = \(Self.queues.count) queues x \(days) days x 48 intervals, peak load \(String(format: "%.0f", maxLoad)) Erlangs)" : nil,
                              columns: ["measure", "unit", "peakplan", "pyworkforce", "ratio_pyworkforce_over_peakplan"])
                func ratio(_ peer: PeerFigure?, _ ours: Double) -> Cell { peer.map { .number($0.milliseconds / 1000 / ours, decimals: 0) } ?? .null }
                t.rows.append([.text("Erlang A, 5,000 agents (30,600 calls/30 min, AHT 300 s, patience 240 s), all metrics"), .text("microseconds per call"),
                               .number(erlangA * 1e6, decimals: 2), peerA.map { .number($0.milliseconds * 1000, decimals: 0) } ?? .null, ratio(peerA, erlangA)])
                t.rows.append([.text("Erlang C, 10,000 agents (59,400 calls/30 min, AHT 300 s), all metrics"), .text("microseconds per call"),
                               .number(erlangC * 1e6, decimals: 2), peerC.map { .number($0.milliseconds * 1000, decimals: 0) } ?? .null, ratio(peerC, erlangC)])
                t.rows.append([.text("solve staff, Erlang C (SL target, occupancy <= 95%), all intervals"), .text("seconds"),
                               .number(yearC, decimals: 3), .null, .null])
                t.rows.append([.text("solve staff, Erlang C, per solve"), .text("microseconds"), .number(yearC / Double(solves) * 1e6, decimals: 2), .null, .null])
                t.rows.append([.text("solve staff, Erlang A (SL and abandonment targets), all intervals"), .text("seconds"),
                               .number(yearA, decimals: 3), .null, .null])
                t.rows.append([.text("solve staff, Erlang A, per solve"), .text("microseconds"), .number(yearA / Double(solves) * 1e6, decimals: 2), .null, .null])
                t.rows.append([.text("agent-intervals required (Erlang C / Erlang A)"), .text("agent-intervals"),
                               .text("\(grouped(agentIntervalsC)) / \(grouped(agentIntervalsA))"), .null, .null])
                var text = t.render(output.format.format)
                if isTable {
                    let source = peerA?.source ?? peerC?.source
                    text += "pyworkforce: " + (source ?? "no measured results under \(peers)/scheduling; peer columns left empty") + "\n"
                    text += "pyworkforce has no year-of-solves figure on record; the solve rows have no peer.\n"
                    if let p = peerA { text += String(format: "ratio pyworkforce/peakplan, Erlang A at 5,000 agents: %.3g\n", p.milliseconds / 1000 / erlangA) }
                    if let p = peerC { text += String(format: "ratio pyworkforce/peakplan, Erlang C at 10,000 agents: %.3g\n", p.milliseconds / 1000 / erlangC) }
                }
                if sink.isNaN { Diagnostics.note("a benchmark metric was NaN") }
                try output.emit(text)
            } catch let e as StaffingError {
                throw fail(e.description, code: Exit.dataError)
            } catch { throw failure(error) }
        }
    }
}
