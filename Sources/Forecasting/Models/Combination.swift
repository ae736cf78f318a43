/// The default model `auto`: a combination of the registered models weighted by their recent accuracy,
/// with prediction intervals calibrated on the same recent weeks.
///
/// Inside the training window each candidate forecasts three past weeks (origins 7, 15 and 23 days before
/// the end, the backtest's 8-day spacing) and is scored by MAE on the first day and on the whole week.
/// Weights are proportional to 1/MAE^2 per bucket (day 1, days 2+); a model that fails or lacks history
/// gets weight 0. Means and interval bounds are averaged with the same weights (quantile averaging,
/// "Vincentization", which keeps bounds ordered). Medians (`Forecast.median`) are averaged with weights from
/// the inner MAE of the candidates' medians: a normal-interval model's median is its mean, which on a
/// low-count series is a poor absolute-error forecast, while a count model's median is not. Combinations of
/// robust models won the M4 and M5 competitions. Calibration: the combined inner forecasts' 80% and 95%
/// half-widths are scaled (per bucket) by the factor that makes their empirical coverage on those weeks nominal, so the intervals are
/// calibrated by backtest residuals rather than by a distributional assumption.
public struct Combination: ForecastModel {
    public let candidates: [any ForecastModel]
    /// Days before the end of the history of the inner origins (8 days apart, as the backtest). Five instead
    /// scored within 0.2% on the held-out origins (`peakplan bench forecast --held-out`) and calibrated worse.
    public var innerOrigins = [7, 15, 23]
    /// How the inner weeks set the weights: proportional to 1/MAE^2 of each candidate, or the convex weights
    /// that minimise the combined forecast's inner MAE (Nelder-Mead, starting from the former).
    public enum Weighting: String, Sendable { case inverseSquaredMAE, minimumMAE }
    public var weighting = Weighting.inverseSquaredMAE
    /// Whether the combination may take its intraday shape from one candidate (see `Plan.shape`). Off: on
    /// the held-out origins it scored 0.2% worse (`peakplan bench forecast --held-out` lists it).
    public var reshapeDays = false
    /// Calibrated interval bounds are rounded outward to whole counts on slots whose mean is at least this
    /// (0: every slot; .infinity: none, the default). Rounding makes every interval on a low-count slot cover
    /// 0 and 1, far more than its nominal level; with one scale for all slots that over-coverage was offset by
    /// narrowing the busy hours, with busy slots calibrated apart (below) it is not, so bounds stay fractional.
    /// Saved models without the field rounded every slot (nil = 0).
    public var roundBoundsFromMean = Double.infinity
    /// Calibrate busy slots (combined mean at or above the inner weeks' median positive mean) apart from quiet
    /// ones. With one scale for all slots the day as a whole covers 80% but the busy hours, which staffing
    /// depends on, cover 58-72% (`peakplan backtest --origins 16`, 7-day, voice/ps/nw/ne/in) and the sparse
    /// series 96-100%. Apart, with fractional bounds: busy 78-82%, whole day 78-82%, tt/pe 85-93%; on the held-out
    /// origins overall coverage80 82.6% (one scale, rounded bounds: 84.2%) and the large series' mean gap to 80
    /// 1.9 points (1.3).
    public var calibrateBusySlots = true
    /// Calibrate the intervals on all inner days together rather than the first day's on the inner weeks' first
    /// days only (three days: a noisy scale). Not the default: on the held-out origins it brings the large
    /// series closer to 80% (mean |coverage80 - 80| 1.6 points against 1.9; over 16 origins the first day's
    /// busy-hour coverage 72-85% against 66-79%) but lifts the sparse series tt and pe (mean coverage of all
    /// series 84.0% against 82.6%; tt/pe 94-95% on the benchmark origins against 81-93%).
    public var poolDayOneCalibration = false
    /// Candidates (by id) weighed on the first day only: short-horizon models such as `dshw`.
    public var firstDayOnly: Set<String> = []
    /// Choose the models per calendar context (`CalendarContext`: normal, month start, event, near an event) from
    /// backtests that include such days (`contextChoices`); off: every calendar day takes the calendar-aware
    /// candidates with the weights of all days (the earlier rule).
    public var chooseByContext = true
    /// The days whose inner MAE sets the normal days' weights: every day of the inner weeks (the earlier rule), the
    /// inner weeks' normal days, or the normal days of every scored week (the inner weeks and the context backtests).
    /// `scoredNormalDayTotals`: the means weighted by the day-total error on the normal days of every scored week, the
    /// medians as the earlier rule (intervals of the inner weeks).
    public enum NormalWeights: String, Sendable { case innerWeeks, innerNormalDays, scoredNormalDays, scoredNormalDayTotals }
    public var normalWeights = NormalWeights.innerWeeks
    /// Context backtests: per context the most recent `contextDays` days of the last year are scored, forecast
    /// `contextLeadDays` days ahead (the event-day backtest's lead), from at most `maximumContextOrigins` origins
    /// besides the inner weeks; a context with fewer than `minimumContextDays` scored days keeps the earlier rule.
    public var contextDays = 10
    public var contextLeadDays = 3
    public var maximumContextOrigins = 8
    public var minimumContextDays = 4
    public var contextScore = ContextScore.dayTotal
    public init(candidates: [any ForecastModel]) { self.candidates = candidates }

