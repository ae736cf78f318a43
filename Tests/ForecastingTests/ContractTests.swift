import Foundation
import Testing
@testable import Forecasting
import LinearAlgebra
import PlanningCore

/// Every registered model meets the same contract on real and on awkward series.
@Suite struct ContractTests {
    static let models: [any ForecastModel] = ModelRegistry.all

    static func synthetic(days: Int, m1: Int = 48, _ value: (Int, Int) -> Double) -> SeriesInput {
        var y: [Double] = []
        for d in 0..<days { for s in 0..<m1 { y.append(value(d, s)) } }
        return SeriesInput(y: y, slotsPerDay: m1, calendar: DayCalendar(firstDay: Civil.parseDate("2026-01-05")!, days: days + 14))
    }

    static func check(_ f: Forecast, horizon: Int, _ model: String) {
        #expect(f.count == horizon, "\(model)")
        for t in 0..<f.count {
            let v = [f.lo95[t], f.lo80[t], f.mean[t], f.hi80[t], f.hi95[t]]
            #expect(v.allSatisfy { $0.isFinite && $0 >= 0 }, "\(model) slot \(t): \(v)")
            #expect(f.lo95[t] <= f.lo80[t] && f.lo80[t] <= f.mean[t] && f.mean[t] <= f.hi80[t] && f.hi80[t] <= f.hi95[t], "\(model) slot \(t): \(v)")
        }
    }

    @Test("contract on the real Israeli series: shape, order, no NaN, reproducible", arguments: models.map(\.id))
    func realSeries(_ id: String) throws {
        let model = ModelRegistry.model(id)!
        let input = Fixtures.voice30
        let cut = SeriesInput(y: Array(input.y.prefix(300 * 48)), slotsPerDay: 48, calendar: input.calendar)
        var horizon = 14 * 48 + 5
        if let maxDays = model.maximumHorizonDays {
            // Beyond its horizon a model says so, naming itself and the limit.
            #expect(throws: ForecastError.self) { try model.forecast(cut, horizon: maxDays * 48 + 1) }
            do { _ = try model.forecast(cut, horizon: maxDays * 48 + 1) } catch {
                #expect("\(error)".contains(id) && "\(error)".contains("at most \(maxDays) days"), "\(error)")
            }
            horizon = min(horizon, maxDays * 48)
        }
        let f = try model.forecast(cut, horizon: horizon)
        Self.check(f, horizon: horizon, id)
        #expect(try model.forecast(cut, horizon: horizon) == f, "same input, same forecast")
    }

    @Test("constant, all-zero and gappy series give finite forecasts", arguments: models.map(\.id))
    func awkwardSeries(_ id: String) throws {
        let model = ModelRegistry.model(id)!
        let constant = Self.synthetic(days: 70) { _, _ in 7 }
        Self.check(try model.forecast(constant, horizon: 96), horizon: 96, id)
        let zero = Self.synthetic(days: 70) { _, _ in 0 }
        let fz = try model.forecast(zero, horizon: 96)
        Self.check(fz, horizon: 96, id)
        #expect(fz.mean.allSatisfy { $0 == 0 }, "\(id) forecasts 0 for an all-zero series")
        // Every 9th day missing, and night hours closed (0).
        let gappy = Self.synthetic(days: 70) { d, s in d % 9 == 4 ? .nan : (s < 14 || s > 44 ? 0 : Double(10 + (d * 7 + s) % 5)) }
        Self.check(try model.forecast(gappy, horizon: 96), horizon: 96, id)
    }

    @Test("too little history is a clear error, not a crash", arguments: models.map(\.id))
    func tooShort(_ id: String) {
        let model = ModelRegistry.model(id)!
        let tiny = Self.synthetic(days: 1) { _, s in Double(s) }
        #expect(throws: ForecastError.self) { _ = try model.forecast(tiny, horizon: 48) }
    }

    @Test func registryIdsAreUniqueAndDefaultIsAuto() {
        let ids = ModelRegistry.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.contains("auto"))
        // Every file in Sources/Forecasting/Models defines a registered model (`Model+Part.swift`: more of `Model`).
        let dir = Fixtures.root + "/Sources/Forecasting/Models"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        let fileTypes = Set(files.filter { $0.hasSuffix(".swift") }.map { String($0.dropLast(6).prefix { $0 != "+" }) })
        let registeredTypes = Set(ModelRegistry.all.map { String(describing: type(of: $0)) })
        #expect(fileTypes == registeredTypes, "a model file is not registered (or a registered model has no file)")
    }
}

