import Foundation
import Ingest
import PlanningCore
import Testing

@testable import Store

/// Migration 11: planner adjustments, the statistical values they replaced, and event removal.
struct AdjustmentStoreTests {
    @Test("adjustments are stored, listed oldest first, filtered by channel and removed by id")
    func adjustmentsRoundTrip() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/s.sqlite", create: true)
        let day = Civil.daysFromCivil(year: 2026, month: 6, day: 18) * Civil.secondsPerDay
        let a = Store.ForecastAdjustment(
            channel: "voice", unit: .day, fromLocal: day, toLocal: day + 86_400, operation: .set, value: 9000, reason: "618 mailing")
        let b = Store.ForecastAdjustment(
            channel: "chat", unit: .interval, fromLocal: day + 36_000, toLocal: day + 43_200, operation: .scale, value: 1.25, reason: "outage")
        let ia = try store.addAdjustment(a), ib = try store.addAdjustment(b)
        #expect(ib == ia + 1)
        let all = try store.adjustments()
        #expect(all.map(\.id) == [ia, ib] && all[0].reason == "618 mailing" && all[1].operation == .scale && all[1].value == 1.25)
        #expect(all[0].unit == .day && all[0].fromLocal == day && all[0].toLocal == day + 86_400 && !all[0].createdAt.isEmpty)
        #expect(try store.adjustments(channel: "chat").map(\.id) == [ib])
        // The input digest (plan reuse) changes with the adjustments.
        let digest = try store.inputDigest()
        #expect(try store.removeAdjustment(id: ia))
        #expect(!(try store.removeAdjustment(id: ia)))
        #expect(try store.adjustments().map(\.id) == [ib])
        #expect(try store.inputDigest() != digest)
        // The schema refuses an empty range or a negative value.
        var bad = a
        bad.toLocal = bad.fromLocal
        #expect(throws: StoreError.self) { _ = try store.addAdjustment(bad) }
        bad = a
        bad.value = -1
        #expect(throws: StoreError.self) { _ = try store.addAdjustment(bad) }
    }

    @Test("statistical values are kept per forecast run and undone with the run")
    func statisticalValuesFollowTheRun() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/s.sqlite", create: true)
        write("timestamp,channel,volume\n2026-06-18T00:00:00,voice,3\n2026-06-18T00:30:00,voice,4\n", to: dir + "/h.csv")
        let batch = try HistoryParser(zone: try ZoneRules("UTC")).parse(path: dir + "/h.csv")
        _ = try store.ingest([batch])
        let ch = try #require(try store.channels().first)
        let marks = try store.runMarks()
        let rows = (0..<4).map { Store.ForecastRow(ts: Int64($0) * 1800, mean: 10, lo80: 8, hi80: 12, lo95: 6, hi95: 14, aht: .nan) }
        let run = try store.saveForecast(channel: ch, model: "auto", intervalMinutes: 30, rows: rows)
        let kept = [Store.StatisticalValue(ts: 1800, adjustmentID: 7, mean: 5, lo80: 4, hi80: 6, lo95: 3, hi95: 7)]
        try store.saveStatisticalValues(run: run, kept)
        #expect(try store.statisticalValues(run: run) == kept)
        try store.discardRuns(since: marks)
        #expect(try store.statisticalValues(run: run).isEmpty)
    }

    @Test("events are removed by name, on a day range and for one channel")
    func removeEvents() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Store(path: dir + "/s.sqlite", create: true)
        let d = Civil.daysFromCivil(year: 2026, month: 6, day: 17)
        _ = try store.importEvents([
            CalendarEvent(day: d, name: "618", kind: .sales), CalendarEvent(day: d + 1, name: "618", kind: .sales),
            CalendarEvent(day: d + 1, name: "618", kind: .sales, channel: "app"), CalendarEvent(day: d + 1, name: "other", kind: .custom)
        ])
        #expect(try store.removeEvents(name: "618", fromDay: d, toDay: d) == 1)
        #expect(try store.removeEvents(name: "618", channel: "app") == 1)
        #expect(try store.events().map { "\($0.name)@\($0.day - d)\($0.channel ?? "")" } == ["618@1", "other@1"])
        #expect(try store.removeEvents(name: "nothing") == 0)
    }
}
