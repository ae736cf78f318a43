import Forecasting
import Foundation
import Pipeline
import PlanningCore

/// One run of the events benchmark: every origin, every channel, scored against the known day totals.
struct EventsBenchRun {
    let data: EventsBenchData
    let model: any ForecastModel
    let horizon: Int
    let origins: [String]
    /// Prints the day-profile model's fitted calendar effects of this channel at each origin on stderr.
    var effectsChannel: String? = nil

    struct Origin {
        var origin: String
        var wapeAll: Double
        var wapeCalendar: Double
        var calendarDays: Int
        /// 80% coverage of the actual day totals on calendar-effect days by the day-total interval
        /// (`FittedState.dayTotal80`), and its counts; by the sums of the slots' bounds (`sumCoverage80`).
        var coverage80: Double
        var inside: Int
        var scored: Int
        var sumCoverage80: Double
        var sumInside: Int
        /// 80% coverage of the actual slot volumes on calendar-effect days, and its counts.
        var slotCoverage80: Double
        var slotInside: Int
        var slotScored: Int
    }

    struct MonthStartRow {
        var channel: String
        var day: Int
        var count: Int
        var truth: Double
        var forecast: Double
    }

    /// What `auto` chose for a calendar context at an origin (its backtest's MAE per slot of each option).
    struct ContextRow {
        var origin: String
        var channel: String
        var context: String
        var days: Int
        var winner: String
        var errors: String
    }

    struct Result {
        var origins: [Origin]
        var monthStart: [MonthStartRow]
        var contexts: [ContextRow]
        var coverage80: Double
        var sumCoverage80: Double
        var slotCoverage80: Double
        /// CSV lines of every forecast day.
        var days: [String]
    }

    /// Day totals of a forecast: mean, the sums of the slots' 80% bounds, and the day-total 80% interval (NaN: none).
    typealias DayForecast = (mean: Double, lo: Double, hi: Double, dayLo: Double, dayHi: Double)