@Suite struct AccuracyTests {
    @Test("the backtest reproduces the peer harness on the Israeli series (same protocol, same numbers)")
    func peerProtocol() throws {
        // Peer figures from Datasets/benchmarks/forecast-peers/israel.json (statsforecast SeasonalNaive and
        // the harness's 4-week seasonal average).
        let rows = Backtest().run(Fixtures.voice30, models: [SeasonalNaive(.day), SeasonalNaive(.week), SeasonalAverage(weeks: 4)])
        func mase(_ m: String, _ h: String) -> Double { rows.first { $0.model == m && $0.horizon == h }!.metrics.mase }
        let peer = try PeerBaselines.load(Fixtures.root + "/Datasets/benchmarks/forecast-peers/israel.json")
        #expect(abs(mase("snaive-day", "1d") - peer.mase(channel: "voice", method: "SNaive-day", horizon: "1d")!) < 1e-6)
        #expect(abs(mase("snaive-week", "7d") - peer.mase(channel: "voice", method: "SNaive-week", horizon: "7d")!) < 1e-6)
        #expect(abs(mase("seasonal-avg-4w", "7d") - peer.mase(channel: "voice", method: "SeasonalAvg-4w", horizon: "7d")!) < 1e-6)
    }

    @Test("auto beats the best peer on the seven bundled series taken together, and stays near it on voice (regression guards; the figures are `peakplan-bench forecast`)")
    func autoVersusPeers() throws {
        let israel = try PeerBaselines.load(Fixtures.root + "/Datasets/benchmarks/forecast-peers/israel.json")
        let calls = try PeerBaselines.load(Fixtures.root + "/Datasets/benchmarks/forecast-peers/calls99.json")
        let types = Fixtures.root + "/Datasets/anonbank-calls-1999/types-30min.csv"
        var logs: [Double] = []
        for name in ["voice", "ps", "nw", "ne", "in", "tt", "pe"] {
            let input = name == "voice" ? Fixtures.voice30 : Fixtures.series(path: types, channel: name, interval: 30, aggregateTo: 30)
            let rows = Backtest().run(input, models: [ModelRegistry.auto])
            for h in ["1d", "7d"] {
                let best = (name == "voice" ? israel : calls).best(channel: name, horizon: h)!.mase
                let ours = rows.first { $0.horizon == h }!.metrics
                logs.append(log(ours.maseMedian / best))
                if ProcessInfo.processInfo.environment["PEAKPLAN_PRINT_FIGURES"] != nil {
                    print("figures \(name) \(h): mase_median/peer \(ours.maseMedian / best), mase/peer \(ours.mase / best), coverage80 \(ours.coverage80)")
                }
                if name == "voice" {
                    // Voice is auto's weakest series (held-out choices, not tuned on these origins). Measured
                    // (2026-12-07, four OpenBLAS kernels alike): median 1.040 / 1.024 and mean 1.014 / 1.024 of the
                    // peer at 1d / 7d. The guard at 1.10 leaves 6% for another CPU or libm flipping a grid choice
                    // (fitted numbers themselves agree to 1e-11 across kernels); a broken model is far beyond it.
                    #expect(ours.maseMedian < best * 1.10 && ours.mase < best * 1.10, "voice \(h): \(ours.maseMedian) / \(ours.mase) vs peer \(best)")
                    // Measured 78.1% / 79.9%: the nominal 80% within 8 points either way.
                    #expect(ours.coverage80 > 72 && ours.coverage80 < 88, "voice \(h) 80% coverage \(ours.coverage80)")
                }
            }
        }
        // `peakplan-bench forecast` prints the figure (0.902 measured); the claim is "below 1". The guard at 0.95
        // leaves 5% headroom over the measurement for other CPUs and libm versions.
        let geo = exp(logs.reduce(0, +) / Double(logs.count))
        if ProcessInfo.processInfo.environment["PEAKPLAN_PRINT_FIGURES"] != nil { print("figures geometric mean ratio \(geo)") }
        #expect(logs.count == 14 && geo < 0.95, "geometric mean ratio \(geo)")
    }

