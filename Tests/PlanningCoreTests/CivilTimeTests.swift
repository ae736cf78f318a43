import Foundation
import PropertyBased
import Testing
@testable import PlanningCore

@Suite struct CivilTimeTests {
    @Test func dayNumbersRoundTrip() async {
        await propertyCheck(input: Gen.int(in: -800_000...800_000)) { d in
            let (y, m, dd) = Civil.civilFromDays(Int64(d))
            #expect(Civil.daysFromCivil(year: y, month: m, day: dd) == Int64(d))
            #expect((1...12).contains(m) && dd >= 1 && dd <= Civil.daysInMonth(year: y, month: m))
        }
    }

    @Test func agreesWithFoundationCalendar() async {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        await propertyCheck(input: Gen.int(in: -40_000...60_000)) { d in
            let date = Date(timeIntervalSince1970: TimeInterval(d) * 86_400)
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: date)
            let (y, m, dd) = Civil.civilFromDays(Int64(d))
            #expect(y == c.year! && m == c.month! && dd == c.day!)
            // Foundation: 1 = Sunday; ours: 0 = Monday ... 6 = Sunday.
            #expect(Civil.weekday(ofDay: Int64(d)) == (c.weekday! + 5) % 7)
        }
    }

    @Test func knownWeekdays() {
        #expect(Civil.weekday(ofDay: Civil.parseDate("1999-01-01")!) == 4) // Friday
        #expect(Civil.weekday(ofDay: Civil.parseDate("2026-11-11")!) == 2) // Wednesday
        #expect(Civil.weekday(ofDay: Civil.parseDate("2000-02-29")!) == 1) // Tuesday
        #expect(Civil.parseDate("1900-02-29") == nil)
        #expect(Civil.parseDate("2024-02-29") != nil)
    }

    @Test("timestamps parse in every accepted form",
          arguments: [("2026-03-01T08:30:00", nil as Int?), ("2026-03-01 08:30", nil), ("2026-03-01T08:30:00Z", 0),
                      ("2026-03-01T08:30:00+08:00", 28_800), ("2026-03-01T08:30:00-0530", -19_800)])
    func parses(_ text: String, _ offset: Int?) throws {
        let p = try Civil.parseTimestamp(text).get()
        #expect(Civil.formatLocal(p.localSeconds) == "2026-03-01T08:30:00")
        #expect(p.explicitOffset == offset)
    }

    @Test("malformed or impossible timestamps are refused",
          arguments: ["2026-03-01", "2026/03/01 08:30", "2026-13-01T00:00", "2026-02-29T00:00", "2026-03-01T24:00",
                      "2026-03-01T08:60", "2026-03-01T08:30:00.5", "2026-03-01T08:30:00+25:00", "2026-03-01T08:30:00 junk", ""])
    func refuses(_ text: String) {
        if case .success(let p) = Civil.parseTimestamp(text) { Issue.record("accepted \(text) as \(p)") }
    }

    @Test func formatParseRoundTrip() async {
        await propertyCheck(input: Gen.int(in: -2_000_000_000...4_000_000_000)) { s in
            let l = Int64(s) / 60 * 60
            let text = Civil.formatLocal(l)
            #expect((try? Civil.parseTimestamp(text).get().localSeconds) == l)
        }
    }
}

@Suite struct ZoneRulesTests {
    // Facts from the tz database (checked with Python zoneinfo): Israel moved clocks from 02:00 to 03:00 on
    // 1999-04-02 and from 02:00 back to 01:00 on 1999-09-03; London in 2026: 01:00->02:00 on 29 Mar, 02:00->01:00 on 25 Oct.
    @Test func jerusalem1999() throws {
        let z = try ZoneRules("Asia/Jerusalem")
        let l = { (s: String) in try! Civil.parseTimestamp(s).get().localSeconds }
        #expect(z.resolve(local: l("1999-04-02T01:54")) == .unique(utc: l("1999-04-01T23:54")))
        guard case .gap(let a, let b) = z.resolve(local: l("1999-04-02T02:30")) else { Issue.record("no gap"); return }
        #expect(Civil.formatLocal(a) == "1999-04-02T02:00:00" && Civil.formatLocal(b) == "1999-04-02T03:00:00")
        #expect(z.resolve(local: l("1999-04-02T03:00")) == .unique(utc: l("1999-04-02T00:00")))
        #expect(z.resolve(local: l("1999-09-03T01:30")) == .ambiguous(first: l("1999-09-02T22:30"), second: l("1999-09-02T23:30")))
        #expect(z.resolve(local: l("1999-09-03T02:00")) == .unique(utc: l("1999-09-03T00:00")))
    }

    @Test func london2026() throws {
        let z = try ZoneRules("Europe/London")
        let l = { (s: String) in try! Civil.parseTimestamp(s).get().localSeconds }
        if case .gap = z.resolve(local: l("2026-03-29T01:15")) {} else { Issue.record("01:15 on 29 Mar 2026 should be in the gap") }
        #expect(z.resolve(local: l("2026-10-25T01:15")) == .ambiguous(first: l("2026-10-25T00:15"), second: l("2026-10-25T01:15")))
        #expect(z.resolve(local: l("2026-07-01T12:00")) == .unique(utc: l("2026-07-01T11:00")))
    }

    @Test("offsets agree with Foundation at random instants",
          arguments: ["Asia/Jerusalem", "Europe/London", "America/New_York", "Asia/Shanghai", "Australia/Lord_Howe", "Europe/Moscow"])
    func agreesWithFoundation(_ name: String) async throws {
        let z = try ZoneRules(name)
        let tz = TimeZone(identifier: name)!
        await propertyCheck(count: 300, input: Gen.int(in: -2_000_000_000...4_000_000_000)) { t in
            #expect(z.offset(atUTC: Int64(t)) == tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
            // Every real instant's wall time resolves back to that instant (as one of the occurrences).
            let local = z.local(fromUTC: Int64(t))
            switch z.resolve(local: local) {
            case .unique(let u): #expect(u == Int64(t))
            case .ambiguous(let a, let b): #expect(a == Int64(t) || b == Int64(t))
            case .gap: Issue.record("a real instant's wall time cannot be in a gap")
            }
        }
    }

    @Test func fixedOffsetsAndErrors() throws {
        #expect(try ZoneRules("+02:00").offset(atUTC: 0) == 7200)
        #expect(try ZoneRules("-0530").offset(atUTC: 0) == -19_800)
        #expect(try ZoneRules("UTC").isFixed)
        #expect(throws: ZoneRules.ZoneError.self) { try ZoneRules("Mars/Olympus") }
        #expect(throws: ZoneRules.ZoneError.self) { try ZoneRules("+2") }
    }
}
