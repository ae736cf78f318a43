import Foundation

/// Accuracy measures as defined by the peer harness (the peer harness run.py, results in Datasets/benchmarks/forecast-peers), so figures compare:
/// MASE = MAE / in-sample MAE of the weekly seasonal naive over the 84 days before the origin;
/// sMAPE with 0/0 = 0; WAPE = sum|e| / sum y x 100 (undefined, NaN, when sum y < `wapeMinimumActual`); sPinball = mean pinball loss at 0.025, 0.10, 0.90,
/// 0.975 scaled like MASE; coverage of the 80% / 95% intervals in %; peak error = signed % error at the
/// busiest actual slot; event-day error = WAPE of daily totals on calendar-event days (sum of absolute errors
/// over sum of actuals, x 100: robust to holidays with near-zero volume, where percentage errors explode).
/// Every point measure scores the forecast mean, except `maseMedian`: the MASE of the predictive median (the
/// point forecast that minimises the expected absolute error; see `Forecast.median`).
public struct AccuracyMetrics: Sendable, Equatable {
    public var mase = 0.0, smape = 0.0, wape = 0.0, rmse = 0.0, mae = 0.0
    /// WAPE is undefined (NaN: an empty cell in CSV, null in JSON) when the window's actuals total less than this
    /// many contacts: dividing by a near-zero total gives meaningless figures (2.7e14% on sparse series).
    public static let wapeMinimumActual = 1.0
    public var maseMedian = 0.0
    public var spinball = 0.0, coverage80 = 0.0, coverage95 = 0.0, peakErrorPct = 0.0
    /// Coverage of the 80% interval on the busy slots only (forecast mean at or above the median of the
    /// window's positive means): the hours staffing depends on. Quiet slots, whose intervals hold 0 and 1 whatever
    /// their width, lift the overall coverage above it.
    public var coverage80Busy = 0.0
    /// nil when the window holds no event day.
    public var eventDayError: Double?
    /// Signed % error of the forecast total on the window's busiest actual day (whole days only; NaN when the
    /// window holds none): forecast and actual day totals compared on the same day, which a peak-slot error
    /// (the noisiest actual maximum, structurally negative) is not.
    public var peakDayErrorPct = Double.nan
    /// Day-total errors on event days by calendar kind (`holiday`, `before:sales`, `month_start`, ...).
    public var eventKinds: [String: KindError] = [:]
    public init() {}

    /// Sums for a day-total WAPE over the days of one calendar kind.
    public struct KindError: Sendable, Equatable {
        public var absoluteError = 0.0, actual = 0.0
        public var days = 0
        /// Sum of absolute day-total errors over the sum of actual day totals, x 100 (NaN without actuals).
        public var wape: Double { actual > 0 ? absoluteError / actual * 100 : .nan }
    }

    static func pinball(_ y: Double, _ q: Double, _ a: Double) -> Double {
        let d = y - q
        return max(a * d, (a - 1) * d)
    }