    func run() throws -> Result {
        var out: [Origin] = []
        var lines: [String] = []
        var contexts: [ContextRow] = []
        // channel -> day of month -> (truth ratios, forecast ratios)
        var ms: [String: [Int: (t: [Double], f: [Double])]] = [:]
        for o in origins {
            guard let originDay = Civil.parseDate(o) else { throw PlanError("--origins: \(o) is not a date (YYYY-MM-DD)", .usage) }
            var fc: [String: [Int64: DayForecast]] = [:]
            var actual: [String: [Int64: Double]] = [:]
            var slotInside = 0, slotScored = 0
            for ch in EventsBenchData.channels {
                let series = try SeriesLoader.load(
                    store: data.store, config: data.config, zone: data.zone, channel: ch, aggregateMinutes: nil,
                    horizonDays: horizon + 400)
                let m1 = series.input.slotsPerDay
                let cut = Int(originDay - series.firstDay)
                let input = SeriesInput(y: Array(series.input.y[0..<(cut * m1)]), slotsPerDay: m1, calendar: series.input.calendar)
                let state = try model.fit(input)
                let f = try state.predict(calendar: input.calendar, horizon: horizon * m1)
                if case .combination(let c) = state {
                    for ch0 in c.plan.contexts ?? [] {
                        let maes = zip(c.candidates, ch0.mae).map { "\($0.0) \($0.1.map { String(format: "%.1f", $0) } ?? "-")" }
                        contexts.append(
                            ContextRow(
                                origin: o, channel: ch, context: ch0.context.rawValue, days: ch0.days, winner: ch0.winner,
                                errors: (maes + [String(format: "combination %.1f", ch0.combinationMAE), String(format: "earlier rule %.1f", ch0.earlierRuleMAE)])
                                    .joined(separator: ", ")))
                    }
                }
                if ch == effectsChannel {
                    let st = try DayProfile().fitState(input)
                    let e = st.effects
                    var text = String(
                        format: "%@ %@: residual sd %.3f, level smoothing %.2f, drift %+.2f%% a month\n", o, ch, e.residualSD, e.smoothing,
                        (st.drift ?? 0) * 30 * 100)
                    for (j, n) in e.names.enumerated() where !n.hasPrefix("level@") {
                        text += String(format: "  %-50@ %+7.1f%%  n=%d\n", n, (exp(e.relativeLog(j)) - 1) * 100, e.occurrences[j])
                    }
                    FileHandle.standardError.write(Data(text.utf8))
                }
                for j in 0..<horizon {
                    let r = (j * m1)..<((j + 1) * m1)
                    let total = f.mean[r].reduce(0, +)
                    let band = state.dayTotal80(total, tags: input.calendar.tags[cut + j])
                    fc[ch, default: [:]][originDay + Int64(j)] = (total, f.lo80[r].reduce(0, +), f.hi80[r].reduce(0, +), band?.lo ?? .nan, band?.hi ?? .nan)
                    let k = cut + j
                    if k < series.input.days {
                        let ys = series.input.y[(k * m1)..<((k + 1) * m1)]
                        if isCalendarDay(originDay + Int64(j)) {
                            for (s, v) in zip(r, ys) where !v.isNaN {
                                slotScored += 1
                                if v >= f.lo80[s] && v <= f.hi80[s] { slotInside += 1 }
                            }
                        }
                        if !ys.contains(where: \.isNaN) { actual[ch, default: [:]][originDay + Int64(j)] = ys.reduce(0, +) }
                    }
                }
            }
            let days = (0..<horizon).map { originDay + Int64($0) }
            let special = days.filter(isCalendarDay)
            let (inside, sumInside, scored) = Self.dayCoverage(fc, actual: actual, days: special)
            out.append(
                Origin(
                    origin: o, wapeAll: wape(fc, days), wapeCalendar: wape(fc, special), calendarDays: special.count,
                    coverage80: scored > 0 ? 100 * Double(inside) / Double(scored) : .nan, inside: inside, scored: scored,
                    sumCoverage80: scored > 0 ? 100 * Double(sumInside) / Double(scored) : .nan, sumInside: sumInside,
                    slotCoverage80: slotScored > 0 ? 100 * Double(slotInside) / Double(slotScored) : .nan, slotInside: slotInside,
                    slotScored: slotScored))
            collectMonthStart(fc, days: days, into: &ms)
            for d in days {
                for ch in EventsBenchData.channels {
                    guard let f = fc[ch]?[d] else { continue }
                    let a = actual[ch]?[d].map { String(format: "%.0f", $0) } ?? ""
                    lines.append(
                        String(
                            format: "%@,%@,%@,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%@,%d\n", o, Civil.formatDate(day: d), ch, f.mean, f.dayLo, f.dayHi,
                            f.lo, f.hi, data.truth[ch]?[d] ?? .nan, a, isCalendarDay(d) ? 1 : 0))
                }
            }
        }
        var rows: [MonthStartRow] = []
        for ch in EventsBenchData.channels {
            for k in 1...5 {
                guard let v = ms[ch]?[k], !v.t.isEmpty else { continue }
                let n = Double(v.t.count)
                rows.append(MonthStartRow(channel: ch, day: k, count: v.t.count, truth: v.t.reduce(0, +) / n * 100, forecast: v.f.reduce(0, +) / n * 100))
            }
        }
        let inside = out.map(\.inside).reduce(0, +), scored = out.map(\.scored).reduce(0, +), sumInside = out.map(\.sumInside).reduce(0, +)
        let si = out.map(\.slotInside).reduce(0, +), ss = out.map(\.slotScored).reduce(0, +)
        return Result(
            origins: out, monthStart: rows, contexts: contexts, coverage80: scored > 0 ? 100 * Double(inside) / Double(scored) : .nan,
            sumCoverage80: scored > 0 ? 100 * Double(sumInside) / Double(scored) : .nan,
            slotCoverage80: ss > 0 ? 100 * Double(si) / Double(ss) : .nan, days: lines)
    }