    public var id: String { "auto" }
    public var summary: String { "accuracy-weighted, interval-calibrated combination of \(candidates.map(\.id).joined(separator: ", "))" }
    public var minimumDays: Int { candidates.map(\.minimumDays).min() ?? 7 }

    public struct Plan: Sendable, Codable, Equatable {
        /// Weights per candidate for day 1 and for later days.
        public var day1: [Double]
        public var later: [Double]
        /// Weights of the candidates' medians (by the inner MAE of their medians), for day 1 and later days;
        /// nil in models saved before they existed (then the mean weights).
        public var medianDay1: [Double]?
        public var medianLater: [Double]?
        /// Day total x intraday profile: when set, each forecast day keeps the combination's day total but
        /// takes its intraday shape from this candidate (chosen when that lowers the inner weeks' MAE: the
        /// day-profile model's weekday profiles are the better shape, the 4-week average's totals are often
        /// the better total). nil: no reshaping (also in models saved before it existed).
        public var shape: Int?
        /// Half-width scale factors for 80% and 95% intervals, on day 1 and on later days.
        public var scale80Day1: Double
        public var scale80Later: Double
        public var scale95Day1: Double
        public var scale95Later: Double
        /// Busy slots (combined mean at least `busyFrom`) get scales of their own, in the order 80% day 1,
        /// 80% later, 95% day 1, 95% later: one scale for all slots calibrates the day as a whole, the quiet
        /// night slots (which every interval covers) over and the busy hours that staffing depends on under.
        /// nil in models saved before they existed (then the scales above apply to every slot).
        public var busyFrom: Double?
        public var busyScales: [Double]?
        /// The backtest's choice per calendar context (`chooseByContext`); nil in models saved before it existed
        /// and when off. A context missing from the list keeps the earlier rule (calendar-aware candidates only).
        public var contexts: [ContextChoice]?
        /// The 80% interval of a day's total (`dayTotalInterval`); nil in models saved before it existed.
        public var dayTotals: DayTotalInterval?

        func scales(day1: Bool, mean m: Double) -> (s80: Double, s95: Double) {
            if let from = busyFrom, let b = busyScales, b.count == 4, m >= from { return day1 ? (b[0], b[2]) : (b[1], b[3]) }
            return day1 ? (scale80Day1, scale95Day1) : (scale80Later, scale95Later)
        }
    }

    public struct Fitted: Codable, Sendable, Equatable {
        public var slotsPerDay: Int
        public var candidates: [String]
        /// Per candidate: whether it models the calendar. On a day with calendar tags only those count.
        public var calendarAware: [Bool]
        /// First day after the fitted history.
        public var endDay: Int64
        public var plan: Plan
        /// See `Combination.roundBoundsFromMean`; nil in models saved before it existed, which rounded every
        /// slot (nil = 0). Infinity is stored as a large number (JSON has no infinity).
        public var roundBoundsFromMean: Double?
        /// nil for a candidate with weight 0 or that failed.
        public var states: [FittedState?]
    }

