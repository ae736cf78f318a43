/// The default model `auto`: a combination of the registered models weighted by their recent accuracy,
/// with prediction intervals calibrated on the same recent weeks.
///
/// Inside the training window each candidate forecasts three past weeks (origins 7, 15 and 23 days before
/// the end, the backtest's 8-day spacing) and is scored by MAE on the first day and on the whole week.
/// Weights are proportional to 1/MAE^2 per bucket (day 1, days 2+); a model that fails or lacks history
/// gets weight 0. Means and interval bounds are averaged with the same weights (quantile averaging,
/// "Vincentization", which keeps bounds ordered). Combinations of robust models won the M4 and M5
/// competitions. Calibration: the combined inner forecasts' 80% and 95% half-widths are scaled (per
/// bucket) by the factor that makes their empirical coverage on those weeks nominal, so the intervals are
/// calibrated by backtest residuals rather than by a distributional assumption.
public struct Combination: ForecastModel {
    public let candidates: [any ForecastModel]
    public var innerOrigins = [7, 15, 23]
    public init(candidates: [any ForecastModel]) { self.candidates = candidates }

    public var id: String { "auto" }
    public var summary: String { "accuracy-weighted, interval-calibrated combination of \(candidates.map(\.id).joined(separator: ", "))" }
    public var minimumDays: Int { candidates.map(\.minimumDays).min() ?? 7 }

    public struct Plan: Sendable, Codable, Equatable {
        /// Weights per candidate for day 1 and for later days.
        public var day1: [Double]
        public var later: [Double]
        /// Half-width scale factors for 80% and 95% intervals, on day 1 and on later days.
        public var scale80Day1: Double
        public var scale80Later: Double
        public var scale95Day1: Double
        public var scale95Later: Double
    }

    public struct Fitted: Codable, Sendable, Equatable {
        public var slotsPerDay: Int
        public var candidates: [String]
        /// Per candidate: whether it models the calendar. On a day with calendar tags only those count.
        public var calendarAware: [Bool]
        /// First day after the fitted history.
        public var endDay: Int64
        public var plan: Plan
        /// nil for a candidate with weight 0 or that failed.
        public var states: [FittedState?]
    }

    public func plan(_ input: SeriesInput) -> Plan {
        let m1 = input.slotsPerDay, w = input.week
        var usable = [Bool](repeating: true, count: candidates.count)
        var inner: [(actual: [Double], forecasts: [Forecast?])] = []
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
        }
        func weights(day1: Bool) -> [Double] {
            var mae = [Double](repeating: 0, count: candidates.count)
            for (actual, fs) in inner {
                for i in 0..<candidates.count where usable[i] {
                    guard let f = fs[i] else { continue }
                    var a = 0.0, n = 0.0
                    for t in 0..<(day1 ? m1 : w) where !actual[t].isNaN { a += abs(actual[t] - f.mean[t]); n += 1 }
                    mae[i] += n > 0 ? a / n : 0
                }
            }
            var ws = (0..<candidates.count).map { usable[$0] && mae[$0] > 0 ? 1 / (mae[$0] * mae[$0]) : 0 }
            let s = ws.reduce(0, +)
            if s == 0 { ws = usable.map { $0 ? 1 : 0 } }
            let t = ws.reduce(0, +)
            return ws.map { t > 0 ? $0 / t : 0 }
        }
        let w1 = weights(day1: true), w7 = weights(day1: false)
        // Calibration on the combined inner forecasts.
        var points: [(day1: Bool, y: Double, m: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double)] = []
        for (actual, fs) in inner where !fs.allSatisfy({ $0 == nil }) {
            if let c = Combination.combine(fs, w1, w7, m1: m1, horizon: w) {
                for t in 0..<w where !actual[t].isNaN {
                    points.append((t < m1, actual[t], c.mean[t], c.lo80[t], c.hi80[t], c.lo95[t], c.hi95[t]))
                }
            }
        }
        func scale(day1: Bool, level: Double) -> Double {
            let pts = points.filter { $0.day1 == day1 }
            guard pts.count >= 24 else { return 1 }
            var best = 1.0, bestGap = Double.infinity
            for k in 0...54 {
                let s = 0.3 + Double(k) * 0.05
                var inside = 0.0
                for p in pts {
                    let b = level == 80 ? (p.lo80, p.hi80) : (p.lo95, p.hi95)
                    let l = max(0, p.m - s * (p.m - b.0)), h = p.m + s * (b.1 - p.m)
                    if p.y >= l.rounded(.down) && p.y <= h.rounded(.up) { inside += 1 }
                }
                let gap = abs(inside / Double(pts.count) * 100 - level)
                if gap < bestGap - 1e-9 { bestGap = gap; best = s }
            }
            return best
        }
        return Plan(day1: w1, later: w7,
                    scale80Day1: scale(day1: true, level: 80), scale80Later: scale(day1: false, level: 80),
                    scale95Day1: scale(day1: true, level: 95), scale95Later: scale(day1: false, level: 95))
    }

    static func combine(_ results: [Forecast?], _ w1: [Double], _ w7: [Double], m1: Int, horizon: Int) -> Forecast? {
        guard results.contains(where: { $0 != nil }) else { return nil }
        var f = Forecast(mean: .init(repeating: 0, count: horizon), lo80: .init(repeating: 0, count: horizon),
                         hi80: .init(repeating: 0, count: horizon), lo95: .init(repeating: 0, count: horizon),
                         hi95: .init(repeating: 0, count: horizon))
        let present = results.compactMap { $0 }.count
        for t in 0..<horizon {
            let ws = t < m1 ? w1 : w7
            var total = 0.0
            for (i, r) in results.enumerated() where r != nil { total += ws[i] }
            for (i, r) in results.enumerated() {
                guard let r else { continue }
                let w = total > 0 ? ws[i] / total : 1 / Double(present)
                f.mean[t] += w * r.mean[t]; f.lo80[t] += w * r.lo80[t]; f.hi80[t] += w * r.hi80[t]
                f.lo95[t] += w * r.lo95[t]; f.hi95[t] += w * r.hi95[t]
            }
        }
        return f
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
                                          endDay: input.calendar.firstDay + Int64(input.days), plan: p, states: states))
    }
}

