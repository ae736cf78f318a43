import Foundation
import Testing
@testable import Forecasting
import PlanningCore

/// Annual events (618, 11.11, Yom Kippur) have one occurrence a year: the day-total model must keep every past
/// occurrence (all history, no age decay on event days) and give a lead window its shape.
@Suite struct AnnualEventTests {
    /// Two and a half years of days (8 slots each) with a weekly shape, a 28-day lead-up ramp to a yearly sales
    /// day (+40% a month out rising to +100% on the eve) and the day itself x3; counts Poisson (normal
    /// approximation) with a 4% day-level shock. Returns the series up to `cut` days and the truth of every day.
    static func series(seed: UInt64, cut: Int) -> (SeriesInput, truth: [Double], eventDays: [Int]) {
        var rng = SplitMix64(seed: seed)
        let first = Civil.parseDate("2024-01-01")!
        let days = 915
        let m1 = 8
        let eventDays = [0, 1, 2].map { Int(Civil.daysFromCivil(year: 2024 + $0, month: 6, day: 18) - first) }
        var events: [CalendarEvent] = []
        for d in eventDays { events.append(CalendarEvent(day: first + Int64(d), name: "618", kind: .sales, leadDays: 28, lagDays: 0)) }
        let cal = DayCalendar.build(firstDay: first, days: days, events: events, channel: "voice", rules: [], weekend: [5, 6])
        let weekly = [1.0, 0.97, 0.95, 0.95, 0.92, 0.45, 0.4]
        var truth = [Double](repeating: 0, count: days)
        var y: [Double] = []
        for d in 0..<days {
            var t = 2000 * weekly[cal.weekday(d)] * (1 + 0.15 * Double(d) / 365)
            for e in eventDays {
                let k = e - d
                if k == 0 { t *= 3 } else if k > 0 && k <= 28 { t *= 1.4 + 0.6 * Double(28 - k) / 27 }
            }
            truth[d] = t
            let shock = exp(0.04 * IntradayUpdateTests.normal(&rng))
            for _ in 0..<m1 {
                let lambda = t * shock / Double(m1)
                y.append(max(0, (lambda + lambda.squareRoot() * IntradayUpdateTests.normal(&rng)).rounded()))
            }
        }
        return (SeriesInput(y: Array(y.prefix(cut * m1)), slotsPerDay: m1, calendar: cal), truth, eventDays)
    }

    @Test("the third 618 is forecast from the two before it: the day and its lead-up ramp", arguments: [UInt64(1), 2, 3])
    func thirdOccurrence(_ seed: UInt64) throws {
        let (_, _, eventDays) = Self.series(seed: seed, cut: 1)
        let cut = eventDays[2] - 35 // forecast origin five weeks before the third event
        let (input, truth, _) = Self.series(seed: seed, cut: cut)
        let (_, _, totals) = try DayProfile().run(input, horizon: 42 * input.slotsPerDay)
        func err(_ d: Int) -> Double { totals[d - cut] / truth[d] - 1 }
        // The settings before (364 days of history, event days aged like others, fixed penalties 0.8 / 3, no pooling
        // from the data, no drift) for comparison.
        var before = DayProfile()
        before.historyDays = 364; before.eventDaysKeepFullWeight = false; before.kindPenalty = 0.8; before.namePenalty = 3
        before.poolingIterations = 0; before.driftWindowDays = 0
        let (_, _, old) = try before.run(input, horizon: 42 * input.slotsPerDay)
        // The event day (x3): within 20% (the series grows 15% a year, the day shock is 4%, and ridge still shrinks
        // a two-occurrence effect a little), and at least 10 points closer than the settings before.
        let e = eventDays[2]
        let oldErr = old[e - cut] / truth[e] - 1
        #expect(abs(err(e)) < 0.20, "event day: forecast \(totals[e - cut]), truth \(truth[e])")
        #expect(abs(err(e)) < abs(oldErr) - 0.10, "event day error \(err(e)) vs \(oldErr) with the settings before")
        // The lead-up has a shape: the last three days are forecast above the days a month out, as in the truth.
        let late = (1...3).map { totals[e - $0 - cut] / truth[e - $0] }, early = (22...28).map { totals[e - $0 - cut] / truth[e - $0] }
        let lateLevel = (1...3).map { totals[e - $0 - cut] }.reduce(0, +) / 3, earlyLevel = (22...28).map { totals[e - $0 - cut] }.reduce(0, +) / 7
        #expect(lateLevel > 1.2 * earlyLevel, "lead-up ramp: last 3 days \(lateLevel) vs a month out \(earlyLevel)")
        // Mean absolute error over the lead window within 12%.
        let lead = (1...28).map { abs(err(e - $0)) }
        #expect(lead.reduce(0, +) / 28 < 0.12, "lead window errors \(late) ... \(early)")
    }

