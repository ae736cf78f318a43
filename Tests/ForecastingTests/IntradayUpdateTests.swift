import Foundation
import Testing
@testable import Forecasting
import PlanningCore

/// The intraday re-forecast (`peakplan forecast --as-of`, backtest bucket rest-of-day).
@Suite struct IntradayUpdateTests {
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = max(rng.uniform(), 1e-12), v = rng.uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }

    /// 140 days of 48 slots: a fixed intraday bell of `dayVolume` contacts, each day scaled by a log-normal day
    /// factor of spread `daySpread`, counts Poisson (normal approximation, rounded, at least 0).
    static func series(seed: UInt64, dayVolume: Double, daySpread: Double) -> SeriesInput {
        var rng = SplitMix64(seed: seed)
        let m1 = 48
        let shape = (0..<m1).map { s in exp(-pow(Double(s) - 26, 2) / 60) }
        let sum = shape.reduce(0, +)
        var y: [Double] = []
        for _ in 0..<140 {
            let r = exp(daySpread * normal(&rng))
            for s in 0..<m1 {
                let lambda = dayVolume * r * shape[s] / sum
                y.append(max(0, (lambda + lambda.squareRoot() * normal(&rng)).rounded()))
            }
        }
        return SeriesInput(y: y, slotsPerDay: m1, calendar: DayCalendar(firstDay: Civil.parseDate("2026-01-05")!, days: 150))
    }

    /// Mean absolute error of the afternoons of the last 28 days, forecast by the 4-week same-weekday mean and
    /// updated at noon from the morning (or not).
    static func afternoonError(_ input: SeriesInput, update: Bool) -> Double {
        let m1 = input.slotsPerDay
        var err = 0.0
        for d in (input.days - 28)..<input.days {
            let history = SeriesInput(y: Array(input.y[0..<(d * m1)]), slotsPerDay: m1, calendar: input.calendar)
            var mean = [Double](repeating: 0, count: m1)
            for k in 1...4 { for s in 0..<m1 { mean[s] += input.y[(d - 7 * k) * m1 + s] / 4 } }
            var f = Forecast(mean: mean, lo80: mean, hi80: mean, lo95: mean, hi95: mean)
            if update {
                IntradayUpdate.estimate(history, from: 24).apply(&f, actuals: input.y[(d * m1)..<(d * m1 + 24)], from: 24, end: m1)
            }
            for s in 24..<m1 { err += abs(input.y[d * m1 + s] - f.mean[s]) }
        }
        return err
    }

    @Test("when whole days run high or low, the morning's surprise carries into the afternoon and lowers its error", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func dayFactorsAreLearnt(_ seed: UInt64) {
        let input = Self.series(seed: seed, dayVolume: 2000, daySpread: 0.15)
        let u = IntradayUpdate.estimate(input, from: 24)
        #expect(u.days >= 8)
        let slope = u.slope(expected: 1000)
        #expect(slope > 0.3 && slope <= 1, "slope \(slope)")
        #expect(Self.afternoonError(input, update: true) < 0.9 * Self.afternoonError(input, update: false))
    }

    @Test("without day factors the morning is noise: the update stays small and costs little", arguments: [1, 2, 3, 4, 5] as [UInt64])
    func pureNoiseIsIgnored(_ seed: UInt64) {
        let input = Self.series(seed: seed, dayVolume: 2000, daySpread: 0)
        let slope = IntradayUpdate.estimate(input, from: 24).slope(expected: 1000)
        #expect(slope < 0.25, "slope \(slope)")
        #expect(Self.afternoonError(input, update: true) < 1.03 * Self.afternoonError(input, update: false))
    }

    @Test("few contacts expected so far move the forecast little; edge cases leave it as it is")
    func edgeCases() {
        let u = IntradayUpdate(covariance: 0.02, excessVariance: 0.03, days: 60)
        #expect(u.slope(expected: 5) < 0.1)
        #expect(u.slope(expected: 5000) > 0.6 && u.slope(expected: 5000) <= 1)
        #expect(u.ratio(actual: 9, expected: 0) == 1)
        #expect(IntradayUpdate(covariance: 5, excessVariance: 0.01, days: 60).slope(expected: 1e6) == 1)
        #expect(IntradayUpdate(covariance: 0.02, excessVariance: 0.03, days: 7).slope(expected: 500) == 0)
        let input = Self.series(seed: 9, dayVolume: 2000, daySpread: 0.15)
        #expect(IntradayUpdate.estimate(input, from: 0).days == 0)
        #expect(IntradayUpdate.estimate(input, from: 48).days == 0)
        // NaN actuals are skipped; a morning of zeros never makes a bound negative.
        var f = Forecast(mean: [10, 10, 10, 10], lo80: [5, 5, 5, 5], hi80: [15, 15, 15, 15], lo95: [2, 2, 2, 2], hi95: [20, 20, 20, 20])
        let r = u.apply(&f, actuals: [.nan, 0], from: 2, end: 4)
        #expect(r.actual == 0 && r.expected == 10)
        #expect(f.mean[0] == 10 && f.mean[2] < 10 && f.lo95[2] >= 0 && f.lo95[2] <= f.mean[2])
    }

    @Test("on the real voice series: a weekday noon update weighs the morning, an almost empty Saturday morning does not")
    func realVoice() {
        let input = Fixtures.voice30
        let history = SeriesInput(y: Array(input.y.prefix(350 * 48)), slotsPerDay: 48, calendar: input.calendar)
        let u = IntradayUpdate.estimate(history, from: 24)
        #expect(u.days >= 30)
        #expect(u.slope(expected: 600) > 0.1 && u.slope(expected: 600) <= 1)
        #expect(u.slope(expected: 6) < 0.2)
    }
}
