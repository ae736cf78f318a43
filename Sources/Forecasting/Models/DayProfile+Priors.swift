import Foundation
import PlanningCore

// MARK: - Planner's expected changes and events without history

extension DayProfile {
    /// What the data say about an event (by its name tag, `sales=618`): its total log effect against a normal day
    /// and on how many training days it rests.
    public struct EventEstimate: Codable, Sendable, Equatable {
        /// Total log effect: the kind's plus the name's; for a holiday (which replaces the weekday) against the
        /// average business day.
        public var logTotal: Double
        public var occurrences: Int
    }

    /// Estimates for the name tags that carry an expected change anywhere in the calendar.
    static func eventEstimates(_ design: Design, beta: [Double], train: [Int], calendar cal: DayCalendar) -> [String: EventEstimate] {
        let tags = Set(cal.expectedChange.values.flatMap(\.keys))
        guard !tags.isEmpty else { return [:] }
        let business = businessWeekdays(cal.weekend)
        let businessMean = business.map { beta[$0] }.reduce(0, +) / Double(business.count)
        var out: [String: EventEstimate] = [:]
        for t in tags.sorted() {
            let kind = String(t.prefix { $0 != "=" })
            let n = train.filter { cal.tags[$0].contains(t) }.count
            var total = (design.tagIndex[kind].map { beta[$0] } ?? 0) + (design.tagIndex[t].map { beta[$0] } ?? 0)
            if kind == "holiday" && design.tagIndex["holiday"] != nil { total -= businessMean }
            out[t] = EventEstimate(logTotal: total, occurrences: n)
        }
        return out
    }
}

extension DayProfile.Fitted {
    /// The seasonal part (weekday and calendar effects, log) of a day with `tags` on weekday `w`, day index `d` of
    /// `cal`. An event with a planner's expected change x takes the precision-weighted mean of the prior log(1 + x)
    /// (worth `expectedChangeWeight` days) and the data's estimate (worth its occurrences) as its total effect,
    /// in place of its kind's and name's coefficients.
    func seasonal(tags: [String], weekday w: Int, day d: Int, calendar cal: DayCalendar) -> Double {
        let isHoliday = tags.contains("holiday")
        let business = businessWeekdays ?? Array(0..<7)
        let businessMean = business.map { weekdayCoefficients[$0] }.reduce(0, +) / Double(max(business.count, 1))
        var s = holidayReplacesWeekday && isHoliday ? 0 : weekdayCoefficients[w]
        if !isHoliday && workingDayReplacesWeekday == true && tags.contains("working_day") { s = businessMean }
        var skip = Set<String>()
        for (t, x) in (cal.expectedChange[d] ?? [:]).sorted(by: { $0.key < $1.key }) where tags.contains(t) {
            let kind = String(t.prefix { $0 != "=" })
            let data = eventEstimates?[t]
            let n = Double(data?.occurrences ?? 0)
            let k0 = expectedChangeWeight ?? 1
            let total = (n * (data?.logTotal ?? 0) + k0 * log(1 + x)) / (n + k0)
            if kind == "holiday" && holidayReplacesWeekday { s = businessMean }
            s += total
            skip.insert(t); skip.insert(kind)
        }
        for t in tags where !skip.contains(t) {
            if let cols = DayProfile.rampColumns(t) {
                for (c, w) in cols { s += w * (tagCoefficients[c] ?? 0) }
            } else {
                s += tagCoefficients[t] ?? 0
            }
        }
        return s
    }

    /// How the forecast treats an event tag (`holiday=Dragon Boat`) that has no history: the planner's expected
    /// change, else its kind's learnt effect, else none.
    public func fallback(forNameTag t: String, expectedChange x: Double?) -> String {
        let kind = String(t.prefix { $0 != "=" })
        if let x { return String(format: "the expected change %+.0f%% from the events file", x * 100) }
        guard let j = effects.names.firstIndex(of: kind) else { return "no effect (its kind \(kind) has no history either): an ordinary day" }
        return String(
            format: "its kind's effect, %@ %+.0f%% (learnt from %d day%@)", kind, (exp(effects.relativeLog(j)) - 1) * 100,
            effects.occurrences[j], effects.occurrences[j] == 1 ? "" : "s")
    }
}

