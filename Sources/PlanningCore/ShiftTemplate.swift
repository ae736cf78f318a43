/// A break or lunch inside a shift: `durationPeriods` long, starting between `earliestOffset` and `latestOffset`
/// periods after the shift starts (both inclusive), periods of its template's grid. Paid breaks count as paid
/// time, unpaid ones do not; either way the agent is off the queues during the break.
public struct BreakRule: Sendable, Equatable, Hashable, Codable {
    public var durationPeriods: Int
    public var earliestOffset: Int
    public var latestOffset: Int
    public var paid: Bool

    public init(durationPeriods: Int, earliestOffset: Int, latestOffset: Int, paid: Bool = false) {
        self.durationPeriods = durationPeriods
        self.earliestOffset = earliestOffset
        self.latestOffset = latestOffset
        self.paid = paid
    }
}

/// A shift template, the one both engines plan with: a span (breaks included) that may start every `startStep`
/// periods from `earliestStart`, ending by `latestEnd` (periods of the start day; above one day's periods only
/// for overnight templates), with its breaks. Periods count on `grid`:
/// - the scheduler's templates are on the problem's planning grid (`ScheduleConfig.problem` validates that
///   every time is on it);
/// - the roster's templates (`init(name:startEarliest:...)`) are on the minute grid (`TimeGrid.minute`) and
///   the roster maps them onto its planning grid (`starts(on:)`, `lengthSlots(on:)`, `breakSlots(on:)`).
public struct ShiftTemplate: Sendable, Equatable, Hashable, Codable {
    public var id: String
    public var spanPeriods: Int
    public var startStep: Int
    public var earliestStart: Int
    public var latestEnd: Int
    public var breaks: [BreakRule]
    /// The grid the period fields count on.
    public var grid: TimeGrid

    public init(id: String, spanPeriods: Int, startStep: Int = 1, earliestStart: Int, latestEnd: Int, breaks: [BreakRule] = [],
                grid: TimeGrid = .halfHour) {
        self.id = id
        self.spanPeriods = spanPeriods
        self.startStep = startStep
        self.earliestStart = earliestStart
        self.latestEnd = latestEnd
        self.breaks = breaks
        self.grid = grid
    }

    /// A roster template in minutes: starts every `startStepMinutes` from `startEarliest` through
    /// `startLatest` (minutes after local midnight), `paidHours` of work and one unpaid break of `breakMinutes`
    /// starting `breakWindow` minutes after the shift starts (the roster places it by load), or without a window
    /// in the middle of the shift (rounded down to `breakStepMinutes`).
    public init(name: String, startEarliest: Int, startLatest: Int, startStepMinutes: Int = 30, paidHours: Double, breakMinutes: Int,
                breakStepMinutes: Int = 30, breakWindow: ClosedRange<Int>? = nil) {
        let length = Int((paidHours * Double(TimeGrid.minutesPerHour)).rounded()) + breakMinutes
        let middle = length / 2 - breakMinutes / 2
        let offset = TimeGrid.floorDiv(middle, max(breakStepMinutes, 1)) * max(breakStepMinutes, 1)
        let w = breakWindow ?? offset...offset
        self.init(id: name, spanPeriods: length, startStep: startStepMinutes, earliestStart: startEarliest, latestEnd: startLatest + length,
                  breaks: breakMinutes > 0 ? [BreakRule(durationPeriods: breakMinutes, earliestOffset: w.lowerBound, latestOffset: w.upperBound)] : [],
                  grid: .minute)
    }

    // MARK: periods (the scheduler's view)

    /// Start periods (of the day) this template allows.
    public var starts: [Int] {
        guard spanPeriods > 0, startStep > 0 else { return [] }
        return Array(stride(from: earliestStart, through: latestEnd - spanPeriods, by: startStep))
    }

    /// Periods paid: the span minus unpaid breaks.
    public var paidPeriods: Int { spanPeriods - breaks.filter { !$0.paid }.reduce(0) { $0 + $1.durationPeriods } }
    /// Periods on the queues: the span minus every break.
    public var onDutyPeriods: Int { spanPeriods - breaks.reduce(0) { $0 + $1.durationPeriods } }

    // MARK: minutes (the roster's view)

