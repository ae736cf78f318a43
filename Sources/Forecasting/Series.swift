import PlanningCore

/// Day-level calendar features the models may use: weekday and the calendar tags of each day.
///
/// Tags are strings such as `holiday`, `holiday=Yom Kippur`, `after1:holiday`, `before:sales`,
/// `month_start`, `payday`. `excluded` days (kind `anomaly`, or data known to be broken) are left out of
/// fitting and of scoring.
public struct DayCalendar: Sendable {
    public var firstDay: Int64
    public var tags: [[String]]
    public var excluded: [Bool]
    /// Human-readable causes per day (event names and rule names), for peak attribution.
    public var causes: [[String]]
    /// Weekdays of the workspace weekend (0 = Monday), as given to `build`.
    public var weekend: Set<Int> = []
    /// Planner's expected change (a fraction, 1.5 = +150%) of an event on a day, by day index and the event's name
    /// tag (`sales=618`): the prior of that event's total effect (`DayProfile.expectedChangeWeight`).
    public var expectedChange: [Int: [String: Double]] = [:]

    public init(firstDay: Int64, days: Int) {
        self.firstDay = firstDay
        tags = Array(repeating: [], count: days)
        excluded = Array(repeating: false, count: days)
        causes = Array(repeating: [], count: days)
    }

    public var days: Int { tags.count }

    /// Days from `historyDays` on (the forecast horizon, `horizonDays` of them) that carry a calendar kind (a tag
    /// without "=": `holiday`, `custom`, `after1:holiday`, `month_start`, ...) that no day of the history
    /// carries: no model can estimate its effect, so such a day is forecast as an ordinary one. Returns each
    /// such day's index with its unseen kinds.
    public func unseenKinds(historyDays: Int, horizonDays: Int) -> [(day: Int, kinds: [String])] {
        var seen = Set<String>()
        for d in 0..<min(historyDays, days) where !excluded[d] { for t in tags[d] where !t.contains("=") { seen.insert(t) } }
        var out: [(day: Int, kinds: [String])] = []
        for d in historyDays..<min(historyDays + horizonDays, days) {
            // A kind whose event on the day carries a planner's expected change is not forecast as an ordinary day.
            let given = Set((expectedChange[d] ?? [:]).keys.map { String($0.prefix { $0 != "=" }) })
            let unseen = tags[d].filter { !$0.contains("=") && !$0.hasPrefix("near:") && !$0.contains("@") && !seen.contains($0) && !given.contains($0) }
            if !unseen.isEmpty { out.append((d, unseen)) }
        }
        return out
    }
    public func weekday(_ d: Int) -> Int { Civil.weekday(ofDay: firstDay + Int64(d)) }

    /// Days on either side of a holiday (or a run of holidays) that carry the tags of their distance to it,
    /// `near:before<k>:holiday` / `near:after<k>:holiday` (and per holiday name) on a side where the calendar
    /// gives the holiday no lead or lag of its own: the eves before Spring Festival and the catch-up after a
    /// closure are estimated from the data (each pooled toward 0, a name's toward its kind's), not left in the
    /// level. They are not event days of their own (`unseenKinds`, the event-day backtest).
    public static let holidayNeighbourhood = 3

