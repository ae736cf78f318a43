import Foundation
import Testing
@testable import Forecasting
import PlanningCore

/// Which past days the seasonal average inside `auto` takes (`SeasonalAverage.DaySelection.chosen`), and the
/// catch-up after a holiday when a make-up working day comes first.
@Suite struct SeasonalSelectionTests {
    static let rules: [CalendarRule] = [.monthStart(name: "month start", firstDay: 1, lastDay: 5)]

    /// Sum over the first `days` forecast days of |forecast day total - truth|.
    static func dayTotalError(_ f: Forecast, truth: ArraySlice<Double>, m1: Int, days: Int) -> Double {
        (0..<days).map { j in abs(f.mean[(j * m1)..<((j + 1) * m1)].reduce(0, +) - truth[truth.startIndex + j]) }.reduce(0, +)
    }

    /// The overlapping-effects series (month-start days x1.5 to x1.05, holidays at half a business day): averaging
    /// all same-weekday days puts a month-start day into most ordinary days' average, so `chosen` takes normal days
    /// only, and its forecast of the ordinary days of mid-March is closer to the truth than that of all days.
    @Test("the seasonal average passes over tagged days where month-start peaks would move ordinary days", arguments: [UInt64(21), 22, 23])
    func normalDaysWhereEffectsAreLarge(_ seed: UInt64) throws {
        let (events, y, truth, days) = EventEffectTests.series(seed: seed)
        let m1 = 8
        let cal = DayCalendar.build(firstDay: EventEffectTests.first, days: days + 60, events: events, channel: "voice", rules: Self.rules, weekend: [5, 6])
        let cut = Int(Civil.parseDate("2026-03-16")! - EventEffectTests.first)  // a Monday; the week after is ordinary
        let input = SeriesInput(y: Array(y.prefix(cut * m1)), slotsPerDay: m1, calendar: cal)
        #expect(SeasonalAverage.normalDaysForecastBetter(input, weeks: 6))
        guard case .seasonalAverage(let state) = try SeasonalAverage(weeks: 6, days: .chosen).fit(input) else {
            Issue.record("not a seasonal average state")
            return
        }
        #expect(state.normalDaysOnly == true)
        let chosen = try SeasonalAverage(weeks: 6, days: .chosen).forecast(input, horizon: 5 * m1)
        let all = try SeasonalAverage(weeks: 6, days: .all).forecast(input, horizon: 5 * m1)
        let eChosen = Self.dayTotalError(chosen, truth: truth[cut...], m1: m1, days: 5)
        let eAll = Self.dayTotalError(all, truth: truth[cut...], m1: m1, days: 5)
        #expect(eChosen < 0.6 * eAll, "day-total error over Mon-Fri: chosen \(eChosen), all days \(eAll)")
    }

    /// The same calendar (holidays, month-start rule days, make-up days) on a series with no calendar effect at all:
    /// passing over tagged days would only make the average older, so `chosen` keeps every day and equals `all`.
    @Test("the seasonal average keeps tagged days that carry no effect", arguments: [UInt64(31), 32, 33])
    func allDaysWhereTagsMarkNoEffect(_ seed: UInt64) throws {
        let (events, _, _, days) = EventEffectTests.series(seed: seed)
        var rng = SplitMix64(seed: seed)
        let m1 = 8
        var y: [Double] = []
        for i in 0..<days {
            let t = 2000 * (1 + 0.10 * Double(i) / 365) * EventEffectTests.weekly[Civil.weekday(ofDay: EventEffectTests.first + Int64(i))]
            let shock = exp(0.04 * IntradayUpdateTests.normal(&rng))
            for _ in 0..<m1 {
                let lambda = t * shock / Double(m1)
                y.append(max(0, (lambda + lambda.squareRoot() * IntradayUpdateTests.normal(&rng)).rounded()))
            }
        }
        let cal = DayCalendar.build(firstDay: EventEffectTests.first, days: days + 60, events: events, channel: "voice", rules: Self.rules, weekend: [5, 6])
        for origin in ["2025-11-17", "2026-03-16", "2026-05-18"] {
            let cut = Int(Civil.parseDate(origin)! - EventEffectTests.first)
            let input = SeriesInput(y: Array(y.prefix(cut * m1)), slotsPerDay: m1, calendar: cal)
            #expect(!SeasonalAverage.normalDaysForecastBetter(input, weeks: 6), "origin \(origin)")
            let chosen = try SeasonalAverage(weeks: 6, days: .chosen).forecast(input, horizon: 7 * m1)
            let all = try SeasonalAverage(weeks: 6, days: .all).forecast(input, horizon: 7 * m1)
            #expect(chosen.mean == all.mean, "origin \(origin)")
        }
    }

