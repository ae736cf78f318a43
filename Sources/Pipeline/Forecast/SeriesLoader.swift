import Forecasting
import Foundation
import PlanningCore
import Store

/// Loads a stored channel onto a local wall-clock grid of whole days, optionally summed to a coarser
/// interval, with its calendar. A 23-hour DST day leaves its missing hour at 0 (closed), a 25-hour day sums
/// the repeated hour into one slot: the wall-clock grid planners staff to. Slots with no row are NaN.
public struct LoadedSeries: Sendable {
    public var channel: String
    public var intervalMinutes: Int
    public var firstDay: Int64
    public var input: SeriesInput
    /// Local day number of the end of the history (exclusive).
    public var endDay: Int64
    /// Volume-weighted mean handle time per slot (NaN where unknown).
    public var aht: [Double]
    public var store: Store.ChannelRecord
}

public enum SeriesLoader {
    public static func load(
        store: Store, config: WorkspaceConfig, zone: ZoneRules, channel: String, aggregateMinutes: Int?,
        horizonDays: Int, untilLocal: Int64? = nil, keepPartialDay: Bool = false
    ) throws -> LoadedSeries {
        guard let ch = try store.channels().first(where: { $0.name == channel }) else {
            throw PlanError("no channel \(channel) in the store (have: \(try store.channels().map(\.name).joined(separator: ", ")))", .usage)
        }
        let iv = aggregateMinutes ?? ch.intervalMinutes
        guard iv % ch.intervalMinutes == 0, TimeGrid(validMinutes: iv) != nil else {
            throw PlanError("cannot aggregate channel \(channel) from \(ch.intervalMinutes) to \(iv) minutes: use a multiple of \(ch.intervalMinutes) that divides a day", .usage)
        }
        let s = try store.series(ch)
        guard let f = s.ts.first, let l = s.ts.last else {
            throw PlanError("channel \(channel) has no history", .dataError)
        }
        let firstDay = Civil.split(zone.local(fromUTC: f)).day
        var lastDay = Civil.split(zone.local(fromUTC: l)).day
        // Only whole days for fitting: drop a trailing partial day (kept, its missing slots NaN, for the intraday
        // update, which reads the day in progress).
        let lastSlotOfDay = TimeGrid.secondsPerDay - Int64(ch.intervalMinutes * TimeGrid.secondsPerMinute)
        if !keepPartialDay && Civil.split(zone.local(fromUTC: l)).secondOfDay < lastSlotOfDay { lastDay -= 1 }
        if let u = untilLocal { lastDay = min(lastDay, Civil.split(u).day - 1) }
        let days = Int(lastDay - firstDay + 1)
        guard days >= 1 else { throw PlanError("channel \(channel) has less than one whole day of history", .dataError) }
        let m1 = TimeGrid.slotsPerDay(minutes: iv)
        var y = [Double](repeating: .nan, count: days * m1)
        var seen = [Bool](repeating: false, count: days * m1)
        var ahtSum = [Double](repeating: 0, count: days * m1), ahtVol = [Double](repeating: 0, count: days * m1)
        for i in 0..<s.ts.count {
            let (d, sod) = Civil.split(zone.local(fromUTC: s.ts[i]))
            let di = Int(d - firstDay)
            guard di >= 0 && di < days else { continue }
            let k = di * m1 + Int(sod) / (iv * TimeGrid.secondsPerMinute)
            y[k] = (seen[k] ? y[k] : 0) + s.volume[i]
            seen[k] = true
            if !s.aht[i].isNaN && s.volume[i] > 0 { ahtSum[k] += s.aht[i] * s.volume[i]; ahtVol[k] += s.volume[i] }
        }
        // An aggregated slot is complete only when all its source slots are present.
        if iv != ch.intervalMinutes {
            let per = iv / ch.intervalMinutes
            var counts = [Int](repeating: 0, count: days * m1)
            for t in s.ts {
                let (d, sod) = Civil.split(zone.local(fromUTC: t))
                let di = Int(d - firstDay)
                guard di >= 0 && di < days else { continue }
                counts[di * m1 + Int(sod) / (iv * TimeGrid.secondsPerMinute)] += 1
            }
            for k in 0..<y.count where counts[k] < per && !y[k].isNaN {
                // DST spring-forward days legitimately lack an hour; other partial slots are missing.
                let day = firstDay + Int64(k / m1)
                let dayLength = zone.utcStartOfDay(day + 1) - zone.utcStartOfDay(day)
                if dayLength == TimeGrid.secondsPerDay { y[k] = .nan }
            }
        }
        let events = try store.events()
        let cal = DayCalendar.build(
            firstDay: firstDay, days: days + horizonDays, events: events, channel: channel,
            rules: config.rules, weekend: Set(config.weekend))
        return LoadedSeries(
            channel: channel, intervalMinutes: iv, firstDay: firstDay,
            input: SeriesInput(y: y, slotsPerDay: m1, calendar: cal), endDay: firstDay + Int64(days),
            aht: (0..<y.count).map { ahtVol[$0] > 0 ? ahtSum[$0] / ahtVol[$0] : .nan }, store: ch)
    }
}

extension SeriesLoader {
    /// When the channel's history ends inside a day (a day in progress), the local start of its last interval and
    /// that interval's end (the time an intraday re-forecast starts from); nil when it ends on a whole day.
    public static func dayInProgress(store: Store, zone: ZoneRules, channel: String) throws -> (lastStart: Int64, end: Int64)? {
        guard let ch = try store.channels().first(where: { $0.name == channel }), let l = try store.series(ch).ts.last else { return nil }
        let step = Int64(ch.intervalMinutes * TimeGrid.secondsPerMinute)
        let local = zone.local(fromUTC: l)
        return Civil.split(local).secondOfDay < TimeGrid.secondsPerDay - step ? (local, local + step) : nil
    }
}

extension ZoneRules {
    /// UTC instant of local midnight of a day (the first occurrence; midnight in a gap moves to the gap's end).
    public func utcStartOfDay(_ day: Int64) -> Int64 {
        switch resolve(local: LocalDateTime.startOfDay(day)) {
        case .unique(let u): return u
        case .ambiguous(let a, _): return a
        case .gap(_, let end):
            if case .unique(let u) = resolve(local: end) { return u }
            return LocalDateTime.startOfDay(day) - Int64(offset(atUTC: LocalDateTime.startOfDay(day)))
        }
    }
}