    public func plan(_ input: SeriesInput) -> Plan {
        let m1 = input.slotsPerDay, w = input.week
        let (inner, usable, innerDays) = innerWeeks(input)
        let innerScored = zip(innerDays, inner).map { ScoredWeek(day: $0, actual: $1.actual, forecasts: $1.forecasts) }
        let extra = chooseByContext ? scoredWeeks(input, origins: contextOrigins(input, innerDays: innerDays, usable: usable), usable: usable) : []
        // The weeks whose days set the normal days' weights, with every other day masked out.
        var normal = inner
        if chooseByContext && normalWeights != .innerWeeks {
            let from = normalWeights == .innerNormalDays ? innerScored : innerScored + extra
            normal = from.map { wk in
                var a = wk.actual
                for t in a.indices where wk.day + t / m1 >= input.calendar.days || CalendarContext.of(input.calendar.tags[wk.day + t / m1]) != .normal { a[t] = .nan }
                return (a, wk.forecasts)
            }
        }
        let totals = chooseByContext && normalWeights == .scoredNormalDayTotals
        let w1 = weights(normal, usable: usable, m1: m1, w: w, day1: true, dayTotals: totals)
        let w7 = weights(normal, usable: usable, m1: m1, w: w, day1: false, dayTotals: totals)
        let mw1 = weights(totals ? inner : normal, usable: usable, m1: m1, w: w, day1: true, median: true)
        let mw7 = weights(totals ? inner : normal, usable: usable, m1: m1, w: w, day1: false, median: true)
        let combined = CombinedWeights(w1: w1, w7: w7, mw1: mw1, mw7: mw7)
        let shape = reshapeDays ? chooseShape(inner, usable: usable, weights: combined, m1: m1, w: w) : nil
        var p = Plan(day1: w1, later: w7, medianDay1: mw1, medianLater: mw7, shape: shape, scale80Day1: 1, scale80Later: 1, scale95Day1: 1, scale95Later: 1)
        if chooseByContext {
            let weeks = innerScored + extra
            let aware = candidates.indices.map { candidates[$0].calendarAware ? w7[$0] : 0 }
            let sum = aware.reduce(0, +)
            let awareWeights = sum > 0 ? aware.map { $0 / sum } : candidates.map { $0.calendarAware ? 1 : 0 }
            p.contexts = contextChoices(
                weeks, calendar: input.calendar, usable: usable, earlier: { $0 == .normal ? (w1, w7) : (awareWeights, awareWeights) }, m1: m1)
        }
        p.dayTotals = dayTotalInterval(innerScored + extra, plan: p, calendar: input.calendar, m1: m1)
        let points = calibrationPoints(inner, days: innerDays, plan: p, calendar: input.calendar, m1: m1, w: w)
        // Busy: a combined mean at or above the median mean of the inner slots that expect any contacts.
        let positive = points.map(\.m).filter { $0 > 0 }.sorted()
        let busyFrom = positive.isEmpty ? nil : positive[positive.count / 2]
        func scale(day1: Bool, level: Double, busy: Bool? = nil) -> Double {
            calibrationScale(points, busyFrom: busyFrom, day1: day1, level: level, busy: busy)
        }
        let apart = calibrateBusySlots && busyFrom != nil
        p.scale80Day1 = scale(day1: true, level: 80, busy: apart ? false : nil)
        p.scale80Later = scale(day1: false, level: 80, busy: apart ? false : nil)
        p.scale95Day1 = scale(day1: true, level: 95, busy: apart ? false : nil)
        p.scale95Later = scale(day1: false, level: 95, busy: apart ? false : nil)
        guard apart else { return p }
        p.busyFrom = busyFrom
        p.busyScales = [scale(day1: true, level: 80, busy: true), scale(day1: false, level: 80, busy: true),
                        scale(day1: true, level: 95, busy: true), scale(day1: false, level: 95, busy: true)]
        return p
    }

    /// One inner week: the actual values (NaN where missing or excluded) and each candidate's forecast (nil when
    /// it failed or lacks history).
    private typealias InnerWeek = (actual: [Double], forecasts: [Forecast?])
    /// Mean weights (day 1, later days) and median weights (day 1, later days).
    private struct CombinedWeights { var w1, w7, mw1, mw7: [Double] }
    private typealias CalibrationPoint = (day1: Bool, y: Double, m: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double)