    @Test func metricsOnAHandExample() {
        let f = Forecast(mean: [2, 4], lo80: [1, 3], hi80: [3, 5], lo95: [0, 2], hi95: [4, 6])
        let m = AccuracyMetrics.score(actual: [3, 4], forecast: f, scale: 0.5, slotsPerDay: 2, eventDays: [0])
        #expect(m.mae == 0.5 && m.mase == 1 && abs(m.wape - 100.0 / 7) < 1e-12)
        #expect(m.coverage80 == 100 && m.coverage95 == 100)
        #expect(abs(m.smape - (200.0 / 5) / 2) < 1e-12)
        #expect(abs(m.eventDayError! - 100.0 / 7) < 1e-12) // day total 6 vs 7
    }
}

@Suite struct LinearAlgebraTests {
    @Test func ridgeMatchesLeastSquaresWhenUnpenalised() throws {
        let x = Matrix([[1, 0], [1, 1], [1, 2], [1, 3]])
        let y = [1.0, 3, 5, 7.1]
        let a = try LinearAlgebra.leastSquares(x, y)
        let b = try LinearAlgebra.ridge(x, y, penalty: [0, 0])
        #expect(abs(a[0] - b[0]) < 1e-10 && abs(a[1] - b[1]) < 1e-10)
        #expect(abs(a[1] - 2.03) < 1e-10)
    }

    @Test func svdReconstructs() throws {
        let x = Matrix([[2, 0, 1], [0, 3, 1], [1, 1, 4], [0, 0, 1]])
        let (u, s, vt) = try LinearAlgebra.svd(x)
        for i in 0..<4 { for j in 0..<3 {
            var v = 0.0
            for k in 0..<3 { v += u[i, k] * s[k] * vt[k, j] }
            #expect(abs(v - x[i, j]) < 1e-12)
        } }
        #expect(s == s.sorted(by: >))
    }

    @Test func ridgeRejectsMismatch() {
        #expect(throws: LinearAlgebraError.self) { _ = try LinearAlgebra.ridge(Matrix(rows: 3, cols: 2), [1, 2], penalty: [0, 0]) }
    }
}

@Suite struct SavedModelTests {
    static let types = Fixtures.root + "/Datasets/anonbank-calls-1999/types-30min.csv"

    /// Tolerance of each numeric field of a saved `auto` model, by field name. The committed files were written
    /// on one machine; this test fits on whatever machine runs it (another CPU picks other OpenBLAS kernels,
    /// another glibc rounds `exp`/`log` differently in the last bit), so numbers compare within these bounds
    /// and everything else (structure, keys, names, counts, grid choices) exactly.
    static func savedModelRule(_ path: String, _ key: String) -> NumericTolerance.Rule {
        switch key {
        case "formatVersion", "intervalMinutes", "endDay", "slotsPerDay", "occurrences":
            return .exact("an integer count or date")
        case "smoothing", "profileWeekdayWeight", "sameWeekdayBlend", "scale80Day1", "scale80Later", "scale95Day1",
             "scale95Later", "busyScales", "roundBoundsFromMean":
            return .exact("chosen from a finite grid: another choice is a different model")
        case "means", "sds":
            // Seasonal average: sums and a square root in plain Swift (no BLAS); IEEE arithmetic agrees to the
            // last bits whatever the CPU.
            return NumericTolerance.Rule(relative: 1e-12, absolute: 1e-12, reason: "closed-form averages in Swift")
        default:
            // Ridge coefficients and their standard errors (LAPACK dposv on normal equations built by dsyrk),
            // and what is computed from them (levels, residual SD, profiles, combination weights from backtest
            // errors). Kernel differences change a dot product by ~1e-16 relative; the ridge systems' condition
            // numbers (up to ~1e6 for the level-shift columns) amplify that to ~1e-10. Measured between this
            // machine's kernel and the Prescott, Sandybridge and Haswell kernels: at most 1e-10 relative
            // (scripts/numeric-kernels). 1e-7 leaves three orders of magnitude for other CPUs and libm versions
            // while still catching any change of the model (a real refit differs by 1e-3 or more).
            return NumericTolerance.Rule(relative: 1e-7, absolute: 1e-9, reason: "LAPACK solves and what derives from them")
        }
    }

    /// Forecast values: means and quantiles in contacts per interval. They pass through `exp` of the ridge
    /// effects and the combination weights, so the fit's relative tolerance carries over; the absolute floor
    /// keeps near-zero night slots from failing on a relative test.
    static let forecastRule = NumericTolerance.Rule(relative: 1e-6, absolute: 1e-7, reason: "forecast from a state within tolerance")