extension Combination.Fitted {
    func predict(calendar: DayCalendar, horizon: Int) throws(ForecastError) -> Forecast {
        var results: [Forecast?] = []
        for st in states { results.append(st.flatMap { try? $0.predict(calendar: calendar, horizon: horizon) }) }
        guard var f = Combination.combine(results, plan.day1, plan.later, m1: slotsPerDay, horizon: horizon) else {
            throw ForecastError("auto", "no candidate model could forecast this series")
        }
        // Calendar days (events and their windows, month start, paydays): only calendar-aware candidates
        // count there; a calendar-blind model would pull the forecast toward an ordinary day. (Measured on the
        // bundled series: event-day WAPE 30-43% lower than the best baseline; scaling blind models by the
        // estimated rule effects on month-start days instead was no better on MASE.)
        let aware = results.enumerated().map { $0.element != nil && calendarAware[$0.offset] }
        if aware.contains(true), let start = try? calendar.index(ofDay: endDay, covering: (horizon + slotsPerDay - 1) / slotsPerDay, model: "auto"),
           let special = Combination.combine(results.enumerated().map { aware[$0.offset] ? $0.element : nil }, plan.day1, plan.later,
                                             m1: slotsPerDay, horizon: horizon) {
            for t in 0..<horizon where !calendar.tags[start + t / slotsPerDay].isEmpty {
                f.mean[t] = special.mean[t]; f.lo80[t] = special.lo80[t]; f.hi80[t] = special.hi80[t]
                f.lo95[t] = special.lo95[t]; f.hi95[t] = special.hi95[t]
            }
        }
        for t in 0..<horizon {
            let d1 = t < slotsPerDay
            let s80 = d1 ? plan.scale80Day1 : plan.scale80Later, s95 = d1 ? plan.scale95Day1 : plan.scale95Later
            let m = f.mean[t]
            f.lo80[t] = (m - s80 * (m - f.lo80[t])).rounded(.down); f.hi80[t] = (m + s80 * (f.hi80[t] - m)).rounded(.up)
            f.lo95[t] = (m - s95 * (m - f.lo95[t])).rounded(.down); f.hi95[t] = (m + s95 * (f.hi95[t] - m)).rounded(.up)
        }
        return f
    }
}