    /// The candidates' forecasts of the inner weeks and their first days; a candidate that fails once is not usable.
    private func innerWeeks(_ input: SeriesInput) -> (inner: [InnerWeek], usable: [Bool], days: [Int]) {
        let m1 = input.slotsPerDay, w = input.week
        var usable = [Bool](repeating: true, count: candidates.count)
        var inner: [InnerWeek] = []
        var days: [Int] = []
        for back in innerOrigins {
            let o = input.y.count - back * m1
            guard o > 0, o + w <= input.y.count || back >= 7 else { continue }
            let inp = SeriesInput(y: Array(input.y[0..<o]), slotsPerDay: m1, calendar: input.calendar)
            var actual = [Double](repeating: .nan, count: w)
            for t in 0..<w where o + t < input.y.count && !input.calendar.excluded[(o + t) / m1] { actual[t] = input.y[o + t] }
            var fs: [Forecast?] = []
            for (i, m) in candidates.enumerated() {
                if usable[i], inp.days >= m.minimumDays, let f = try? m.forecast(inp, horizon: w) { fs.append(f) } else { usable[i] = false; fs.append(nil) }
            }
            inner.append((actual, fs))
            days.append(o / m1)
        }
        return (inner, usable, days)
    }

    /// Weights by inverse squared inner MAE of each candidate's mean (median: false) or median (median: true).
    /// (`dayTotals`: the MAE of the means' day totals on the complete days.)
    private func weights(_ inner: [InnerWeek], usable: [Bool], m1: Int, w: Int, day1: Bool, median: Bool = false,
                         dayTotals: Bool = false) -> [Double] {
        var mae = [Double](repeating: 0, count: candidates.count)
        for (actual, fs) in inner {
            for i in 0..<candidates.count where usable[i] {
                guard let f = fs[i] else { continue }
                let point = median ? f.median : f.mean
                var a = 0.0, n = 0.0
                if dayTotals && !median {
                    for d in 0..<((day1 ? m1 : w) / m1) where !actual[(d * m1)..<((d + 1) * m1)].contains(where: \.isNaN) {
                        a += abs((d * m1..<(d + 1) * m1).map { actual[$0] - point[$0] }.reduce(0, +)); n += 1
                    }
                } else {
                    for t in 0..<(day1 ? m1 : w) where !actual[t].isNaN { a += abs(actual[t] - point[t]); n += 1 }
                }
                mae[i] += n > 0 ? a / n : 0
            }
        }
        var ws = (0..<candidates.count).map { usable[$0] && mae[$0] > 0 && (day1 || !firstDayOnly.contains(candidates[$0].id)) ? 1 / (mae[$0] * mae[$0]) : 0 }
        let s = ws.reduce(0, +)
        if s == 0 { ws = usable.map { $0 ? 1 : 0 } }
        let t = ws.reduce(0, +)
        ws = ws.map { t > 0 ? $0 / t : 0 }
        guard weighting == .minimumMAE, usable.filter({ $0 }).count >= 2 else { return ws }
        return minimumMAEWeights(inner, usable: usable, m1: m1, w: w, day1: day1, median: median, start: ws)
    }

    /// The convex weights minimising the combined forecast's inner MAE (Nelder-Mead from `ws`), if better than `ws`.
    private func minimumMAEWeights(_ inner: [InnerWeek], usable: [Bool], m1: Int, w: Int, day1: Bool, median: Bool,
                                   start ws: [Double]) -> [Double] {
        func combinedMAE(_ x: [Double]) -> Double {
            let xs = (0..<candidates.count).map { usable[$0] ? x[$0] : 0 }
            let sum = xs.reduce(0, +)
            guard sum > 1e-9 else { return .infinity }
            var total = 0.0
            for (actual, fs) in inner {
                var a = 0.0, n = 0.0
                for t in 0..<(day1 ? m1 : w) where !actual[t].isNaN {
                    var c = 0.0
                    for (i, f) in fs.enumerated() where xs[i] > 0 { if let f { c += xs[i] / sum * (median ? f.median[t] : f.mean[t]) } }
                    a += abs(actual[t] - c); n += 1
                }
                total += n > 0 ? a / n : 0
            }
            return total
        }
        let top = ws.max() ?? 1
        let best = NelderMead.minimize(combinedMAE, start: ws.map { top > 0 ? $0 / top : 0 }, step: 0.2, maxEvaluations: 120)
        let xs = (0..<candidates.count).map { usable[$0] ? best.x[$0] : 0 }
        let sum = xs.reduce(0, +)
        return sum > 1e-9 && best.value < combinedMAE(ws) ? xs.map { $0 / sum } : ws
    }

