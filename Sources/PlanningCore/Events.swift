/// Calendar events that move contact volume: holidays, sales events, billing cycles, custom days.
public enum EventKind: String, CaseIterable, Sendable, Codable {
    case holiday, sales, billing, custom
    /// A day whose data is known to be broken (an outage, an imputed day): left out of model fitting and
    /// of accuracy scoring.
    case anomaly
}

/// One dated event as imported from an events CSV (DESIGN section 4).
public struct CalendarEvent: Equatable, Hashable, Sendable {
    /// Day number (days since 1970-01-01) of the local calendar date.
    public var day: Int64
    public var name: String
    public var kind: EventKind
    /// nil: applies to every channel.
    public var channel: String?
    /// Days before the event that are affected (e.g. presales before 11.11).
    public var leadDays: Int
    /// Days after the event that are affected (e.g. the rebound after a holiday).
    public var lagDays: Int
    /// What the planner expects: the event's total change of the day's volume against a normal day, as a
    /// fraction (1.5 = +150%, -0.4 = -40%). The forecast's prior for the event: used as it is when the event has no
    /// history, and moved by the data when it has (nil: learnt only, or the kind's effect).
    public var expectedChange: Double?

    public init(
        day: Int64, name: String, kind: EventKind, channel: String? = nil, leadDays: Int = 0, lagDays: Int = 0,
        expectedChange: Double? = nil
    ) {
        self.day = day
        self.name = name
        self.kind = kind
        self.channel = channel
        self.leadDays = leadDays
        self.lagDays = lagDays
        self.expectedChange = expectedChange
    }

    public var date: String { Civil.formatDate(day: day) }
}

/// A recurring calendar rule from the configuration, expanded to dated occurrences on demand.
public enum CalendarRule: Equatable, Sendable {
    /// Days `firstDay...lastDay` of every month (e.g. card-repayment questions on days 1-5).
    case monthStart(name: String, firstDay: Int, lastDay: Int)
    /// Paydays on given days of the month; `-1` is the last day. A payday on a weekend or holiday
    /// moves by `shift`.
    case payday(name: String, days: [Int], shift: PaydayShift)

    public enum PaydayShift: String, Sendable, CaseIterable {
        case none
        case previousBusinessDay = "previous_business_day"
        case nextBusinessDay = "next_business_day"
    }

    public var name: String {
        switch self {
        case .monthStart(let n, _, _), .payday(let n, _, _): return n
        }
    }

    public var kindName: String {
        switch self {
        case .monthStart: return "month_start"
        case .payday: return "payday"
        }
    }

    /// Occurrences between two day numbers inclusive. `isNonBusiness` tells weekend/holiday days for the payday shift.
    public func occurrences(from: Int64, to: Int64, isNonBusiness: (Int64) -> Bool) -> [Int64] {
        guard from <= to else { return [] }
        var out: [Int64] = []
        var (y, m, _) = Civil.civilFromDays(from)
        while true {
            let monthStart = Civil.daysFromCivil(year: y, month: m, day: 1)
            if monthStart > to + 7 { break }
            let dim = Civil.daysInMonth(year: y, month: m)
            switch self {
            case .monthStart(_, let a, let b):
                for d in a...min(b, dim) { out.append(monthStart + Int64(d - 1)) }
            case .payday(_, let days, let shift):
                for raw in days {
                    let d = raw == -1 ? dim : min(raw, dim)
                    var day = monthStart + Int64(d - 1)
                    var guardCount = 0
                    switch shift {
                    case .none: break
                    case .previousBusinessDay:
                        while isNonBusiness(day) && guardCount < 14 { day -= 1; guardCount += 1 }
                    case .nextBusinessDay:
                        while isNonBusiness(day) && guardCount < 14 { day += 1; guardCount += 1 }
                    }
                    out.append(day)
                }
            }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        return Array(Set(out.filter { $0 >= from && $0 <= to })).sorted()
    }
}
