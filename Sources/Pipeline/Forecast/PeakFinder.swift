import Forecasting
import Foundation
import PlanningCore

/// Predicted peak and dip days: forecast day totals against the normal level of their weekday.
public enum PeakFinder {
    /// Days whose forecast total is at least `margin` off the normal level of that weekday (the mean total of the
    /// last 4 same-weekday days without events), with the busiest interval and the cause.
    static func peaks(
        series: LoadedSeries, forecast f: Forecast, effects: DayProfile.Effects?, fitted: FittedState? = nil, horizon h: Int, margin: Double
    ) -> [ChannelForecast.PeakDay] {
        let m1 = series.input.slotsPerDay
        let cal = series.input.calendar
        let nd = series.input.days
        let y = series.input.y
        var normal = [Double?](repeating: nil, count: 7)
        for w in 0..<7 {
            var totals: [Double] = []
            for d in stride(from: nd - 1, through: 0, by: -1) where cal.weekday(d) == w && cal.tags[d].isEmpty && !cal.excluded[d] {
                let v = (0..<m1).map { y[d * m1 + $0] }
                if v.contains(where: \.isNaN) { continue }
                totals.append(v.reduce(0, +))
                if totals.count == 4 { break }
            }
            if !totals.isEmpty { normal[w] = totals.reduce(0, +) / Double(totals.count) }
        }
        var out: [ChannelForecast.PeakDay] = []
        let step = Int64(series.intervalMinutes * TimeGrid.secondsPerMinute)
        for j in 0..<(h / m1) {
            let d = nd + j
            let w = cal.weekday(d)
            guard let base = normal[w], base > 0 else { continue }
            let total = f.mean[(j * m1)..<((j + 1) * m1)].reduce(0, +)
            let change = total / base - 1
            guard abs(change) >= margin else { continue }
            let busiest = (0..<m1).max { f.mean[j * m1 + $0] < f.mean[j * m1 + $1] }!
            var causes: [String] = []
            if let e = effects {
                for t in cal.tags[d] {
                    if let k = e.names.firstIndex(of: t) { causes.append("\(t) \(String(format: "%+.0f%%", (exp(e.relativeLog(k)) - 1) * 100))") }
                }
            }
            let named = cal.causes[d]
            var cause = named.isEmpty ? "" : named.joined(separator: "; ")
            if !causes.isEmpty { cause += (cause.isEmpty ? "" : " — ") + causes.joined(separator: ", ") }
            if cause.isEmpty { cause = "level: recent \(Civil.weekdayNames[w]) totals trend \(change > 0 ? "up" : "down")" }
            // Event names are free text people open in a spreadsheet.
            cause = InputRules.spreadsheetSafe(cause)
            let day = series.endDay + Int64(j)
            let band = fitted?.dayTotal80(total, tags: cal.tags[d])
            out.append(
                .init(
                    day: day, weekday: w, total: total, lo80: band?.lo, hi80: band?.hi, normal: base, change: change,
                    busiestLocal: day * Civil.secondsPerDay + Int64(busiest) * step, busiestMean: f.mean[j * m1 + busiest], cause: cause))
        }
        return out
    }
}
