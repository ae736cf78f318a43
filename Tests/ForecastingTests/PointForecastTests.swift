import Foundation
import Testing
@testable import Forecasting
import PlanningCore

/// The predictive median (the point forecast for absolute error) beside the mean, and the held-out origins.
@Suite struct PointForecastTests {
    static let types = Fixtures.root + "/Datasets/anonbank-calls-1999/types-30min.csv"

    @Test("a forecast without a median reports its mean; sanitize keeps the median finite and inside the 95% interval")
    func medianDefaults() {
        var f = Forecast(mean: [2, 0.3], lo80: [1, 0], hi80: [3, 1], lo95: [0, 0], hi95: [4, 2])
        #expect(f.median == [2, 0.3])
        f.median = [.nan, 7]
        f.sanitize()
        #expect(f.median == [2, 2])
        var g = Forecast(mean: [], lo80: [], hi80: [], lo95: [], hi95: [])
        g.mean.append(5); g.lo80.append(4); g.hi80.append(6); g.lo95.append(3); g.hi95.append(7)
        g.sanitize()
        #expect(g.median == [5])
        #expect(f.slice(1..<2) == Forecast(mean: [0.3], lo80: [0], hi80: [1], lo95: [0], hi95: [2], median: [2]))
    }

    @Test("MASE of the median is scored beside MASE of the mean")
    func maseMedianByHand() {
        let f = Forecast(mean: [0.4, 0.4, 0.4], lo80: [0, 0, 0], hi80: [1, 1, 1], lo95: [0, 0, 0], hi95: [2, 2, 2], median: [0, 0, 0])
        let m = AccuracyMetrics.score(actual: [0, 0, 1], forecast: f, scale: 0.5, slotsPerDay: 3, eventDays: [])
        #expect(abs(m.mase - (0.4 + 0.4 + 0.6) / 3 / 0.5) < 1e-12)
        #expect(abs(m.maseMedian - 1.0 / 3 / 0.5) < 1e-12)
    }

    @Test("the seasonal average's median is a count: 0 on a slot that was mostly empty, the mean on a busy one")
    func seasonalAverageMedian() throws {
        // Slot 0: one contact in one week of four (mean 0.25); slot 1: about 100 every week.
        let input = ContractTests.synthetic(days: 28, m1: 2) { d, s in s == 0 ? (d == 7 ? 1 : 0) : Double(100 + d % 3) }
        let f = try SeasonalAverage(weeks: 4).forecast(input, horizon: 2)
        #expect(abs(f.mean[0] - 0.25) < 1e-12 && f.median[0] == 0)
        #expect(abs(f.median[1] - f.mean[1]) <= 1)
    }

    @Test("day-profile and dshw report a count-distribution median below the mean on sparse data")
    func countModelMedians() throws {
        let tt = Fixtures.series(path: Self.types, channel: "tt", interval: 30, aggregateTo: 30)
        for model in [DayProfile(), DoubleSeasonalHW()] as [any ForecastModel] {
            let f = try model.forecast(tt, horizon: 7 * 48)
            let busy = zip(f.median, f.mean).filter { $0.1 > 0 }
            let below = busy.filter { $0.0 < $0.1 }.count
            #expect(below > busy.count / 2, "\(model.id): median below mean on \(below) of \(busy.count) slots")
            #expect(f.median.allSatisfy { $0.isFinite && $0 >= 0 })
        }
    }

    @Test("on the sparse series the median beats the best peer (DSHW-sqrt) at 1 and 7 days (regression guard; the 10% target is `peakplan-bench forecast`)", arguments: ["tt", "pe"])
    func sparseSeriesMedian(_ channel: String) throws {
        let input = Fixtures.series(path: Self.types, channel: channel, interval: 30, aggregateTo: 30)
        let rows = Backtest().run(input, models: [ModelRegistry.auto])
        let peer = try PeerBaselines.load(Fixtures.root + "/Datasets/benchmarks/forecast-peers/calls99.json")
        for h in ["1d", "7d"] {
            let ours = rows.first { $0.horizon == h }!.metrics
            let best = peer.best(channel: channel, horizon: h)!.mase
            if ProcessInfo.processInfo.environment["PEAKPLAN_PRINT_FIGURES"] != nil {
                print("figures \(channel) \(h): mase_median/peer \(ours.maseMedian / best)")
            }
            // The 10% target is printed by `peakplan-bench forecast` (auto_mase against target). Measured
            // 2026-12-07: tt 0.832 / 0.870, pe 0.879 / 0.872 of the peer at 1d / 7d. This guard (below 0.95 of
            // the peer) keeps 8% headroom over the worst measurement for other CPUs and libm versions.
            #expect(ours.maseMedian < 0.95 * best, "\(channel) \(h): \(ours.maseMedian) vs peer \(best)")
            // The mean stays the expected volume: on a sparse series its absolute error is larger.
            #expect(ours.mase > ours.maseMedian)
        }
    }

    @Test("held-out origins: moved back so their test weeks end before the first benchmark origin")
    func heldOutOrigins() {
        let input = Fixtures.voice30
        let bench = Backtest()
        var tune = Backtest()
        tune.endOffsetDays = tune.heldOutOffsetDays
        let b = bench.originSlots(input), t = tune.originSlots(input)
        #expect(b.count == 4 && t.count == 4)
        #expect(zip(b, t).allSatisfy { $0 - $1 == tune.heldOutOffsetDays * 48 })
        #expect(t.max()! + input.week <= b.min()!, "a tuning test week overlaps a benchmark origin's test week")
    }

    @Test("a combination saved before median weights and the rounding threshold existed still forecasts")
    func legacyCombinationState() throws {
        let input = Fixtures.series(path: Self.types, channel: "nw", interval: 30, aggregateTo: 30)
        let state = try ModelRegistry.auto.fit(input)
        let saved = SavedModel(model: "auto", channel: "nw", intervalMinutes: 30, historyEnd: "1999-12-31", state: state)
        var json = try JSONSerialization.jsonObject(with: try saved.encoded()) as! [String: Any]
        var st = json["state"] as! [String: Any]
        var comb = st["combination"] as! [String: Any]
        var inner = comb["state"] as! [String: Any]
        var plan = inner["plan"] as! [String: Any]
        plan.removeValue(forKey: "medianDay1"); plan.removeValue(forKey: "medianLater")
        inner["plan"] = plan
        inner.removeValue(forKey: "roundBoundsFromMean")
        comb["state"] = inner; st["combination"] = comb; json["state"] = st
        let legacy = try SavedModel.decode(try JSONSerialization.data(withJSONObject: json))
        let f = try legacy.state.predict(calendar: input.calendar, horizon: 48)
        let g = try state.predict(calendar: input.calendar, horizon: 48)
        // Same means; the legacy state rounds every bound outward to whole counts (today's default keeps them
        // fractional); medians from the mean weights.
        #expect(f.mean == g.mean)
        #expect(f.hi80 == g.hi80.map { $0.rounded(.up) } && f.lo95 == g.lo95.map { $0.rounded(.down) })
        #expect(g.hi80.contains { $0 != $0.rounded() }, "today's bounds are fractional")
        #expect(f.median.allSatisfy { $0.isFinite && $0 >= 0 })
    }
}
