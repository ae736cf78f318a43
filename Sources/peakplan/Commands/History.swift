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
                var objs: [String] = []
                for (s, o) in list {
                    let wd = zip(Civil.weekdayNames, s.meanByWeekday).map { JSON.quote($0.0) + ": " + ($0.1.map { fmt($0, 2) } ?? "null") }
                    let hours = s.meanByHour.map { fmt($0, 3) }
                    objs.append("""
                      {"channel": \(JSON.quote(s.channel)), "interval_minutes": \(s.intervalMinutes), "first": \(JSON.quote(ts(s.firstLocal))), \
                    "last": \(JSON.quote(ts(s.lastLocal))), "days": \(s.spanDays), "days_with_data": \(s.daysWithData), "rows": \(s.rows), \
                    "total_volume": \(fmt(s.totalVolume, 3)), "missing_intervals": \(s.missingIntervals), "missing_days": \(s.missingDays), \
                    "missing_day_list": [\(s.missingDayList.map(JSON.quote).joined(separator: ", "))], "overlaps_resolved": \(o), \
                    "mean_aht_seconds": \(s.meanAHT.map { fmt($0, 3) } ?? "null"), "abandoned_share": \(s.abandonedShare.map { fmt($0, 5) } ?? "null"), \
                    "mean_daily_volume_by_weekday": {\(wd.joined(separator: ", "))}, "mean_hourly_volume_by_hour": [\(hours.joined(separator: ", "))]}
                    """)
                }
                return "[\n" + objs.joined(separator: ",\n") + "\n]\n"
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

        func fmt(_ d: Double, _ k: Int) -> String {
            guard d.isFinite else { return "null" } // JSON has no inf or nan
            var s = String(format: "%.\(k)f", d)
            if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
            return s
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
