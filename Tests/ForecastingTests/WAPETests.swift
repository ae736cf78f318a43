import Testing
@testable import Forecasting

/// Issue 12: WAPE on a window whose actuals total almost nothing is undefined, not 2.7e14%.
@Suite struct WAPETests {
    static func flat(_ v: Double, _ n: Int) -> Forecast {
        Forecast(mean: Array(repeating: v, count: n), lo80: Array(repeating: 0, count: n), hi80: Array(repeating: 2 * v, count: n),
                 lo95: Array(repeating: 0, count: n), hi95: Array(repeating: 3 * v, count: n))
    }

    @Test("actuals totalling under 1 contact: WAPE is NaN (empty / null), every other measure still scores")
    func undefinedOnEmptyWindow() {
        let m = AccuracyMetrics.score(actual: [0, 0, 0, 0.5], forecast: Self.flat(0.4, 4), scale: 0.5, slotsPerDay: 4, eventDays: [])
        #expect(m.wape.isNaN)
        #expect(m.mae.isFinite && m.mase.isFinite && m.smape.isFinite)
        let ok = AccuracyMetrics.score(actual: [0, 0, 0, 1], forecast: Self.flat(0.5, 4), scale: 0.5, slotsPerDay: 4, eventDays: [])
        #expect(abs(ok.wape - 200) < 1e-9, "exactly the threshold: defined (2 / 1 x 100)")
        #expect(AccuracyMetrics.wapeMinimumActual == 1)
    }

    @Test("the mean over origins uses the origins where WAPE is defined; NaN only when none is")
    func meanSkipsUndefined() {
        var a = AccuracyMetrics(), b = AccuracyMetrics()
        a.wape = .nan; b.wape = 12
        #expect(AccuracyMetrics.mean([a, b]).wape == 12)
        #expect(AccuracyMetrics.mean([a, a]).wape.isNaN)
        #expect(AccuracyMetrics.mean([]).wape == 0)
    }
}
