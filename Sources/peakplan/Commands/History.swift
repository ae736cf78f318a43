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
                try output.emit(render(summaries, zone: zone, format: output.format.format))
            } catch { throw failure(error) }
        }

        func render(_ list: [(HistorySummary, Int)], zone: ZoneRules, format: OutputFormat) -> String {
            func ts(_ l: Int64?) -> String { l.map { String(Civil.formatLocal($0).prefix(16)) } ?? "" }
            var main = Table(title: format == .table ? "History by channel (time zone \(zone.name))" : nil,
                             columns: ["channel", "interval_min", "first", "last", "days", "rows", "total_volume",
                                       "missing_intervals", "missing_days", "overlaps_resolved", "mean_aht_s", "abandoned_pct"])
            for (s, o) in list {
                main.rows.append([.text(s.channel), .int(s.intervalMinutes), .text(ts(s.firstLocal)), .text(ts(s.lastLocal)),
                                  .int(s.spanDays), .int(s.rows), .number(s.totalVolume, decimals: s.totalVolume == s.totalVolume.rounded() ? 0 : 1),
                                  .int(s.missingIntervals), .int(s.missingDays), .int(o),
                                  s.meanAHT.map { .number($0, decimals: 1) } ?? .null,
                                  s.abandonedShare.map { .number($0 * 100, decimals: 1) } ?? .null])
            }
            switch format {
            case .csv: return main.renderCSV()
            case .json:
                return JSONOutput.render(list.map { HistoryRecord($0.0, overlaps: $0.1, ts: ts) })
            case .table:
                var out = main.renderText()
                var wd = Table(title: "\nMean volume per day, by weekday", columns: ["channel"] + Civil.weekdayNames)
                for (s, _) in list { wd.rows.append([.text(s.channel)] + s.meanByWeekday.map { $0.map { .number($0, decimals: 1) } ?? .null }) }
                out += wd.renderText()
                var hr = Table(title: "\nMean volume per hour of day (hours 00-23)", columns: ["channel"] + (0..<24).map { $0 < 10 ? "0\($0)" : "\($0)" })
                for (s, _) in list { hr.rows.append([.text(s.channel)] + s.meanByHour.map { .number($0, decimals: 1) }) }
                out += hr.renderText()
                if list.contains(where: { !$0.0.missingDayList.isEmpty }) { out += "\n" }
                for (s, _) in list where !s.missingDayList.isEmpty {
                    out += "\(s.channel): \(s.missingDays) day\(s.missingDays == 1 ? "" : "s") without data: \(s.missingDayList.joined(separator: ", "))\(s.missingDays > s.missingDayList.count ? ", ..." : "")\n"
                }
                return out
            }
        }
    }

    /// One channel of `history --format json`.
    struct HistoryRecord: Encodable {
        var channel: String
        var interval_minutes: Int
        var first: String
        var last: String
        var days: Int
        var days_with_data: Int
        var rows: Int
        var total_volume: JSONOutput.Rounded
        var missing_intervals: Int
        var missing_days: Int
        var missing_day_list: [String]
        var overlaps_resolved: Int
        var mean_aht_seconds: JSONOutput.Rounded?
        var abandoned_share: JSONOutput.Rounded?
        var mean_daily_volume_by_weekday: JSONOutput.OrderedObject<JSONOutput.Rounded?>
        var mean_hourly_volume_by_hour: [JSONOutput.Rounded]

        init(_ s: HistorySummary, overlaps: Int, ts: (Int64?) -> String) {
            channel = s.channel; interval_minutes = s.intervalMinutes; first = ts(s.firstLocal); last = ts(s.lastLocal)
            days = s.spanDays; days_with_data = s.daysWithData; rows = s.rows; total_volume = .init(s.totalVolume, 3)
            missing_intervals = s.missingIntervals; missing_days = s.missingDays; missing_day_list = s.missingDayList
            overlaps_resolved = overlaps; mean_aht_seconds = s.meanAHT.map { .init($0, 3) }; abandoned_share = s.abandonedShare.map { .init($0, 5) }
            mean_daily_volume_by_weekday = .init(zip(Civil.weekdayNames, s.meanByWeekday).map { ($0.0, $0.1.map { JSONOutput.Rounded($0, 2) }) })
            mean_hourly_volume_by_hour = s.meanByHour.map { .init($0, 3) }
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