    /// Builds the calendar for `days` days from dated events (for one channel) and the configuration's rules.
    ///
    /// Lead windows: every day of an event's lead window carries `before:<kind>` and `before:<kind>=<name>` and,
    /// `k` days before an event with an `L`-day lead, `before:<kind>@k/Ld` (and per name): the day-total model
    /// turns these into a piecewise-linear ramp (`DayProfile.rampColumns`), so the lead-up has a shape. Lag days: `after<k>:<kind>` and per name, `k` = 1, 2, 3+. Rule days (month start,
    /// payday) on a holiday carry `<rule>@holiday` instead of the rule's tags, so a closure on day 1 does not
    /// move the month-start effects (and the month-start effect on a closed day is estimated apart). A `custom`
    /// day on a weekend day carries `working_day` (a make-up working day, 调休, or an opening), whose weekday the
    /// day-total model may replace by an average business day when the fit says so.
    public static func build(firstDay: Int64, days: Int, events: [CalendarEvent], channel: String,
                             rules: [CalendarRule], weekend: Set<Int>) -> DayCalendar {
        var c = DayCalendar(firstDay: firstDay, days: days)
        c.weekend = weekend
        let last = firstDay + Int64(days) - 1
        func add(_ day: Int64, _ tag: String, cause: String?) {
            let i = Int(day - firstDay)
            guard i >= 0 && i < days else { return }
            if !c.tags[i].contains(tag) { c.tags[i].append(tag) }
            if let cause, !c.causes[i].contains(cause) { c.causes[i].append(cause) }
        }
        let mine = events.filter { $0.channel == nil || $0.channel == channel }
        var holidayName: [Int64: String] = [:]
        var declared: [Int64: (lead: Bool, lag: Bool)] = [:]
        for e in mine where e.kind == .holiday {
            holidayName[e.day] = holidayName[e.day] ?? e.name
            declared[e.day] = ((declared[e.day]?.lead ?? false) || e.leadDays > 0, (declared[e.day]?.lag ?? false) || e.lagDays > 0)
        }
        let holidays = Set(holidayName.keys)
        let makeUp = Set(mine.filter { $0.kind == .custom && weekend.contains(Civil.weekday(ofDay: $0.day)) }.map(\.day))
        for e in mine {
            if e.kind == .anomaly {
                let i = Int(e.day - firstDay)
                if i >= 0 && i < days { c.excluded[i] = true; c.causes[i].append(e.name) }
                continue
            }
            let kind = e.kind.rawValue
            add(e.day, kind, cause: "\(e.name) (\(kind))")
            add(e.day, "\(kind)=\(e.name)", cause: nil)
            if let x = e.expectedChange, e.day >= firstDay && e.day <= last { c.expectedChange[Int(e.day - firstDay), default: [:]]["\(kind)=\(e.name)"] = x }
            if e.kind == .custom && weekend.contains(Civil.weekday(ofDay: e.day)) { add(e.day, "working_day", cause: nil) }
            if e.leadDays > 0 {
                for k in 1...e.leadDays {
                    let d = e.day - Int64(k)
                    add(d, "before:\(kind)", cause: "\(k) day\(k > 1 ? "s" : "") before \(e.name)")
                    add(d, "before:\(kind)=\(e.name)", cause: nil)
                    add(d, "before:\(kind)@\(k)/\(e.leadDays)d", cause: nil)
                    add(d, "before:\(kind)=\(e.name)@\(k)/\(e.leadDays)d", cause: nil)
                }
            }
            if e.lagDays > 0 {
                for k in 1...e.lagDays {
                    add(e.day + Int64(k), "after\(min(k, 3)):\(kind)", cause: "\(k) day\(k > 1 ? "s" : "") after \(e.name)")
                    add(e.day + Int64(k), "after\(min(k, 3)):\(kind)=\(e.name)", cause: nil)
                }
            }
        }
        // Days near a holiday (not holidays themselves): their distance to the nearest holiday before and after,
        // on the sides where the calendar gives the holiday no window of its own.
        let near = Set(holidays.flatMap { h in (1...holidayNeighbourhood).flatMap { [h - Int64($0), h + Int64($0)] } })
        for day in near.sorted() where day >= firstDay && day <= last && !holidays.contains(day) {
            for k in 1...holidayNeighbourhood {
                let h = day - Int64(k)
                if let n = holidayName[h] {
                    if declared[h]?.lag != true {
                        // A make-up working day between the holiday and this day is worked first: the catch-up after
                        // the holiday may fall on it, so this day's effect is estimated apart (`@make-up`).
                        if (1..<k).contains(where: { makeUp.contains(h + Int64($0)) }) {
                            add(day, "near:after\(k):holiday@make-up", cause: "\(k) day\(k > 1 ? "s" : "") after \(n), after a make-up working day")
                        } else {
                            add(day, "near:after\(k):holiday", cause: "\(k) day\(k > 1 ? "s" : "") after \(n)")
                            add(day, "near:after\(k):holiday=\(n)", cause: nil)
                        }
                    }
                    break
                }
            }
            for k in 1...holidayNeighbourhood {
                let h = day + Int64(k)
                if let n = holidayName[h] {
                    if declared[h]?.lead != true {
                        add(day, "near:before\(k):holiday", cause: nil)
                        add(day, "near:before\(k):holiday=\(n)", cause: nil)
                    }
                    break
                }
            }
        }
        for rule in rules {
            let days = rule.occurrences(from: firstDay, to: last) { weekend.contains(Civil.weekday(ofDay: $0)) || holidays.contains($0) }
            for d in days {
                if holidays.contains(d) { add(d, "\(rule.kindName)@holiday", cause: rule.name); continue }
                add(d, rule.kindName, cause: rule.name)
                if case .monthStart = rule {
                    let dom = Civil.civilFromDays(d).day
                    add(d, "\(rule.kindName)=day\(dom)", cause: nil)
                }
            }
        }
        return c
    }
}