    static func compareForecasts(_ expected: Forecast, _ actual: Forecast, _ label: String) -> [String] {
        var out: [String] = []
        let fields: [(String, KeyPath<Forecast, [Double]>)] = [("mean", \.mean), ("median", \.median), ("lo80", \.lo80),
                                                               ("hi80", \.hi80), ("lo95", \.lo95), ("hi95", \.hi95)]
        for (name, kp) in fields {
            let e = expected[keyPath: kp], a = actual[keyPath: kp]
            guard e.count == a.count else { out.append("\(label) \(name): \(a.count) values, expected \(e.count)"); continue }
            for t in e.indices where !forecastRule.accepts(e[t], a[t]) {
                out.append("\(label) \(name)[\(t)]: \(a[t]), expected \(e[t]) (allowed: \(forecastRule))")
                break
            }
        }
        return out
    }

    @Test("the committed Models/ files are what fitting on the bundled data writes (within stated tolerances), and forecast the same",
          arguments: ["voice", "ps", "pe", "in", "ne", "nw", "tt"])
    func committedModels(_ channel: String) throws {
        let input = channel == "voice" ? Fixtures.voice30 : Fixtures.series(path: Self.types, channel: channel, interval: 30, aggregateTo: 30)
        let dir = channel == "voice" ? "anonbank-israel-1999" : "anonbank-calls-1999"
        let path = Fixtures.root + "/Models/\(dir)/\(channel)-30min-auto.json"
        let state = try ModelRegistry.auto.fit(input)
        let saved = SavedModel(model: "auto", channel: channel, intervalMinutes: 30,
                               historyEnd: Civil.formatDate(day: input.calendar.firstDay + Int64(input.days)), state: state)
        let file = try Data(contentsOf: URL(fileURLWithPath: path))
        let committed = try NumericTolerance.Value.parse(file)
        let fresh = try NumericTolerance.Value.parse(try saved.encoded())
        if ProcessInfo.processInfo.environment["PEAKPLAN_PRINT_DRIFT"] != nil {
            var drift: [String: Double] = [:]
            NumericTolerance.drift(committed, fresh, into: &drift)
            let worst = drift.filter { $0.value > 0 }.sorted { $0.value > $1.value }.prefix(6)
            print("drift \(channel): " + (worst.isEmpty ? "none" : worst.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        let differences = NumericTolerance.compare(committed, fresh, rule: Self.savedModelRule)
        #expect(differences.isEmpty, "Models/\(dir)/\(channel)-30min-auto.json differs from a fit on the bundled data beyond the stated tolerances (if the model changed on purpose, run scripts/models): \(differences.prefix(8).map(\.description).joined(separator: "; "))")

        // The file forecasts what fit + forecast gives on this machine, within the same tolerances; and a state
        // decoded from what this machine encodes forecasts exactly the same (JSON round trip is lossless).
        let loaded = try SavedModel.decode(file)
        #expect(loaded.formatVersion == saved.formatVersion && loaded.model == "auto" && loaded.channel == channel)
        let fromFile = try loaded.state.predict(calendar: input.calendar, horizon: 14 * 48)
        let direct = try ModelRegistry.auto.forecast(input, horizon: 14 * 48)
        let problems = Self.compareForecasts(direct, fromFile, "\(channel) forecast from the committed file")
        #expect(problems.isEmpty, "\(problems.joined(separator: "; "))")
        let roundTrip = try SavedModel.decode(try saved.encoded())
        #expect(try roundTrip.state.predict(calendar: input.calendar, horizon: 14 * 48) == direct, "a saved model forecasts exactly what fit + forecast gives on the machine that saved it")
    }

    @Test("every model's state survives JSON bit for bit", arguments: ModelRegistry.all.map(\.id))
    func roundTrip(_ id: String) throws {
        let input = SeriesInput(y: Array(Fixtures.voice30.y.prefix(200 * 48)), slotsPerDay: 48, calendar: Fixtures.voice30.calendar)
        let state = try ModelRegistry.model(id)!.fit(input)
        let saved = SavedModel(model: id, channel: "voice", intervalMinutes: 30, historyEnd: "x", state: state)
        let back = try SavedModel.decode(try saved.encoded())
        #expect(back.state == state)
        #expect(try back.state.predict(calendar: input.calendar, horizon: 96) == (try state.predict(calendar: input.calendar, horizon: 96)))
    }

    @Test func newerFormatIsRefused() throws {
        let json = #"{"formatVersion": 99, "model": "auto", "channel": "v", "intervalMinutes": 30, "historyEnd": "2026-01-01", "state": {}}"#
        #expect(throws: (any Error).self) { _ = try SavedModel.decode(Data(json.utf8)) }
    }
}