    /// Intraday shape: the candidate whose shape, applied to the combined day totals, gives the lowest inner MAE
    /// of the mean, if lower than the combination's own.
    private func chooseShape(_ inner: [InnerWeek], usable: [Bool], weights cw: CombinedWeights, m1: Int, w: Int) -> Int? {
        func innerMAE(_ shapeFrom: Int?) -> Double {
            var total = 0.0
            for (actual, fs) in inner {
                guard var c = Combination.combine(fs, cw.w1, cw.w7, median: (cw.mw1, cw.mw7), m1: m1, horizon: w) else { continue }
                if let i = shapeFrom, let sf = fs[i] { Combination.reshape(&c, to: sf, m1: m1) }
                var a = 0.0, n = 0.0
                for t in 0..<w where !actual[t].isNaN { a += abs(actual[t] - c.mean[t]); n += 1 }
                total += n > 0 ? a / n : 0
            }
            return total
        }
        var shape: Int?
        var best = innerMAE(nil)
        for i in 0..<candidates.count where usable[i] {
            let e = innerMAE(i)
            if e < best - 1e-12 { best = e; shape = i }
        }
        return shape
    }

    /// Calibration on the combined inner forecasts (combined as `plan` combines them by calendar context): one point
    /// per inner slot with an actual value.
    private func calibrationPoints(_ inner: [InnerWeek], days: [Int], plan p: Plan, calendar cal: DayCalendar, m1: Int,
                                   w: Int) -> [CalibrationPoint] {
        var points: [CalibrationPoint] = []
        for (k, (actual, fs)) in inner.enumerated() where !fs.allSatisfy({ $0 == nil }) {
            let tags = { (d: Int) -> [String] in days[k] + d < cal.days ? cal.tags[days[k] + d] : [] }
            if var c = Combination.combineByContext(fs, plan: p, calendarAware: candidates.map(\.calendarAware), tags: tags, dayProfile: nil,
                                                    m1: m1, horizon: w) {
                if let i = p.shape, let sf = fs[i] { Combination.reshape(&c, to: sf, m1: m1) }
                for t in 0..<w where !actual[t].isNaN {
                    points.append((t < m1, actual[t], c.mean[t], c.lo80[t], c.hi80[t], c.lo95[t], c.hi95[t]))
                }
            }
        }
        return points
    }

    /// The half-width scale (0.3 to 3 by 0.05) whose coverage of the points (of day 1 or later days; busy, quiet
    /// or all) is nearest `level` percent; 1 with fewer than 24 points.
    private func calibrationScale(_ points: [CalibrationPoint], busyFrom: Double?, day1: Bool, level: Double,
                                  busy: Bool?) -> Double {
        let pts = points.filter { (poolDayOneCalibration || $0.day1 == day1) && (busy == nil || busyFrom == nil || ($0.m >= busyFrom!) == busy!) }
        guard pts.count >= 24 else { return 1 }
        var best = 1.0, bestGap = Double.infinity
        for k in 0...54 {
            let s = 0.3 + Double(k) * 0.05
            var inside = 0.0
            for p in pts {
                let b = level == 80 ? (p.lo80, p.hi80) : (p.lo95, p.hi95)
                let l = max(0, p.m - s * (p.m - b.0)), h = p.m + s * (b.1 - p.m)
                let round = p.m >= roundBoundsFromMean
                if round ? (p.y >= l.rounded(.down) && p.y <= h.rounded(.up)) : (p.y >= l && p.y <= h) { inside += 1 }
            }
            let gap = abs(inside / Double(pts.count) * 100 - level)
            if gap < bestGap - 1e-9 { bestGap = gap; best = s }
        }
        return best
    }

    static func combine(_ results: [Forecast?], _ w1: [Double], _ w7: [Double], median mw: ([Double], [Double])? = nil,
                        m1: Int, horizon: Int) -> Forecast? {
        guard results.contains(where: { $0 != nil }) else { return nil }
        var f = Forecast(mean: .init(repeating: 0, count: horizon), lo80: .init(repeating: 0, count: horizon),
                         hi80: .init(repeating: 0, count: horizon), lo95: .init(repeating: 0, count: horizon),
                         hi95: .init(repeating: 0, count: horizon), median: .init(repeating: 0, count: horizon))
        let present = results.compactMap { $0 }.count
        for t in 0..<horizon {
            let ws = t < m1 ? w1 : w7
            let mws = mw.map { t < m1 ? $0.0 : $0.1 } ?? ws
            var total = 0.0, mtotal = 0.0
            for (i, r) in results.enumerated() where r != nil { total += ws[i]; mtotal += mws[i] }
            for (i, r) in results.enumerated() {
                guard let r else { continue }
                let w = total > 0 ? ws[i] / total : 1 / Double(present)
                f.mean[t] += w * r.mean[t]; f.lo80[t] += w * r.lo80[t]; f.hi80[t] += w * r.hi80[t]
                f.lo95[t] += w * r.lo95[t]; f.hi95[t] += w * r.hi95[t]
                f.median[t] += (mtotal > 0 ? mws[i] / mtotal : 1 / Double(present)) * r.median[t]
            }
        }
        return f
    }

