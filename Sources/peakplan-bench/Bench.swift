import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Ingest
import PlanningCore
import Reports
import Store

/// Benchmarks that print figures beside the peers' recorded results: a separate executable, so the shipped
/// `peakplan` holds what planners use.
@main
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peakplan-bench",
        abstract: "PeakPlan benchmarks that print figures (beside the peer tools' recorded results).",
        subcommands: [IngestBench.self, ForecastBench.self, EventsBench.self, StaffingBench.self, StaffingCheck.self, RealityReplayBench.self, ScheduleBench.self, RosterBench.self, SimulateBench.self, SimulateSpeedBench.self]
    )

    static func main() {
        Diagnostics.setProgress { Progress($0) }
        Self.main(nil)
    }

    struct IngestBench: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ingest",
            abstract: "Ingest N generated rows; compare with a bare sqlite3 prepared-insert loop (the floor) in the same run.",
            discussion: """
            Generates a deterministic CSV (seeded), ingests it into a fresh workspace through the full path (read,
            parse, validate, upsert in one transaction), then inserts the same values into a fresh database with
            the same schema and pragmas through a bare prepared INSERT loop with the values already in memory.
            Prints rows/s for both and, last, the ratio ingest time / floor time (target <= 1.5).
            Example:
              peakplan-bench ingest --rows 5000000
            """
        )
        @Option(help: "Rows to generate.") var rows: Int = 5_000_000
        @Option(help: "Channels (rows are spread over them, 5-minute intervals).") var channels: Int = 10
        @Option(help: "Seed of the generator.") var seed: UInt64 = 42
        @Option(help: "Rounds; each measure reports its fastest round (robust to other load on the machine).") var rounds: Int = 3
        @Option(help: ArgumentHelp("Scratch folder (default: a new temporary folder, removed afterwards).", valueName: "dir")) var dir: String?
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard rows >= channels, channels >= 1, channels <= 1000 else { throw ValidationError("need rows >= channels >= 1 (channels <= 1000)") }
            guard rounds >= 1 && rounds <= 20 else { throw ValidationError("--rounds must be 1-20") }
        }

        struct Gen {
            var state: UInt64
            mutating func next() -> UInt64 {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                return state >> 33
            }
        }

        func run() throws {
            do {
                let base = dir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("peakplan-bench-\(getpid())")
                try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
                defer { if dir == nil { try? FileManager.default.removeItem(atPath: base) } }
                let csv = (base as NSString).appendingPathComponent("history.csv")
                let perChannel = rows / channels
                let n = perChannel * channels
                // Values, kept in memory for the floor.
                var chan = [Int64](repeating: 0, count: n), ts = [Int64](repeating: 0, count: n)
                var vol = [Double](repeating: 0, count: n), aht = [Double](repeating: 0, count: n), ab = [Double](repeating: 0, count: n)
                var g = Gen(state: seed)
                let t0: Int64 = LocalDateTime.startOfDay(Civil.daysFromCivil(year: 2020, month: 1, day: 1))
                let sink = try OutputSink(path: csv)
                try sink.write("timestamp,channel,volume,aht_seconds,abandoned\n")
                var k = 0
                for i in 0..<perChannel {
                    let t = t0 + Int64(i) * 300
                    let stamp = Civil.formatLocal(t)
                    for c in 0..<channels {
                        let v = Double(g.next() % 200)
                        let a = Double(1200 + g.next() % 3000) / 10
                        let b = Double(g.next() % (UInt64(v) + 1))
                        chan[k] = Int64(c + 1); ts[k] = t; vol[k] = v; aht[k] = a; ab[k] = b
                        k += 1
                        try sink.write(stamp + ",ch\(c)," + HistoryParser.format(v) + "," + HistoryParser.format(a) + "," + HistoryParser.format(b) + "\n")
                    }
                }
                try sink.finish()
                let fileMB = Double((try FileManager.default.attributesOfItem(atPath: csv)[.size] as? Int) ?? 0) / 1_048_576

                var parseS = Double.infinity, total = Double.infinity
                var floorS = Double.infinity, againS = Double.infinity
                let zone = try ZoneRules("UTC")
                for round in 0..<rounds {
                    // 1. PeakPlan ingest, full path, into a fresh store.
                    let storePath = (base as NSString).appendingPathComponent("ingest-\(round).sqlite")
                    let store = try Store(path: storePath, create: true)
                    // Parsing and validating alone, for reference.
                    let p0 = Date()
                    _ = try HistoryParser(zone: zone).parse(path: csv)
                    parseS = min(parseS, Date().timeIntervalSince(p0))
                    // The ingest path `peakplan ingest` runs: parse on one thread, upsert on another, one transaction.
                    let s0 = Date()
                    let report = try IngestPipeline.run(store: store, files: [csv], defaultInterval: 30, known: [:],
                                                        makeParser: { HistoryParser(zone: zone, knownIntervals: $0) })
                    total = min(total, Date().timeIntervalSince(s0))
                    precondition(report.totals.inserted == n, "bench: expected \(n) inserted rows")
                    // 2. Re-ingest of the same file: every row unchanged.
                    let r0 = Date()
                    let again = try IngestPipeline.run(store: store, files: [csv], defaultInterval: 30, known: [:],
                                                       makeParser: { HistoryParser(zone: zone, knownIntervals: $0) })
                    againS = min(againS, Date().timeIntervalSince(r0))
                    precondition(again.totals.unchanged == n, "bench: re-ingest should leave every row unchanged")
                    // 3. Floor: bare prepared INSERT loop, same schema and pragmas, values in memory, fresh database.
                    let floorPath = (base as NSString).appendingPathComponent("floor-\(round).sqlite")
                    let floor = try Store(path: floorPath, create: true)
                    let f0 = Date()
                    try floor.db.transaction {
                        let addc = try floor.db.prepare("INSERT INTO channels(id, name, interval_minutes) VALUES (?, ?, 5)")
                        for c in 0..<channels { addc.bind(1, c + 1); addc.bind(2, "ch\(c)"); try addc.step(); addc.reset() }
                        let ins = try floor.db.prepare("INSERT INTO history(channel_id, ts, volume, aht_seconds, abandoned) VALUES (?, ?, ?, ?, ?)")
                        for i in 0..<n {
                            ins.bind(1, chan[i]); ins.bind(2, ts[i]); ins.bind(3, vol[i]); ins.bind(4, aht[i]); ins.bind(5, ab[i])
                            try ins.step(); ins.reset()
                        }
                    }
                    floorS = min(floorS, Date().timeIntervalSince(f0))
                    try? FileManager.default.removeItem(atPath: storePath)
                    try? FileManager.default.removeItem(atPath: floorPath)
                }
                let ratio = total / floorS
                var t = Table(title: output.format.format == .table ? "Ingest benchmark: \(grouped(n)) rows, \(channels) channels, \(String(format: "%.1f", fileMB)) MiB CSV, SQLite \(Database.sqliteVersion), fastest of \(rounds) round\(rounds == 1 ? "" : "s")" : nil,
                              columns: ["measure", "seconds", "rows_per_second"])
                t.rows.append([.text("read + parse + validate alone"), .number(parseS, decimals: 3), .number(Double(n) / parseS, decimals: 0)])
                t.rows.append([.text("peakplan ingest (parse and upsert overlapped)"), .number(total, decimals: 3), .number(Double(n) / total, decimals: 0)])
                t.rows.append([.text("peakplan re-ingest (all unchanged)"), .number(againS, decimals: 3), .number(Double(n) / againS, decimals: 0)])
                t.rows.append([.text("floor: bare sqlite3 prepared INSERT loop"), .number(floorS, decimals: 3), .number(Double(n) / floorS, decimals: 0)])
                t.rows.append([.text("ratio ingest/floor (target <= 1.5)"), .number(ratio, decimals: 2), .null])
                try output.emit(t.render(output.format.format))
            } catch { throw failure(error) }
        }
    }
}
