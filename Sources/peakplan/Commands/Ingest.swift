import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Ingest
import PlanningCore
import Reports
import Store

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load interval history CSV files into the store (validated, idempotent, all-or-nothing).",
        discussion: """
        CSV header: timestamp,channel,volume[,aht_seconds][,abandoned]
          timestamp     ISO 8601 local wall time at interval start in the workspace time zone (2026-03-01T08:30:00)
          channel       queue name (UTF-8)
          volume        contacts offered in the interval (>= 0)
          aht_seconds   mean handle time in seconds (optional, may be empty)
          abandoned     contacts abandoned (optional, <= volume)
        The interval length is detected per channel (5, 6, 10, 15, 30 or 60 minutes) and every row must start on
        its grid. All files are validated before anything is written, then written in one transaction: on any
        error nothing changes. Re-ingesting the same data changes nothing; overlapping data updates rows.

        Example:
          peakplan ingest --workspace bank Datasets/anonbank-israel-1999/voice-6min.csv
          cat today.csv | peakplan ingest --workspace bank -
        """
    )

    @OptionGroup var ws: WorkspaceOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: ArgumentHelp("CSV files to load; - reads standard input.", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one CSV file (or - for standard input)") }
        if files.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        do {
            let config = try ws.loadConfig()
            let zone = try config.zone()
            let store = try ws.openStore()
            var known: [String: Int] = [:]
            for c in config.channels { if let iv = c.intervalMinutes { known[c.name] = iv } }
            for c in try store.channels() { known[c.name] = c.intervalMinutes }
            let bar = Progress("ingest")
            let report = try IngestPipeline.run(store: store, files: files, defaultInterval: config.intervalMinutes, known: known,
                                                makeParser: { known in
                var parser = HistoryParser(zone: zone, knownIntervals: known, defaultInterval: config.intervalMinutes)
                parser.progress = { done, total in bar.update(total.map { Double(done) / Double(max($0, 1)) }) }
                return parser
            }, onBatch: { batch in
                for w in batch.warnings { Diagnostics.warning(w) }
                for name in batch.channels where config.channel(named: name) == nil && !config.channels.isEmpty {
                    Diagnostics.note("channel \(name) is not declared in peakplan.toml; the [service] defaults apply")
                }
            })
            bar.finish()

            var table = Table(columns: ["file", "channel", "interval_min", "rows", "inserted", "updated", "unchanged"])
            for f in report.files {
                for c in f.channels {
                    table.rows.append([.text(f.source), .text(c.channel), .int(c.intervalMinutes), .int(c.rows), .int(c.inserted), .int(c.updated), .int(c.unchanged)])
                }
            }
            try output.emit(table.render(output.format.format))
            let t = report.totals
            if report.changedAnything {
                Diagnostics.info("ingest: \(grouped(t.rows)) rows: \(grouped(t.inserted)) inserted, \(grouped(t.updated)) updated, \(grouped(t.unchanged)) unchanged")
            } else {
                Diagnostics.info("ingest: nothing changed: all \(grouped(t.rows)) rows are already in the store with the same values")
            }
        } catch { throw failure(error) }
    }
}