    public var name: String { id }
    /// Shift length in minutes, breaks included.
    public var lengthMinutes: Int { spanPeriods * grid.minutes }
    /// Earliest and latest start, minutes after local midnight.
    public var startEarliest: Int { earliestStart * grid.minutes }
    public var startLatest: Int { (latestEnd - spanPeriods) * grid.minutes }
    public var startStepMinutes: Int { startStep * grid.minutes }
    public var paidHours: Double { LocalDateTime.hours(minutes: paidPeriods * grid.minutes) }
    /// Unpaid break minutes.
    public var breakMinutes: Int { (spanPeriods - paidPeriods) * grid.minutes }

    // MARK: onto a planning grid

    /// Start minutes the template allows on a planning grid: its starts that are slot starts of the grid.
    public func starts(on g: TimeGrid) -> [Int] {
        guard startStepMinutes > 0 else { return [] }
        return stride(from: startEarliest, through: startLatest, by: startStepMinutes).filter { g.isOnGrid(minute: $0) }
    }
    /// The break a roster takes off the queues: the first unpaid one, else the first paid one (a roster shift
    /// places one break).
    public var rosterBreak: BreakRule? { breaks.first { !$0.paid && $0.durationPeriods > 0 } ?? breaks.first { $0.durationPeriods > 0 } }
    /// `rosterBreak`'s length in minutes (0 without one).
    public var rosterBreakMinutes: Int { (rosterBreak?.durationPeriods ?? 0) * grid.minutes }

    /// The same template counted in minutes (`grid` .minute), break windows kept: how a `[schedule]` template
    /// joins the roster's templates.
    public var inMinutes: ShiftTemplate {
        let m = grid.minutes
        return ShiftTemplate(id: id, spanPeriods: spanPeriods * m, startStep: startStep * m, earliestStart: earliestStart * m, latestEnd: latestEnd * m,
                             breaks: breaks.map { BreakRule(durationPeriods: $0.durationPeriods * m, earliestOffset: $0.earliestOffset * m, latestOffset: $0.latestOffset * m, paid: $0.paid) },
                             grid: .minute)
    }

    /// Earliest offset of the roster break (`rosterBreak`) from the shift start in minutes, rounded down to a slot
    /// start of `g`; nil without one.
    public func breakOffset(on g: TimeGrid) -> Int? {
        guard let b = rosterBreak else { return nil }
        return g.startMinute(ofSlot: g.slot(ofMinute: b.earliestOffset * grid.minutes))
    }
    /// Slots a shift of this template spans on `g` (a partly worked last slot counts).
    public func lengthSlots(on g: TimeGrid) -> Int { g.slotsCovering(minutes: lengthMinutes) }
    /// Slots of the shift (from its first slot) its roster break takes off the queues on `g` at its earliest
    /// offset: every slot it touches.
    public func breakSlots(on g: TimeGrid) -> Range<Int>? {
        guard let b = rosterBreak, let o = breakOffset(on: g) else { return nil }
        return g.slot(ofMinute: o)..<g.slotsCovering(minutes: o + b.durationPeriods * grid.minutes)
    }
    /// The same template counted on another grid: the slots a shift touches (length rounded up, the break on
    /// the slots it touches, fixed at its earliest offset), the earliest and latest start rounded down to slot
    /// starts (the window ends a rounded-up span after the latest start).
    public func onGrid(_ g: TimeGrid) -> ShiftTemplate {
        if g == grid { return self }
        let span = lengthSlots(on: g)
        let brs: [BreakRule] = breaks.compactMap { b in
            let o = g.slot(ofMinute: b.earliestOffset * grid.minutes)
            let n = g.slotsCovering(minutes: (b.earliestOffset + b.durationPeriods) * grid.minutes) - o
            return n > 0 ? BreakRule(durationPeriods: n, earliestOffset: o, latestOffset: o, paid: b.paid) : nil
        }
        return ShiftTemplate(id: id, spanPeriods: span, startStep: max(1, g.slot(ofMinute: max(startStepMinutes, g.minutes))),
                             earliestStart: g.slot(ofMinute: startEarliest), latestEnd: g.slot(ofMinute: startLatest) + span,
                             breaks: brs, grid: g)
    }
}
