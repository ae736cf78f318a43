import Foundation
import Testing
@testable import Forecasting
import PlanningCore

/// `auto` chooses its models per calendar context from backtests on such days; the day-profile model's drift covers
/// the smoothed level's lag.
@Suite struct ContextChoiceTests {
    @Test("a day's calendar context: event before rule day before near a holiday before normal")
    func contexts() {
        #expect(CalendarContext.of([]) == .normal)
        #expect(CalendarContext.of(["month_start", "month_start=day1"]) == .monthStart)
        #expect(CalendarContext.of(["payday"]) == .monthStart)
        #expect(CalendarContext.of(["holiday", "holiday=New Year", "month_start@holiday"]) == .event)
        #expect(CalendarContext.of(["month_start", "before:sales", "before:sales@3/21d"]) == .event)
        #expect(CalendarContext.of(["near:after1:holiday", "near:after1:holiday=New Year"]) == .nearEvent)
        #expect(CalendarContext.of(["near:after2:holiday", "month_start", "month_start=day3"]) == .monthStart)
        #expect(CalendarContext.of(["custom", "working_day"]) == .event)
    }

    @Test("the paired test: a consistently lower error is clearly better; the same mean lower by noise is not")
    func pairedTest() {
        let base = [100.0, 120, 90, 110, 105, 95, 130, 100, 115, 85]
        #expect(ContextScorer.clearlyBetter(base.map { $0 - 10 + Double(Int($0) % 3) }, than: base))
        // Lower by 10 on average, but by +60/-80 alternately: within noise of 10 days.
        let noisy = base.enumerated().map { $0.element + ($0.offset % 2 == 0 ? 60 : -80) }
        #expect(!ContextScorer.clearlyBetter(noisy, than: base))
        #expect(!ContextScorer.clearlyBetter(base, than: base))
    }

    /// `auto` with a calendar-blind candidate (the 4-week seasonal average) and the day-profile model on the
    /// overlapping-effects series: month-start, event and near-holiday days are scored in backtests, the seasonal
    /// average is far worse there and never wins, and the forecast of such a day is the winner's.
    @Test("auto scores each calendar context in backtests on such days and forecasts it with the winner", arguments: [UInt64(41), 42])
    func choicePerContext(_ seed: UInt64) throws {
        let (events, y, _, days) = EventEffectTests.series(seed: seed)
        let m1 = 8
        let cal = DayCalendar.build(
            firstDay: EventEffectTests.first, days: days + 60, events: events, channel: "voice",
            rules: [.monthStart(name: "month start", firstDay: 1, lastDay: 5)], weekend: [5, 6])
        let cut = Int(Civil.parseDate("2025-09-22")! - EventEffectTests.first)
        let input = SeriesInput(y: Array(y.prefix(cut * m1)), slotsPerDay: m1, calendar: cal)
        let auto = Combination(candidates: [SeasonalAverage(weeks: 4), DayProfile()])
        let plan = auto.plan(input)
        let choices = try #require(plan.contexts)
        for c in [CalendarContext.monthStart, .event, .nearEvent] {
            let choice = try #require(choices.first { $0.context == c }, "no backtest choice for \(c)")
            #expect(choice.days >= auto.minimumContextDays)
            let sa = try #require(choice.mae[0]), dp = try #require(choice.mae[1])
            // Near a holiday only the catch-up days (+20%, +10%) differ from a normal day.
            #expect(sa > (c == .nearEvent ? 1 : 1.5) * dp, "\(c): seasonal average \(sa) vs day-profile \(dp) per day")
            #expect(choice.winner != "seasonal-avg-4w")
        }
        // The forecast of each day of a calendar context is the one its choice gives: the earlier rule (the
        // day-profile model alone here) or the winner's weights.
        let f = try auto.forecast(input, horizon: 28 * m1)
        let dp = try DayProfile().forecast(input, horizon: 28 * m1)
        for j in 0..<28 {
            let context = CalendarContext.of(cal.tags[cut + j])
            guard context == .monthStart || context == .event,
                let choice = choices.first(where: { $0.context == context }), choice.weights == nil
            else { continue }
            let a = f.mean[(j * m1)..<((j + 1) * m1)].reduce(0, +), b = dp.mean[(j * m1)..<((j + 1) * m1)].reduce(0, +)
            #expect(abs(a / b - 1) < 1e-9, "day \(j) (\(context)): auto \(a), day-profile \(b)")
        }
    }

    /// 2 years of a series growing 20% a year with a weekly shape and a 4% day shock, no calendar: the level of a
    /// smoothed series lags the growth, and the drift must cover that lag. Over 6 seeds (one seed's level noise is
    /// as large as the lag), the mean absolute bias of the 42-day forecast.
    @Test("a growing series is forecast without the smoothed level's lag")
    func driftCoversLag() throws {
        var fixed: [Double] = [], lagging: [Double] = []
        for seed in UInt64(51)...56 {
            var rng = SplitMix64(seed: seed)
            let m1 = 4, days = 730, h = 42
            let weekly = [1.0, 0.97, 0.95, 0.95, 0.92, 0.45, 0.4]
            let first = Civil.parseDate("2024-01-01")!
            var y: [Double] = [], truth: [Double] = []
            for i in 0..<(days + h) {
                let t = 3000 * exp(log(1.2) * Double(i) / 365) * weekly[Civil.weekday(ofDay: first + Int64(i))]
                truth.append(t)
                let shock = exp(0.04 * IntradayUpdateTests.normal(&rng))
                for _ in 0..<m1 where i < days {
                    let lambda = t * shock / Double(m1)
                    y.append(max(0, (lambda + lambda.squareRoot() * IntradayUpdateTests.normal(&rng)).rounded()))
                }
            }
            let input = SeriesInput(y: y, slotsPerDay: m1, calendar: DayCalendar(firstDay: first, days: days + h))
            func bias(_ model: DayProfile) throws -> Double {
                let totals = try model.run(input, horizon: h * m1).dayTotals
                return (0..<h).map { log(totals[$0] / truth[days + $0]) }.reduce(0, +) / Double(h)
            }
            var earlier = DayProfile()
            earlier.driftCoversLevelLag = false
            fixed.append(abs(try bias(DayProfile())))
            lagging.append(abs(try bias(earlier)))
        }
        let f = fixed.reduce(0, +) / 6, l = lagging.reduce(0, +) / 6
        #expect(f < 0.01, "mean absolute bias over 42 days \(f) (per seed \(fixed))")
        #expect(f < l, "without the lag: \(l) (per seed \(lagging)), with: \(f)")
    }
}