    @Test("lead windows: every day carries the window's tag and its offset, for the kind and by name; offsets become a piecewise-linear ramp; lag days by offset")
    func leadSteps() {
        let first = Civil.parseDate("2026-05-01")!
        let ev = CalendarEvent(day: first + 40, name: "618", kind: .sales, leadDays: 28, lagDays: 1)
        let cal = DayCalendar.build(firstDay: first, days: 50, events: [ev], channel: "voice", rules: [], weekend: [])
        #expect(cal.tags[39].contains("before:sales") && cal.tags[39].contains("before:sales=618"))
        #expect(cal.tags[39].contains("before:sales@1/28d") && cal.tags[39].contains("before:sales=618@1/28d"))
        #expect(cal.tags[12].contains("before:sales@28/28d") && !cal.tags[11].contains("before:sales"))
        // Knots 1, 2, 4, 8, 16, 28: 6 days before lies halfway between 4 and 8; 20 days before a third of the way from 16 to 28.
        let six = DayProfile.rampColumns("before:sales=618@6/28d")!
        #expect(six.map(\.0) == ["before:sales=618@~4d", "before:sales=618@~8d"] && six.allSatisfy { abs($0.1 - 0.5) < 1e-12 })
        let twenty = DayProfile.rampColumns("before:sales@20/28d")!
        #expect(twenty.map(\.0) == ["before:sales@~16d", "before:sales@~28d"] && abs(twenty[1].1 - 1.0 / 3) < 1e-12)
        #expect(DayProfile.rampColumns("before:sales@1/28d")!.map(\.0) == ["before:sales@~1d"])
        #expect(DayProfile.rampColumns("before:sales") == nil && DayProfile.rampColumns("near:before1:holiday") == nil)
        #expect(cal.tags[41].contains("after1:sales") && cal.tags[41].contains("after1:sales=618") && !cal.tags[41].contains { $0.contains("@") })
    }

    @Test("days near a holiday carry their distance to it (by kind and name); rule days on a holiday carry <rule>@holiday; a custom day on a weekend is a working_day")
    func holidayNeighbours() {
        let first = Civil.parseDate("2026-01-26")!  // Monday
        let evs = [CalendarEvent(day: first + 6, name: "Spring", kind: .holiday), CalendarEvent(day: first + 7, name: "Spring", kind: .holiday),
                   CalendarEvent(day: first + 12, name: "Make-up", kind: .custom)]
        let cal = DayCalendar.build(firstDay: first, days: 20, events: evs, channel: "voice",
                                    rules: [.monthStart(name: "month start", firstDay: 1, lastDay: 5)], weekend: [5, 6])
        #expect(cal.tags[3].contains("near:before3:holiday") && cal.tags[3].contains("near:before3:holiday=Spring") && cal.tags[5].contains("near:before1:holiday"))
        #expect(cal.tags[8].contains("near:after1:holiday=Spring") && cal.tags[10].contains("near:after3:holiday") && !cal.tags[11].contains("near:after4:holiday"))
        #expect(!cal.tags[6].contains { $0.hasPrefix("near:") })
        // 2026-02-01 (day 6) is a holiday and day 1 of the month: no month-start tags, the rule's holiday tag instead.
        #expect(cal.tags[6].contains("month_start@holiday") && !cal.tags[6].contains("month_start") && !cal.tags[6].contains("month_start=day1"))
        #expect(cal.tags[8].contains("month_start=day3"))
        // Day 12 is a Saturday.
        #expect(cal.tags[12].contains("working_day") && !cal.tags[5].contains("working_day"))
    }
}