    /// Scores `f` against `y` (NaN actuals are skipped). `eventDays` lists the window's event days (day indices
    /// in the window); `eventKinds`, when given, the calendar kinds of each of them (parallel to `eventDays`).
    public static func score(
        actual y: [Double], forecast f: Forecast, scale: Double, slotsPerDay m1: Int, eventDays: [Int], eventKinds: [[String]] = []
    ) -> AccuracyMetrics {
        var m = AccuracyMetrics()
        var n = 0.0, ae = 0.0, aeMedian = 0.0, se = 0.0, sm = 0.0, sy = 0.0, pin = 0.0, c80 = 0.0, c95 = 0.0
        var peakT = -1
        let median = f.median.count == f.mean.count ? f.median : f.mean
        for t in 0..<y.count where !y[t].isNaN {
            let e = y[t] - f.mean[t]
            n += 1; ae += abs(e); se += e * e; sy += abs(y[t])
            aeMedian += abs(y[t] - median[t])
            let den = abs(y[t]) + abs(f.mean[t])
            sm += den > 0 ? 200 * abs(e) / den : 0
            pin += (pinball(y[t], f.lo95[t], 0.025) + pinball(y[t], f.lo80[t], 0.10) + pinball(y[t], f.hi80[t], 0.90) + pinball(y[t], f.hi95[t], 0.975)) / 4
            if y[t] >= f.lo80[t] && y[t] <= f.hi80[t] { c80 += 1 }
            if y[t] >= f.lo95[t] && y[t] <= f.hi95[t] { c95 += 1 }
            if peakT < 0 || y[t] > y[peakT] { peakT = t }
        }
        guard n > 0 else { return m }
        let positive = (0..<y.count).filter { !y[$0].isNaN && f.mean[$0] > 0 }.map { f.mean[$0] }.sorted()
        if !positive.isEmpty {
            let from = positive[positive.count / 2]
            var busy = 0.0, inside = 0.0
            for t in 0..<y.count where !y[t].isNaN && f.mean[t] >= from && f.mean[t] > 0 {
                busy += 1
                if y[t] >= f.lo80[t] && y[t] <= f.hi80[t] { inside += 1 }
            }
            m.coverage80Busy = busy > 0 ? inside / busy * 100 : 0
        }
        m.mae = ae / n
        m.mase = scale > 0 ? m.mae / scale : .nan
        m.maseMedian = scale > 0 ? aeMedian / n / scale : .nan
        m.smape = sm / n
        m.wape = sy >= AccuracyMetrics.wapeMinimumActual ? ae / sy * 100 : .nan
        m.rmse = (se / n).squareRoot()
        m.spinball = scale > 0 ? pin / n / scale : .nan
        m.coverage80 = c80 / n * 100
        m.coverage95 = c95 / n * 100
        m.peakErrorPct = (f.mean[peakT] - y[peakT]) / max(y[peakT], 1e-12) * 100
        // Whole-day totals (nil for a day with a missing slot or cut by the window).
        func totals(_ d: Int) -> (actual: Double, forecast: Double)? {
            var a = 0.0, b = 0.0
            for s in 0..<m1 {
                let t = d * m1 + s
                guard t < y.count, !y[t].isNaN else { return nil }
                a += y[t]; b += f.mean[t]
            }
            return (a, b)
        }
        var absErr = 0.0, actualSum = 0.0, counted = 0
        for (i, d) in eventDays.enumerated() {
            guard let (a, b) = totals(d) else { continue }
            absErr += abs(b - a); actualSum += a; counted += 1
            for k in i < eventKinds.count ? eventKinds[i] : [] {
                m.eventKinds[k, default: KindError()].absoluteError += abs(b - a)
                m.eventKinds[k, default: KindError()].actual += a
                m.eventKinds[k, default: KindError()].days += 1
            }
        }
        m.eventDayError = counted > 0 && actualSum > 0 ? absErr / actualSum * 100 : nil
        let whole = (0..<(y.count / m1)).compactMap { d in totals(d) }
        if let peak = whole.max(by: { $0.actual < $1.actual }), peak.actual > 0 {
            m.peakDayErrorPct = (peak.forecast - peak.actual) / peak.actual * 100
        }
        return m
    }

    /// Mean over origins (event-day error over the origins that have one).
    public static func mean(_ list: [AccuracyMetrics]) -> AccuracyMetrics {
        var m = AccuracyMetrics()
        let n = Double(max(list.count, 1))
        for x in list {
            m.mase += x.mase / n; m.maseMedian += x.maseMedian / n; m.smape += x.smape / n; m.rmse += x.rmse / n; m.mae += x.mae / n
            m.spinball += x.spinball / n; m.coverage80 += x.coverage80 / n; m.coverage95 += x.coverage95 / n
            m.coverage80Busy += x.coverage80Busy / n
            m.peakErrorPct += x.peakErrorPct / n
        }
        // WAPE over the origins where it is defined (NaN when none is).
        let wapes = list.map(\.wape).filter { !$0.isNaN }
        m.wape = wapes.isEmpty ? (list.isEmpty ? 0 : .nan) : wapes.reduce(0, +) / Double(wapes.count)
        let ev = list.compactMap(\.eventDayError)
        m.eventDayError = ev.isEmpty ? nil : ev.reduce(0, +) / Double(ev.count)
        let peaks = list.map(\.peakDayErrorPct).filter { !$0.isNaN }
        m.peakDayErrorPct = peaks.isEmpty ? .nan : peaks.reduce(0, +) / Double(peaks.count)
        // Kinds pooled over the origins (a kind seen on one origin only still counts its days).
        for x in list {
            for (k, e) in x.eventKinds {
                m.eventKinds[k, default: KindError()].absoluteError += e.absoluteError
                m.eventKinds[k, default: KindError()].actual += e.actual
                m.eventKinds[k, default: KindError()].days += e.days
            }
        }
        return m
    }
}