    /// A holiday ending on a Saturday, a make-up working day on the Sunday after it, then Monday: the catch-up may
    /// fall on the make-up day, so Monday's effect is its own (`@make-up`), not the plain second day after a holiday.
    @Test("a day after a holiday with a make-up working day between them carries its own near-holiday tag")
    func makeUpBetween() {
        let first = Civil.parseDate("2026-02-09")!  // Monday
        let evs = [
            CalendarEvent(day: first + 4, name: "Spring", kind: .holiday), CalendarEvent(day: first + 5, name: "Spring", kind: .holiday),
            CalendarEvent(day: first + 6, name: "Make-up", kind: .custom),
            CalendarEvent(day: first + 18, name: "Qingming", kind: .holiday)
        ]
        let cal = DayCalendar.build(firstDay: first, days: 28, events: evs, channel: "voice", rules: [], weekend: [5, 6])
        // Day 6 (Sunday) is the make-up day, right after the holiday: the first day after it.
        #expect(cal.tags[6].contains("near:after1:holiday") && cal.tags[6].contains("working_day"))
        // Days 7 and 8 (Monday, Tuesday) come after the make-up day.
        #expect(cal.tags[7].contains("near:after2:holiday@make-up") && !cal.tags[7].contains("near:after2:holiday"))
        #expect(!cal.tags[7].contains { $0.hasPrefix("near:after2:holiday=") })
        #expect(cal.tags[8].contains("near:after3:holiday@make-up"))
        #expect(CalendarContext.of(cal.tags[7]) == .nearEvent)
        // Without a make-up day in between (day 19, a Wednesday after Tuesday's holiday): the plain tags, by name too.
        #expect(cal.tags[19].contains("near:after1:holiday") && cal.tags[20].contains("near:after2:holiday=Qingming"))
        #expect(!cal.tags[20].contains { $0.hasSuffix("@make-up") })
    }

    /// `auto`'s day-total 80% interval on the overlapping-effects series: over 8 origins x 14 days (normal and
    /// calendar days) it covers the actual day totals close to 80% of the time, where the sums of the slots' 80%
    /// bounds (their Poisson noise added as if it moved together) cover nearly all.
    @Test("the day-total 80% interval covers 70-90% of day totals; summed slot bounds cover more")
    func dayTotalInterval() throws {
        let (events, y, _, days) = EventEffectTests.series(seed: 61)
        let m1 = 8, h = 14
        let cal = DayCalendar.build(firstDay: EventEffectTests.first, days: days + 60, events: events, channel: "voice", rules: Self.rules, weekend: [5, 6])
        var inside = 0, summedInside = 0, scored = 0
        for k in 0..<8 {
            let cut = Int(Civil.parseDate("2025-07-07")! - EventEffectTests.first) + 35 * k
            let input = SeriesInput(y: Array(y.prefix(cut * m1)), slotsPerDay: m1, calendar: cal)
            let state = try ModelRegistry.auto.fit(input)
            let f = try state.predict(calendar: cal, horizon: h * m1)
            for j in 0..<h where cut + j < days {
                let r = (j * m1)..<((j + 1) * m1)
                let total = f.mean[r].reduce(0, +), actual = y[((cut + j) * m1)..<((cut + j + 1) * m1)].reduce(0, +)
                let band = try #require(state.dayTotal80(total, tags: cal.tags[cut + j]))
                #expect(band.lo < total && total < band.hi)
                scored += 1
                if actual >= band.lo && actual <= band.hi { inside += 1 }
                if actual >= f.lo80[r].reduce(0, +) && actual <= f.hi80[r].reduce(0, +) { summedInside += 1 }
            }
        }
        let coverage = Double(inside) / Double(scored), summed = Double(summedInside) / Double(scored)
        let message = "day-total interval covers \(coverage), summed slot bounds \(summed), of \(scored) days"
        #expect((0.70...0.90).contains(coverage), Comment(rawValue: message))
        #expect(summed > coverage, Comment(rawValue: message))
        #expect(try SeasonalAverage(weeks: 4).fit(SeriesInput(y: Array(y.prefix(400 * m1)), slotsPerDay: m1, calendar: cal)).dayTotal80(100, tags: []) == nil)
    }
}