extension DayCalendar {
    /// Forecast days (from `historyDays`, `horizonDays` of them) carrying an event (by its name tag, `kind=name`)
    /// that no day of the history carries: its effect cannot be learnt. Returns each such day with those tags.
    public func unseenEvents(historyDays: Int, horizonDays: Int) -> [(day: Int, tags: [String])] {
        var seen = Set<String>()
        for d in 0..<min(historyDays, days) where !excluded[d] { for t in tags[d] where isEventNameTag(t) { seen.insert(t) } }
        var out: [(day: Int, tags: [String])] = []
        for d in historyDays..<min(historyDays + horizonDays, days) {
            let unseen = tags[d].filter { isEventNameTag($0) && !seen.contains($0) }
            if !unseen.isEmpty { out.append((d, unseen)) }
        }
        return out
    }

    /// `holiday=Dragon Boat`, not a window's (`before:sales=618`) or a rule's day (`month_start=day1`).
    func isEventNameTag(_ t: String) -> Bool {
        guard let eq = t.firstIndex(of: "=") else { return false }
        let kind = t[..<eq]
        return EventKind(rawValue: String(kind)) != nil
    }
}

extension DayProfile.Effects {
    /// What an effect (by its column name) is relative to, as `--explain` prints it.
    public static func base(of n: String) -> String {
        if n == "holiday" { return "an average business day (a holiday replaces its weekday)" }
        if n == "working_day" { return "the same weekday, or an average business day when make-up days replace their weekday" }
        if n.hasSuffix("@holiday") { return "a holiday (the rule's effect on a closed day)" }
        if let at = n.range(of: "@~") {
            let window = String(n[..<at.lowerBound])
            let days = n[at.upperBound...].dropLast()
            return "\(window) (the lead-up ramp's value \(days) day\(days == "1" ? "" : "s") before the event; days between knots interpolate)"
        }
        if let eq = n.firstIndex(of: "=") { return "\(n[..<eq]) (on top of the kind's effect)" }
        return "the same weekday"
    }
}

extension DayProfile {
    /// The columns of a lead-window day tag `before:<kind>[=<name>]@k/Ld` (k days before an event with an L-day
    /// lead): hat functions at knots 1, 2, 4, 8, ... and L days before the event, the day's weight split between
    /// the two knots around k (linear interpolation). The ramp is piecewise linear with its detail near the event,
    /// where lead-ups change fastest, and one day cannot carry an effect of its own (a one-off holiday inside a
    /// window stays the holiday's). nil for other tags.
    static func rampColumns(_ tag: String) -> [(String, Double)]? {
        guard tag.hasPrefix("before:"), tag.hasSuffix("d"), let at = tag.lastIndex(of: "@") else { return nil }
        let spec = tag[tag.index(after: at)..<tag.index(before: tag.endIndex)].split(separator: "/")
        guard spec.count == 2, let k = Int(spec[0]), let lead = Int(spec[1]), k >= 1, lead >= k else { return nil }
        let base = tag[..<at]
        var knots = [1]
        while knots[knots.count - 1] * 2 < lead { knots.append(knots[knots.count - 1] * 2) }
        if knots[knots.count - 1] != lead { knots.append(lead) }
        guard knots.count > 1, k > 1 else { return [("\(base)@~1d", 1)] }
        for i in 0..<(knots.count - 1) where k <= knots[i + 1] {
            let a = knots[i], b = knots[i + 1]
            let w = Double(k - a) / Double(b - a)
            return [("\(base)@~\(a)d", 1 - w), ("\(base)@~\(b)d", w)].filter { $0.1 > 0 }
        }
        return [("\(base)@~\(lead)d", 1)]
    }
}