/// Rolling-origin backtest with the peer harness's protocol: `origins` origins on day boundaries, the last
/// one week before the end of the data, earlier ones `originStepDays` apart; at each origin the model sees
/// up to `maxTrainDays` of history (calendar effects need more than the peers' 84 days: our default is 364)
/// and forecasts one week; `1d` scores the first day, `7d` the week. Two more buckets (`buckets`):
/// `rest-of-day` re-forecasts the second half of each origin's first day from its first half's actuals
/// (`IntradayUpdate`, as `peakplan forecast --as-of` does at noon) and scores that half; `14-28d` forecasts
/// 28 days from origins moved three weeks earlier (the last one 28 days before the end, the same spacing)
/// and scores days 15 to 28.
public struct Backtest: Sendable {
    public enum Bucket: String, Sendable, CaseIterable { case restOfDay = "rest-of-day", day1 = "1d", week = "7d", weeks3to4 = "14-28d" }
    /// The buckets scored (the peers' protocol has 1d and 7d).
    public var buckets: [Bucket] = Bucket.allCases
    public var origins = 4
    public var originStepDays = 8
    public var maxTrainDays = 364
    public var scaleDays = 84
    /// Moves every origin this many days earlier. 0 is the peer protocol (the benchmark origins); with
    /// `originStepDays * (origins - 1) + 8` (32 for the defaults) the test weeks end before the first benchmark
    /// origin, so settings chosen there are judged on the benchmark origins as on unseen data.
    public var endOffsetDays = 0
    /// Diagnostic only: each forecast day is rescaled (mean, median and bounds alike) to that day's actual
    /// total before scoring, so the score is what the model's intraday shapes would reach with every day total
    /// known in advance; the gap to the plain score is the part of the error that lies in the day totals.
    public var oracleDayTotals = false
    public init() {}

    /// The offset whose test weeks all end before the first origin of the protocol at offset 0.
    public var heldOutOffsetDays: Int { originStepDays * (origins - 1) + 8 }

    public struct Row: Sendable {
        public var model: String
        public var horizon: String
        public var metrics: AccuracyMetrics
        public var fitSeconds: Double
        public var originsScored: Int
        public var failure: String?
    }

    /// Chosen origins (day indices of the input, each the first forecast day) instead of the rolling ones, e.g. the
    /// week before last year's 618. Each needs 3 weeks of history before it and a week after it (`validOrigin`);
    /// the 14-28d bucket forecasts 28 days from the same origins (where 28 days of history follow).
    public var originDays: [Int] = []

    /// Whether day `d` can be a chosen origin.
    public func validOrigin(_ d: Int, _ input: SeriesInput) -> Bool { d >= 21 && d + 7 <= input.days }

    public func originSlots(_ input: SeriesInput) -> [Int] {
        let m1 = input.slotsPerDay, h = input.week
        let n = input.days * m1
        if !originDays.isEmpty { return originDays.filter { validOrigin($0, input) }.map { $0 * m1 } }
        return (0..<origins).reversed().map { n - h - ($0 * originStepDays + endOffsetDays) * m1 }.filter { $0 >= 3 * h }
    }

    /// The calendar kinds of day `d` (tags without a name or a lead bucket: `holiday`, `before:sales`, ...).
    static func kinds(_ input: SeriesInput, day d: Int) -> [String] {
        input.calendar.tags[d].filter { !$0.contains("=") && !$0.contains("@") }
    }