/// A channel's history on its regular grid, starting at local midnight of `calendar.firstDay`, whole days.
public struct SeriesInput: Sendable {
    /// Values per slot; NaN = missing (not fitted, not scored).
    public var y: [Double]
    public var slotsPerDay: Int
    /// Covers the history and the horizon.
    public var calendar: DayCalendar

    public init(y: [Double], slotsPerDay: Int, calendar: DayCalendar) {
        self.y = y
        self.slotsPerDay = slotsPerDay
        self.calendar = calendar
    }

    public var days: Int { y.count / slotsPerDay }
    /// Slots per week.
    public var week: Int { slotsPerDay * 7 }
}

/// A forecast: mean and central 80% / 95% intervals per slot, all >= 0, and the predictive median.
///
/// `mean` is the expected volume: staffing, plans and the forecast output use it (workload adds up, medians do
/// not). `median` is the point forecast that minimises the expected absolute error, so the absolute-error
/// scores (`AccuracyMetrics.maseMedian`) use it. For a low-count series the two differ a lot: with 0.3
/// expected contacts in a slot the median is 0. Models without a count distribution report their mean
/// (the median of a symmetric interval).
public struct Forecast: Sendable, Equatable {
    public var mean: [Double]
    public var lo80: [Double]
    public var hi80: [Double]
    public var lo95: [Double]
    public var hi95: [Double]
    /// As long as `mean` after `sanitize()`: a model that leaves it shorter (appending to `mean` only) gets its mean.
    public var median: [Double]

    public init(mean: [Double], lo80: [Double], hi80: [Double], lo95: [Double], hi95: [Double], median: [Double]? = nil) {
        self.mean = mean
        self.lo80 = lo80
        self.hi80 = hi80
        self.lo95 = lo95
        self.hi95 = hi95
        self.median = median ?? mean
    }

    /// Slots `range` of this forecast.
    public func slice(_ range: Range<Int>) -> Forecast {
        Forecast(mean: Array(mean[range]), lo80: Array(lo80[range]), hi80: Array(hi80[range]), lo95: Array(lo95[range]),
                 hi95: Array(hi95[range]), median: median.count == mean.count ? Array(median[range]) : nil)
    }

    public var count: Int { mean.count }

    /// Clips everything at 0 and keeps lo95 <= lo80 <= mean <= hi80 <= hi95 (counts are never negative); the
    /// median (the mean when a model gave none) is kept inside [lo95, hi95].
    public mutating func sanitize() {
        if median.count != mean.count { median = mean }
        for i in 0..<mean.count {
            let m = max(0, mean[i].isFinite ? mean[i] : 0)
            mean[i] = m
            lo80[i] = min(max(0, lo80[i].isFinite ? lo80[i] : 0), m)
            lo95[i] = min(max(0, lo95[i].isFinite ? lo95[i] : 0), lo80[i])
            hi80[i] = max(hi80[i].isFinite ? hi80[i] : m, m)
            hi95[i] = max(hi95[i].isFinite ? hi95[i] : hi80[i], hi80[i])
            median[i] = min(max(median[i].isFinite ? median[i] : m, lo95[i]), hi95[i])
        }
    }
}

public struct ForecastError: Error, CustomStringConvertible, Sendable, Equatable {
    public var model: String
    public var message: String
    public init(_ model: String, _ message: String) { self.model = model; self.message = message }
    public var description: String { "\(model): \(message)" }
}

/// The contract every model meets: fit on whole days of history, forecast `horizon` slots after it.
public protocol ForecastModel: Sendable {
    /// Stable id used on the command line and in stored results.
    var id: String { get }
    var summary: String { get }
    /// Days of history the model needs at least.
    var minimumDays: Int { get }
    /// Fits on whole days of history; the state forecasts from the day after (see `FittedState.predict`).
    func fit(_ input: SeriesInput) throws(ForecastError) -> FittedState
    /// Whether the model uses the calendar (events and rules). The combination trusts only such models on
    /// calendar days.
    var calendarAware: Bool { get }
    /// Longest horizon the model forecasts, in days (nil: any); longer horizons are a `ForecastError` that says so.
    var maximumHorizonDays: Int? { get }
}

extension ForecastModel {
    public var calendarAware: Bool { false }
    public var maximumHorizonDays: Int? { nil }
}
