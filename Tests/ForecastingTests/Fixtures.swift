import Foundation
@testable import Forecasting
import PlanningCore

/// Real data for tests: the bundled 6-minute Israeli bank series summed to 30 minutes, with its calendar.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    static func csvRows(_ path: String) -> [[Substring]] {
        let text = try! String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    }

    /// (day, slot-of-day, value) from `timestamp,channel,volume...` rows of one channel.
    static func series(path: String, channel: String, interval: Int, aggregateTo: Int, extraDays: Int = 8) -> SeriesInput {
        var byDay: [Int64: [Double]] = [:]
        let m1 = 24 * 60 / aggregateTo
        for r in csvRows(path) where r[1] == channel {
            let l = try! Civil.parseTimestamp(String(r[0])).get().localSeconds
            let (d, sod) = Civil.split(l)
            var row = byDay[d] ?? [Double](repeating: 0, count: m1)
            row[Int(sod) / (aggregateTo * 60)] += Double(r[2])!
            byDay[d] = row
        }
        let first = byDay.keys.min()!, last = byDay.keys.max()!
        var y: [Double] = []
        for d in first...last { y += byDay[d] ?? [Double](repeating: .nan, count: m1) }
        let events = csvRows(root + "/Datasets/anonbank-israel-1999/events-1999.csv").map {
            CalendarEvent(day: Civil.parseDate(String($0[0]))!, name: String($0[1]), kind: EventKind(rawValue: String($0[2]))!,
                          channel: nil, leadDays: Int($0[4]) ?? 0, lagDays: Int($0[5]) ?? 0)
        }
        let cal = DayCalendar.build(firstDay: first, days: Int(last - first + 1) + extraDays, events: events, channel: channel,
                                    rules: [.monthStart(name: "month start", firstDay: 1, lastDay: 5)], weekend: [4, 5])
        return SeriesInput(y: y, slotsPerDay: m1, calendar: cal)
    }

    static let voice30 = series(path: root + "/Datasets/anonbank-israel-1999/voice-6min.csv", channel: "voice", interval: 6, aggregateTo: 30)
}
