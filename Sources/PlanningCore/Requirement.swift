/// A requirement of one queue per slot of a planning grid over whole days from `firstDay`: agents (whole or
/// fractional) needed in each slot. Staffing writes it, scheduling and rostering plan against it.
public struct Requirement<Value: Comparable & Sendable & ExpressibleByIntegerLiteral>: Sendable {
    public var queue: String
    public var grid: TimeGrid
    /// Day number (days since 1970-01-01) of slot 0's day.
    public var firstDay: Int64
    /// Value per slot index (`grid.index(day:slot:)` from `firstDay`).
    public var perSlot: [Value]

    public init(queue: String, grid: TimeGrid, firstDay: Int64, perSlot: [Value]) {
        self.queue = queue; self.grid = grid; self.firstDay = firstDay; self.perSlot = perSlot
    }

    /// All zero over `days` days.
    public init(queue: String, grid: TimeGrid, firstDay: Int64, days: Int) {
        self.init(queue: queue, grid: grid, firstDay: firstDay, perSlot: [Value](repeating: 0, count: grid.slots(days: days)))
    }

    public var days: Int { perSlot.count / grid.slotsPerDay }

    public subscript(day day: Int, slot slot: Int) -> Value {
        get { perSlot[grid.index(day: day, slot: slot)] }
        set { perSlot[grid.index(day: day, slot: slot)] = newValue }
    }

    /// Wall-clock start of slot index `t`.
    public func localSeconds(ofSlot t: Int) -> Int64 { grid.localSeconds(firstDay: firstDay, index: t) }

    /// A value over a wall-clock interval `[localStart, localStart + minutes)`, e.g. one row of a staffing run
    /// (whose interval may differ from this grid's).
    public struct Sample: Sendable {
        public var localStart: Int64
        public var minutes: Int
        public var value: Value
        public init(localStart: Int64, minutes: Int, value: Value) { self.localStart = localStart; self.minutes = minutes; self.value = value }
    }

    /// Lays samples onto this grid: every slot a sample overlaps takes the largest value overlapping it (a
    /// 60-minute sample fills both slots of a 30-minute grid; 15-minute samples on a 30-minute grid give each slot
    /// the larger of its two). Wall-clock times: when clocks go back, the repeated hour's samples meet in the same
    /// slots (the larger wins); when they go forward, the missing hour stays 0. Returns how many samples
    /// touched the horizon.
    @discardableResult
    public mutating func lay(_ samples: some Sequence<Sample>) -> Int {
        var touched = 0
        for s in samples where s.minutes > 0 {
            let lo = max(0, grid.index(firstDay: firstDay, localSeconds: s.localStart))
            let hi = min(perSlot.count - 1, grid.index(firstDay: firstDay, localSeconds: s.localStart + LocalDateTime.seconds(minutes: s.minutes) - 1))
            guard lo <= hi else { continue }
            for t in lo...hi where s.value > perSlot[t] { perSlot[t] = s.value }
            touched += 1
        }
        return touched
    }
}

extension Requirement: Equatable where Value: Equatable {}
