import ArgumentParser
import CommandLineSupport
import Foundation
import Pipeline
import Ingest
import PlanningCore
import Reports
import Store

struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Inspect stored history: per-channel summary, or export back to CSV.",
        subcommands: [Summary.self, Export.self],
        defaultSubcommand: Summary.self
    )

    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per channel: interval, span, rows, total, missing intervals and days, overlaps resolved, mean by weekday and hour.",
            discussion: """
            Example:
              peakplan history --workspace bank
              peakplan history --workspace bank --format json --out summary.json
            """
        )
        @OptionGroup var ws: WorkspaceOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .customLong("channel"), help: "Only these channels (repeatable).")
        var channels: [String] = []

        func run() throws {
            do {
                let config = try ws.loadConfig()
                let zone = try config.zone()
                let store = try ws.openStore()
                var chans = try store.channels()
                if !channels.isEmpty {
                    for c in channels where !chans.contains(where: { $0.name == c }) {
                        throw fail("no channel \(c) in the store (have: \(chans.map(\.name).joined(separator: ", ")))", code: Exit.usage)
                    }
                    chans = chans.filter { channels.contains($0.name) }
                }
                let overlaps = try store.overlapsResolved()
                var summaries: [(HistorySummary, Int)] = []
                for ch in chans {
                    let s = try store.series(ch)
                    summaries.append((HistorySummary.compute(channel: ch.name, intervalMinutes: ch.intervalMinutes, zone: zone,
                                                             utc: s.ts, volume: s.volume, aht: s.aht, abandoned: s.abandoned),
                                      overlaps[ch.id] ?? 0))
                }
                try output.emit(HistoryText.render(summaries, zone: zone, format: output.format.format))
            } catch { throw failure(error) }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write stored history as CSV (the exact inverse of ingest).",
            discussion: """
            Rows are ordered by time, then by channel in the order channels were first ingested. Numbers are written
            in their shortest exact form; optional columns appear when any exported row has them.
            Example:
              peakplan history export --workspace bank --channel voice --from 1999-06-01 --to 1999-06-30 --out june.csv
            """
        )
        @OptionGroup var ws: WorkspaceOptions
        @Option(name: .long, help: ArgumentHelp("Write to FILE (atomically) instead of stdout.", valueName: "file"))
        var out: String?
        @Option(name: .customLong("channel"), help: "Only these channels (repeatable).")
        var channels: [String] = []
        @Option(help: ArgumentHelp("First local date to export (YYYY-MM-DD).", valueName: "date"))
        var from: String?
        @Option(help: ArgumentHelp("Last local date to export, inclusive (YYYY-MM-DD).", valueName: "date"))
        var to: String?

        func validate() throws {
            if let f = from, Civil.parseDate(f) == nil { throw ValidationError("--from \(f): write YYYY-MM-DD") }
            if let t = to, Civil.parseDate(t) == nil { throw ValidationError("--to \(t): write YYYY-MM-DD") }
        }

        func run() throws {
            do {
                let config = try ws.loadConfig()
                let zone = try config.zone()
                let store = try ws.openStore()
                var chans = try store.channels()
                if !channels.isEmpty {
                    for c in channels where !chans.contains(where: { $0.name == c }) {
                        throw fail("no channel \(c) in the store (have: \(chans.map(\.name).joined(separator: ", ")))", code: Exit.usage)
                    }
                    chans = chans.filter { channels.contains($0.name) }
                }
                let sink = try OutputSink(path: out)
                var writeError: OutputSink.WriteError?
                try store.exportCSV(channels: chans, zone: zone, fromDay: from.flatMap { Civil.parseDate($0) },
                                    toDay: to.flatMap { Civil.parseDate($0) }) { text in
                    do { try sink.write(text) } catch let e as OutputSink.WriteError { writeError = e; return false } catch { return false }
                    return true
                }
                if let e = writeError { throw e }
                try sink.finish()
            } catch { throw failure(error) }
        }
    }
}