    /// Calendar-effect days' actual totals inside the day-total interval and inside the sums of the slots' bounds, of
    /// those scored.
    static func dayCoverage(_ fc: [String: [Int64: DayForecast]], actual: [String: [Int64: Double]], days: [Int64]) -> (Int, Int, Int) {
        var inside = 0, sumInside = 0, scored = 0
        for d in days {
            for ch in EventsBenchData.channels {
                guard let a = actual[ch]?[d], let f = fc[ch]?[d] else { continue }
                scored += 1
                if a >= f.lo && a <= f.hi { sumInside += 1 }
                if a >= f.dayLo && a <= f.dayHi { inside += 1 }
            }
        }
        return (inside, sumInside, scored)
    }

    func wape(_ fc: [String: [Int64: DayForecast]], _ days: [Int64]) -> Double {
        var num = 0.0, den = 0.0
        for d in days {
            for ch in EventsBenchData.channels {
                guard let t = data.truth[ch]?[d] else { continue }
                num += abs((fc[ch]?[d]?.mean ?? 0) - t); den += t
            }
        }
        return den > 0 ? 100 * num / den : .nan
    }

    /// Month-start effects in the horizon: day k (1-5, not an event day) against the mean of the same weekday on
    /// days 8-28 of the same month without events, in the truth and in the forecast.
    func collectMonthStart(_ fc: [String: [Int64: DayForecast]], days: [Int64], into ms: inout [String: [Int: (t: [Double], f: [Double])]]) {
        let inHorizon = Set(days)
        for d in days {
            let (y, m, dom) = Civil.civilFromDays(d)
            guard dom <= 5, !isEventDay(d) else { continue }
            let w = Civil.weekday(ofDay: d)
            let refs = (8...28).map { Civil.daysFromCivil(year: y, month: m, day: $0) }.filter {
                inHorizon.contains($0) && Civil.weekday(ofDay: $0) == w && !isCalendarDay($0)
            }
            guard !refs.isEmpty else { continue }
            for ch in EventsBenchData.channels {
                guard let t = data.truth[ch]?[d], let f = fc[ch]?[d]?.mean else { continue }
                let tr = refs.compactMap { data.truth[ch]?[$0] }, fr = refs.compactMap { fc[ch]?[$0]?.mean }
                guard tr.count == refs.count, fr.count == refs.count else { continue }
                let tRef = tr.reduce(0, +) / Double(tr.count), fRef = fr.reduce(0, +) / Double(fr.count)
                ms[ch, default: [:]][dom, default: ([], [])].t.append(t / tRef - 1)
                ms[ch, default: [:]][dom, default: ([], [])].f.append(f / fRef - 1)
            }
        }
    }

    /// A day with an event of the calendar on it or in its lead/lag window, or just after a holiday.
    func isEventDay(_ d: Int64) -> Bool {
        for e in data.events {
            if d >= e.day - Int64(e.leadDays) && d <= e.day + Int64(e.lagDays) { return true }
            if e.kind == .holiday && (d == e.day + 1 || d == e.day + 2) { return true }
        }
        return false
    }

    /// The calendar-effect days of score_events.py: event days, days 1-5, the two days after a holiday, the three
    /// days before Spring Festival, the sales windows.
    func isCalendarDay(_ d: Int64) -> Bool {
        if Civil.civilFromDays(d).day <= 5 { return true }
        for e in data.events {
            if e.day == d { return true }
            if e.kind == .holiday && d > e.day && d <= e.day + 2 { return true }
            if e.kind == .holiday && e.name.contains("Spring") && d < e.day && d >= e.day - 3 { return true }
        }
        // The sales windows as score_events.py fixes them (618 and 11.11: 28 days before to 2 after; 12.12: 3 before
        // to 1 after), whatever lead the calendar gives.
        let y = Civil.civilFromDays(d).year
        for (m, dom, lead, lag) in [(6, 18, 28, 2), (11, 11, 28, 2), (12, 12, 3, 1)] {
            let off = d - Civil.daysFromCivil(year: y, month: m, day: dom)
            if off >= -Int64(lead) && off <= Int64(lag) { return true }
        }
        return false
    }
}
