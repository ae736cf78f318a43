import Foundation
import PropertyBased
import Testing
@testable import PlanningCore

@Suite struct TimeGridTests {
    @Test func acceptsOnlyIntervalsThatDivideADay() throws {
        for m in [5, 6, 10, 15, 30, 60] {
            let g = try TimeGrid(minutes: m)
            #expect(g.slotsPerDay * m == 24 * 60)
            #expect(g.secondsPerSlot == Int64(m * 60))
            #expect(abs(g.hoursPerSlot - Double(m) / 60) < 1e-12)
        }
        for m in [0, -30, 7, 45, 90, 1440, 25] {
            #expect(throws: TimeGrid.GridError.unsupported(m)) { try TimeGrid(minutes: m) }
            #expect(TimeGrid(validMinutes: m) == nil)
        }
        #expect(TimeGrid.hour.slotsPerDay == 24 && TimeGrid.quarterHour.slotsPerDay == 96 && TimeGrid.halfHour.slotsPerWeek == 336)
    }

    @Test func localSecondsAndSlotsRoundTrip() async {
        await propertyCheck(input: Gen.int(in: 0...5), Gen.int(in: -2_000_000_000...4_000_000_000)) { k, s in
            let g = try! TimeGrid(minutes: IntervalLength.allowedMinutes[k])
            let slot = g.slot(ofLocalSeconds: Int64(s))
            let start = g.localSeconds(of: slot)
            // The slot holds the instant: its start is at or before it, less than one slot earlier.
            #expect(start <= Int64(s) && Int64(s) - start < g.secondsPerSlot)
            #expect((0..<g.slotsPerDay).contains(slot.index))
            #expect(g.isSlotStart(localSeconds: start))
            #expect(g.slot(ofLocalSeconds: start) == slot)
            // Horizon indices agree with (day, slot).
            let first = slot.day - 3
            let t = g.index(firstDay: first, localSeconds: Int64(s))
            #expect(t == g.index(day: 3, slot: slot.index))
            #expect(g.localSeconds(firstDay: first, index: t) == start)
            #expect(g.split(index: t) == (3, slot.index))
        }
    }

    @Test func floorsBeforeTheHorizonAndLabels() throws {
        let g = TimeGrid.hour
        let day = Civil.parseDate("2026-03-02")!
        #expect(g.index(firstDay: day, localSeconds: LocalDateTime.startOfDay(day) - 1) == -1)
        #expect(g.split(index: -1) == (-1, 23))
        #expect(g.slot(ofMinute: -1) == -1 && g.slot(ofMinute: 59) == 0 && g.slot(ofMinute: 60) == 1)
        #expect(g.slotsCovering(minutes: 510) == 9 && TimeGrid.halfHour.slotsCovering(minutes: 510) == 17)
        #expect(g.label(slot: 7) == "07:00" && TimeGrid.quarterHour.label(slot: 31) == "07:45")
        #expect(g.label(firstDay: day, index: 25) == "2026-03-03T01:00")
        #expect(try TimeGrid(minutes: 6).label(slot: 11) == "01:06")
    }

    @Test func localDateTimeMinutes() {
        let d = Civil.parseDate("2026-03-02")!
        let t = LocalDateTime(day: d, minuteOfDay: 450)
        #expect(t.description == "2026-03-02T07:30:00" && t.day == d && t.minuteOfDay == 450)
        #expect(LocalDateTime.minute(day: 2, minuteOfDay: 30) == 2 * 1440 + 30)
        #expect(LocalDateTime.split(minute: -30) == (-1, 1410))
        #expect(LocalDateTime.lastDay(endMinute: 1440) == 0 && LocalDateTime.lastDay(endMinute: 1441) == 1)
        #expect(LocalDateTime.wrap(minuteOfDay: 1440 + 90) == 90)
        #expect(LocalDateTime.minute(firstDay: d, localSeconds: LocalDateTime.localSeconds(firstDay: d, minute: -90)) == -90)
        #expect(LocalDateTime.minutes(hours: 11) == 660 && LocalDateTime.days(inMinutes: 660) == 0 && LocalDateTime.days(inMinutes: 2880) == 2)
        #expect(LocalDateTime.parseClock("24:00") == 1440 && LocalDateTime.parseClock("24:01") == nil && LocalDateTime.parseClock("7:00") == nil)
        #expect(LocalDateTime.clock(minuteOfDay: 425) == "07:05")
    }

    /// A requirement laid from samples of another interval: coarser samples fill every slot they span, finer
    /// ones give a slot their largest value, samples outside the horizon are ignored.
    @Test func requirementFromSamplesOfAnyInterval() {
        let day = Civil.parseDate("2026-03-02")!
        let at = { (h: Int, m: Int) in LocalDateTime(day: day, minuteOfDay: h * 60 + m).localSeconds }
        var half = Requirement<Int>(queue: "voice", grid: .halfHour, firstDay: day, days: 1)
        let n = half.lay([.init(localStart: at(9, 0), minutes: 60, value: 4), .init(localStart: at(10, 0), minutes: 60, value: 2),
                          .init(localStart: at(-1, 0), minutes: 60, value: 9)])
        #expect(n == 2)
        #expect(half[day: 0, slot: 18] == 4 && half[day: 0, slot: 19] == 4 && half[day: 0, slot: 20] == 2 && half[day: 0, slot: 21] == 2)
        #expect(half.perSlot.reduce(0, +) == 12, "nothing outside 09:00-11:00")
        var hour = Requirement<Int>(queue: "voice", grid: .hour, firstDay: day, days: 1)
        hour.lay([.init(localStart: at(9, 0), minutes: 15, value: 1), .init(localStart: at(9, 15), minutes: 15, value: 5),
                  .init(localStart: at(9, 30), minutes: 15, value: 3)])
        #expect(hour[day: 0, slot: 9] == 5 && hour.perSlot.reduce(0, +) == 5)
        var quarter = Requirement<Double>(queue: "chat", grid: .quarterHour, firstDay: day, days: 1)
        quarter.lay([.init(localStart: at(23, 0), minutes: 60, value: 1.5)])
        #expect(quarter.days == 1 && (92..<96).allSatisfy { abs(quarter.perSlot[$0] - 1.5) < 1e-12 } && abs(quarter.perSlot.reduce(0, +) - 6) < 1e-12)
        #expect(quarter.localSeconds(ofSlot: 92) == at(23, 0))
    }

    @Test func gridCodableAsMinutes() throws {
        let data = try JSONEncoder().encode([TimeGrid.quarterHour])
        #expect(String(decoding: data, as: UTF8.self) == "[15]")
        #expect(try JSONDecoder().decode([TimeGrid].self, from: data) == [.quarterHour])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([TimeGrid].self, from: Data("[7]".utf8)) }
    }
}