    public func run(_ input: SeriesInput, models: [any ForecastModel]) -> [Row] {
        let m1 = input.slotsPerDay, h = input.week
        let os = originSlots(input)
        // 14-28d: origins 21 days earlier, so that 28 days of actuals follow the latest one.
        let longOrigins =
            !buckets.contains(.weeks3to4) ? []
            : originDays.isEmpty ? os.map { $0 - 21 * m1 }.filter { $0 >= 3 * h } : os.filter { $0 + 4 * h <= input.days * m1 }
        var rows: [Row] = []
        for model in models {
            var per: [Bucket: [AccuracyMetrics]] = [:]
            var secs = 0.0, fits = 0.0
            var failure: String?
            func train(_ o: Int) -> SeriesInput {
                let lo = max(0, o - maxTrainDays * m1)
                let cal = input.calendar.slice(fromDay: lo / m1, days: (o - lo) / m1 + 28)
                return SeriesInput(y: Array(input.y[lo..<o]), slotsPerDay: m1, calendar: cal)
            }
            func actuals(_ o: Int, _ n: Int) -> [Double] {
                var a = Array(input.y[o..<(o + n)])
                for t in 0..<n where input.calendar.excluded[(o + t) / m1] { a[t] = .nan }
                return a
            }
            func scale(_ o: Int) -> Double {
                let sLo = max(0, o - scaleDays * m1)
                var sc = 0.0, sn = 0.0
                for t in (sLo + h)..<o where !input.y[t].isNaN && !input.y[t - h].isNaN { sc += abs(input.y[t] - input.y[t - h]); sn += 1 }
                return sn > 0 ? sc / sn : .nan
            }
            func rescaleToActualTotals(_ f: inout Forecast, _ actual: [Double]) {
                for d in 0..<(f.count / m1) {
                    let r = d * m1..<(d + 1) * m1
                    let a = r.reduce(0.0) { $0 + (actual[$1].isNaN ? 0 : actual[$1]) }, m = r.reduce(0.0) { $0 + f.mean[$1] }
                    guard m > 0 else { continue }
                    let k = a / m
                    for t in r { f.mean[t] *= k; f.median[t] *= k; f.lo80[t] *= k; f.hi80[t] *= k; f.lo95[t] *= k; f.hi95[t] *= k }
                }
            }
            if buckets.contains(.day1) || buckets.contains(.week) || buckets.contains(.restOfDay) {
                for o in os {
                    let tr = train(o)
                    let actual = actuals(o, h)
                    let sc = scale(o)
                    let t0 = Date()
                    do {
                        var f = try model.forecast(tr, horizon: h)
                        secs += Date().timeIntervalSince(t0); fits += 1
                        if oracleDayTotals { rescaleToActualTotals(&f, actual) }
                        let evDays = (0..<7).filter { !input.calendar.tags[o / m1 + $0].isEmpty }
                        let evKinds = evDays.map { Self.kinds(input, day: o / m1 + $0) }
                        per[.week, default: []].append(
                            AccuracyMetrics.score(actual: actual, forecast: f, scale: sc, slotsPerDay: m1, eventDays: evDays, eventKinds: evKinds))
                        per[.day1, default: []].append(AccuracyMetrics.score(actual: Array(actual.prefix(m1)), forecast: f.slice(0..<m1), scale: sc,
                                                                             slotsPerDay: m1, eventDays: evDays.filter { $0 == 0 },
                                                                             eventKinds: evDays.first == 0 ? [evKinds[0]] : []))
                        if buckets.contains(.restOfDay) {
                            // Noon of the first day: the morning's actuals update the afternoon.
                            var day = f.slice(0..<m1)
                            let half = m1 / 2
                            IntradayUpdate.estimate(tr, from: half).apply(&day, actuals: actual[0..<half], from: half, end: m1)
                            per[.restOfDay, default: []].append(AccuracyMetrics.score(actual: Array(actual[half..<m1]), forecast: day.slice(half..<m1),
                                                                                      scale: sc, slotsPerDay: m1, eventDays: []))
                        }
                    } catch {
                        failure = error.description
                    }
                }
            }
            // A model whose contract stops short of 28 days (dshw) has no 14-28d score: not a failure.
            for o in longOrigins where (model.maximumHorizonDays ?? Int.max) >= 28 {
                let tr = train(o)
                let actual = actuals(o, 4 * h)
                let t0 = Date()
                do {
                    var f = try model.forecast(tr, horizon: 4 * h)
                    secs += Date().timeIntervalSince(t0); fits += 1
                    if oracleDayTotals { rescaleToActualTotals(&f, actual) }
                    let evDays = (14..<28).filter { !input.calendar.tags[o / m1 + $0].isEmpty }.map { $0 - 14 }
                    per[.weeks3to4, default: []].append(AccuracyMetrics.score(actual: Array(actual[(2 * h)...]), forecast: f.slice(2 * h..<4 * h),
                                                                              scale: scale(o), slotsPerDay: m1, eventDays: evDays,
                                                                              eventKinds: evDays.map { Self.kinds(input, day: o / m1 + 14 + $0) }))
                } catch {
                    failure = failure ?? error.description
                }
            }
            let perFit = secs / max(fits, 1)
            for b in buckets {
                let list = per[b] ?? []
                rows.append(Row(model: model.id, horizon: b.rawValue, metrics: AccuracyMetrics.mean(list), fitSeconds: perFit, originsScored: list.count, failure: failure))
            }
        }
        return rows
    }
}

