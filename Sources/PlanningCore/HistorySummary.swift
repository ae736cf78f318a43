/// Descriptive statistics of one channel's interval history, computed from UTC starts and volumes.
public struct HistorySummary: Equatable, Sendable {
    public var channel: String
    public var intervalMinutes: Int
    public var rows: Int
    public var firstLocal: Int64?
    public var lastLocal: Int64?
    /// Calendar days from the first to the last day inclusive.
    public var spanDays: Int
    public var daysWithData: Int
    public var totalVolume: Double
    /// Grid slots between the first and last row (in real elapsed time, so DST days count right) with no row.
    public var missingIntervals: Int
    /// Days inside the span with no row at all.
    public var missingDays: Int
    /// Dates of missing days (first 50).
    public var missingDayList: [String]
    /// Mean daily total per weekday (Mon...Sun) over days with data; nil when no such day.
    public var meanByWeekday: [Double?]
    /// Mean hourly total per hour of the day (0...23) over days with data.
    public var meanByHour: [Double]
    public var meanAHT: Double?
    public var abandonedShare: Double?

    public static func compute(channel: String, intervalMinutes: Int, zone: ZoneRules,
                               utc: [Int64], volume: [Double], aht: [Double] = [], abandoned: [Double] = []) -> HistorySummary {
        var s = HistorySummary(channel: channel, intervalMinutes: intervalMinutes, rows: utc.count, firstLocal: nil, lastLocal: nil,
                               spanDays: 0, daysWithData: 0, totalVolume: 0, missingIntervals: 0, missingDays: 0,
                               missingDayList: [], meanByWeekday: Array(repeating: nil, count: 7),
                               meanByHour: Array(repeating: 0, count: 24), meanAHT: nil, abandonedShare: nil)
        guard let first = utc.first, let last = utc.last else { return s }
        let step = LocalDateTime.seconds(minutes: intervalMinutes)
        s.missingIntervals = Int((last - first) / step) + 1 - utc.count
        let firstL = zone.local(fromUTC: first), lastL = zone.local(fromUTC: last)
        s.firstLocal = firstL
        s.lastLocal = lastL
        let d0 = Civil.split(firstL).day, d1 = Civil.split(lastL).day
        s.spanDays = Int(d1 - d0) + 1
        var dayTotals = [Double](repeating: 0, count: s.spanDays)
        var hasDay = [Bool](repeating: false, count: s.spanDays)
        var hourTotals = [Double](repeating: 0, count: 24)
        var ahtWeighted = 0.0, ahtVolume = 0.0, abSum = 0.0, abVolume = 0.0
        for i in 0..<utc.count {
            let (day, sod) = Civil.split(zone.local(fromUTC: utc[i]))
            let k = Int(day - d0)
            dayTotals[k] += volume[i]
            hasDay[k] = true
            hourTotals[Int(sod) / TimeGrid.secondsPerHour] += volume[i]
            s.totalVolume += volume[i]
            if i < aht.count, !aht[i].isNaN, volume[i] > 0 { ahtWeighted += aht[i] * volume[i]; ahtVolume += volume[i] }
            if i < abandoned.count, !abandoned[i].isNaN { abSum += abandoned[i]; abVolume += volume[i] }
        }
        var wdSum = [Double](repeating: 0, count: 7), wdN = [Int](repeating: 0, count: 7)
        for k in 0..<s.spanDays {
            if hasDay[k] {
                s.daysWithData += 1
                let wd = Civil.weekday(ofDay: d0 + Int64(k))
                wdSum[wd] += dayTotals[k]
                wdN[wd] += 1
            } else {
                s.missingDays += 1
                if s.missingDayList.count < 50 { s.missingDayList.append(Civil.formatDate(day: d0 + Int64(k))) }
            }
        }
        s.meanByWeekday = (0..<7).map { wdN[$0] > 0 ? wdSum[$0] / Double(wdN[$0]) : nil }
        s.meanByHour = hourTotals.map { $0 / Double(max(s.daysWithData, 1)) }
        if ahtVolume > 0 { s.meanAHT = ahtWeighted / ahtVolume }
        if abVolume > 0 { s.abandonedShare = abSum / abVolume }
        return s
    }
}
