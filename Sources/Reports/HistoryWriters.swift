import Foundation
import PlanningCore

/// Renders `peakplan history`: the per-channel summary of stored history (each with the overlaps resolved).
public enum HistoryText {
    /// `history` (summary): per channel, as a table (with the weekday and hour profiles), CSV or JSON.
    public static func render(_ list: [(HistorySummary, Int)], zone: ZoneRules, format: OutputFormat) -> String {
        func ts(_ l: Int64?) -> String { l.map { String(Civil.formatLocal($0).prefix(16)) } ?? "" }
        var main = Table(
            title: format == .table ? "History by channel (time zone \(zone.name))" : nil,
            columns: [
                "channel", "interval_min", "first", "last", "days", "rows", "total_volume",
                "missing_intervals", "missing_days", "overlaps_resolved", "mean_aht_s", "abandoned_pct"
            ])
        for (s, o) in list {
            main.rows.append([
                .text(s.channel), .int(s.intervalMinutes), .text(ts(s.firstLocal)), .text(ts(s.lastLocal)),
                .int(s.spanDays), .int(s.rows), .number(s.totalVolume, decimals: s.totalVolume == s.totalVolume.rounded() ? 0 : 1),
                .int(s.missingIntervals), .int(s.missingDays), .int(o),
                s.meanAHT.map { .number($0, decimals: 1) } ?? .null,
                s.abandonedShare.map { .number($0 * 100, decimals: 1) } ?? .null
            ])
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
                out +=
                    "\(s.channel): \(s.missingDays) day\(s.missingDays == 1 ? "" : "s") without data: \(s.missingDayList.joined(separator: ", "))\(s.missingDays > s.missingDayList.count ? ", ..." : "")\n"
            }
            return out
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
}