extension DayCalendar {
    /// The calendar from `fromDay` (index) for `days` days (padded with plain days past the end).
    public func slice(fromDay: Int, days n: Int) -> DayCalendar {
        var c = DayCalendar(firstDay: firstDay + Int64(fromDay), days: n)
        c.weekend = weekend
        for i in 0..<n where fromDay + i < days {
            c.tags[i] = tags[fromDay + i]; c.excluded[i] = excluded[fromDay + i]; c.causes[i] = causes[fromDay + i]
            if let x = expectedChange[fromDay + i] { c.expectedChange[i] = x }
        }
        return c
    }
}

/// Event-day backtest: for every calendar-event day in the history (holiday, sales, billing or custom, and
/// the days their lead/lag windows cover), forecast from an origin `leadDays` days before it and score the
/// absolute percentage error of that day's total. The rolling-origin protocol meets few event days (its
/// test weeks are the last month), so this is the measure of how well a model knows the calendar.
public struct EventDayBacktest: Sendable {
    public var leadDays = 3
    public var minimumHistoryDays = 56
    public var maxTrainDays = 364
    public init() {}

    public struct Row: Sendable {
        public var model: String
        /// Sum of absolute day-total errors over the sum of actual day totals, x 100.
        public var wape: Double
        public var medianAPE: Double
        public var days: Int
    }

    public func eventDays(_ input: SeriesInput) -> [Int] {
        let nd = input.days
        return (0..<nd).filter { d in
            d - leadDays >= minimumHistoryDays && !input.calendar.excluded[d]
                && input.calendar.tags[d].contains { !($0.hasPrefix("month_start") || $0.hasPrefix("payday") || $0.hasPrefix("near:")) }
        }
    }

    public func run(_ input: SeriesInput, models: [any ForecastModel]) -> [Row] {
        let m1 = input.slotsPerDay
        let days = eventDays(input)
        var rows: [Row] = []
        for model in models {
            var apes: [Double] = []
            var absErr = 0.0, actualSum = 0.0
            for e in days {
                let o = (e - leadDays) * m1
                let lo = max(0, o - maxTrainDays * m1)
                let cal = input.calendar.slice(fromDay: lo / m1, days: (o - lo) / m1 + leadDays + 2)
                let train = SeriesInput(y: Array(input.y[lo..<o]), slotsPerDay: m1, calendar: cal)
                let actual = (0..<m1).map { input.y[e * m1 + $0] }
                guard !actual.contains(where: \.isNaN), let f = try? model.forecast(train, horizon: (leadDays + 1) * m1) else { continue }
                let a = actual.reduce(0, +)
                guard a > 0 else { continue }
                let fc = f.mean[(leadDays * m1)..<((leadDays + 1) * m1)].reduce(0, +)
                apes.append(abs(fc - a) / a * 100)
                absErr += abs(fc - a); actualSum += a
            }
            let sorted = apes.sorted()
            rows.append(Row(model: model.id, wape: actualSum > 0 ? absErr / actualSum * 100 : .nan,
                            medianAPE: sorted.isEmpty ? .nan : sorted[sorted.count / 2], days: apes.count))
        }
        return rows
    }
}