    /// Keeps each day's total of `f` (over the slots the day has in `f`) and spreads it over the day like
    /// `shape`; bounds and median move with their slot's mean. A day the shape gives no volume stays as it is.
    static func reshape(_ f: inout Forecast, to shape: Forecast, m1: Int) {
        var d = 0
        while d < f.count {
            let end = min(f.count, d + m1)
            var total = 0.0, shapeTotal = 0.0
            for t in d..<end { total += f.mean[t]; shapeTotal += shape.mean[t] }
            if total > 0 && shapeTotal > 0 {
                let k = total / shapeTotal
                for t in d..<end {
                    let m = k * shape.mean[t]
                    if f.mean[t] > 0 {
                        let r = m / f.mean[t]
                        f.lo80[t] *= r; f.hi80[t] *= r; f.lo95[t] *= r; f.hi95[t] *= r; f.median[t] *= r
                    } else {
                        f.lo80[t] = k * shape.lo80[t]; f.hi80[t] = k * shape.hi80[t]; f.lo95[t] = k * shape.lo95[t]
                        f.hi95[t] = k * shape.hi95[t]; f.median[t] = k * shape.median[t]
                    }
                    f.mean[t] = m
                }
            }
            d = end
        }
    }

    public func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState {
        let p = plan(input)
        var states: [FittedState?] = []
        for (i, m) in candidates.enumerated() {
            if p.day1[i] == 0 && p.later[i] == 0 { states.append(nil); continue }
            states.append(try? m.fit(input))
        }
        guard states.contains(where: { $0 != nil }) else { throw ForecastError(id, "no candidate model could forecast this series") }
        return .combination(state: Fitted(slotsPerDay: input.slotsPerDay, candidates: candidates.map(\.id),
                                          calendarAware: candidates.map(\.calendarAware),
                                          endDay: input.calendar.firstDay + Int64(input.days), plan: p,
                                          roundBoundsFromMean: min(roundBoundsFromMean, 1e12), states: states))
    }
}

extension Combination.Fitted {
    func predict(calendar: DayCalendar, horizon: Int) throws(ForecastError) -> Forecast {
        var results: [Forecast?] = []
        for st in states { results.append(st.flatMap { try? $0.predict(calendar: calendar, horizon: horizon) }) }
        // Day by day by calendar context (`combineByContext`): on a calendar day without a backtest choice only the
        // calendar-aware candidates count (measured on the bundled series: event-day WAPE 30-43% lower than the best
        // baseline).
        let days = (horizon + slotsPerDay - 1) / slotsPerDay
        let start = try? calendar.index(ofDay: endDay, covering: days, model: "auto")
        let dayProfile = states.lazy.compactMap { s -> DayProfile.Fitted? in if case .dayProfile(let f)? = s { return f } else { return nil } }.first
        guard
            var f = Combination.combineByContext(
                results, plan: plan, calendarAware: calendarAware, tags: { d in start.map { calendar.tags[$0 + d] } ?? [] }, dayProfile: dayProfile,
                m1: slotsPerDay, horizon: horizon)
        else {
            throw ForecastError("auto", "no candidate model could forecast this series")
        }
        if let i = plan.shape, i < results.count, let sf = results[i] { Combination.reshape(&f, to: sf, m1: slotsPerDay) }
        for t in 0..<horizon {
            let m = f.mean[t]
            let (s80, s95) = plan.scales(day1: t < slotsPerDay, mean: m)
            // Bounds stay fractional: rounding them outward to whole counts would make every interval on a
            // low-count slot cover 0 and 1 and so cover far more than its nominal level there.
            f.lo80[t] = m - s80 * (m - f.lo80[t]); f.hi80[t] = m + s80 * (f.hi80[t] - m)
            f.lo95[t] = m - s95 * (m - f.lo95[t]); f.hi95[t] = m + s95 * (f.hi95[t] - m)
            if m >= roundBoundsFromMean ?? 0 {
                f.lo80[t].round(.down); f.hi80[t].round(.up); f.lo95[t].round(.down); f.hi95[t].round(.up)
            }
        }
        return f
    }
}
