/// The planning grid: a day cut into equal slots of an interval that divides it (5, 6, 10, 15, 30 or 60
/// minutes, `IntervalLength.allowedMinutes`).
///
/// Every day/slot/second conversion of the planning modules goes through this type (and `LocalDateTime`),
/// so no other code writes seconds or minutes per day by hand. Times are wall-clock ("local seconds", see
/// `Civil`): a day always has `slotsPerDay` slots, and `ZoneRules` maps wall clock to UTC (DST days keep
/// their wall-clock slots, as before this type).
///
/// Two ways to index a slot:
/// - `Slot` (a civil day number and the slot of that day) for absolute local times;
/// - an index from a horizon's first day (`day * slotsPerDay + slot`), what requirement arrays use.
public struct TimeGrid: Sendable, Hashable, Codable, CustomStringConvertible {
    public static let minutesPerHour = 60
    public static let secondsPerMinute = 60
    public static let minutesPerDay = 24 * minutesPerHour
    public static let secondsPerDay = Civil.secondsPerDay
    public static let secondsPerHour = minutesPerHour * secondsPerMinute

    /// Slot length in minutes.
    public let minutes: Int

    /// Periods per day of an interval not (yet) validated as a grid (callers validate it before planning).
    public static func slotsPerDay(minutes m: Int) -> Int { minutesPerDay / m }

    public enum GridError: Error, Equatable, CustomStringConvertible, Sendable {
        case unsupported(Int)
        public var description: String {
            switch self {
            case .unsupported(let m): return "\(m) is not a supported interval; use one of \(IntervalLength.allowedText) minutes"
            }
        }
    }

    /// A grid of `minutes`-long slots; throws unless `minutes` is one of `IntervalLength.allowedMinutes`.
    public init(minutes: Int) throws(GridError) {
        guard IntervalLength.isAllowed(minutes), Self.minutesPerDay % minutes == 0 else { throw .unsupported(minutes) }
        self.minutes = minutes
    }

    /// The grid of a validated interval (configuration values are validated when read); nil otherwise.
    public init?(validMinutes m: Int) {
        guard let g = try? TimeGrid(minutes: m) else { return nil }
        self = g
    }

    private init(unchecked m: Int) { minutes = m }

    /// The one-minute resolution shift templates in minutes count on (`ShiftTemplate(name:...)`); not a
    /// planning grid (`init(minutes:)` refuses 1).
    public static let minute = TimeGrid(unchecked: 1)
    public static let halfHour = try! TimeGrid(minutes: 30)
    public static let hour = try! TimeGrid(minutes: 60)
    public static let quarterHour = try! TimeGrid(minutes: 15)

    public var description: String { "\(minutes)-minute grid" }

    public var slotsPerDay: Int { Self.minutesPerDay / minutes }
    public var slotsPerWeek: Int { 7 * slotsPerDay }
    public var secondsPerSlot: Int64 { Int64(minutes * Self.secondsPerMinute) }
    public var hoursPerSlot: Double { Double(minutes) / Double(Self.minutesPerHour) }
    /// Slots in `hours` hours (fractional when `hours` is not on the grid).
    public func slots(inHours hours: Double) -> Double { hours * Double(Self.minutesPerHour) / Double(minutes) }

    // MARK: minutes <-> slots

    /// Whether `minute` (minutes after some midnight) lies on a slot boundary.
    public func isOnGrid(minute: Int) -> Bool { minute % minutes == 0 }
    /// The slot holding `minute` (floor; minutes may be negative or past one day).
    public func slot(ofMinute minute: Int) -> Int { Self.floorDiv(minute, minutes) }
    /// Slots needed to cover `length` minutes (ceiling).
    public func slotsCovering(minutes length: Int) -> Int { Self.floorDiv(length + minutes - 1, minutes) }
    /// Start minute of a slot (counted from the same midnight as the slot index).
    public func startMinute(ofSlot t: Int) -> Int { t * minutes }
    /// Slot index from a horizon start of slot `slot` on horizon day `day`.
    public func index(day: Int, slot: Int) -> Int { day * slotsPerDay + slot }
    /// Horizon day and slot of day of a slot index (floor for negative indices).
    public func split(index t: Int) -> (day: Int, slot: Int) {
        let d = Self.floorDiv(t, slotsPerDay)
        return (d, t - d * slotsPerDay)
    }
    /// Slots in `days` days.
    public func slots(days: Int) -> Int { days * slotsPerDay }

    // MARK: local seconds <-> slots

    /// A slot of a civil day.
    public struct Slot: Sendable, Hashable, Comparable {
        /// Day number (days since 1970-01-01).
        public var day: Int64
        /// Slot of that day, 0 ..< slotsPerDay.
        public var index: Int
        public init(day: Int64, index: Int) { self.day = day; self.index = index }
        public static func < (a: Slot, b: Slot) -> Bool { (a.day, a.index) < (b.day, b.index) }
    }

    /// The slot holding a wall-clock instant (floor).
    public func slot(ofLocalSeconds s: Int64) -> Slot {
        let (day, sod) = Civil.split(s)
        return Slot(day: day, index: Int(sod / secondsPerSlot))
    }
    /// Whether a wall-clock instant is a slot start.
    public func isSlotStart(localSeconds s: Int64) -> Bool { Civil.split(s).secondOfDay % secondsPerSlot == 0 }
    /// Wall-clock start of a slot.
    public func localSeconds(of slot: Slot) -> Int64 { LocalDateTime.startOfDay(slot.day) + Int64(slot.index) * secondsPerSlot }
    /// Wall-clock start of slot index `t` of a horizon that starts on civil day `firstDay`.
    public func localSeconds(firstDay: Int64, index t: Int) -> Int64 { LocalDateTime.startOfDay(firstDay) + Int64(t) * secondsPerSlot }
    /// Slot index (from a horizon starting on civil day `firstDay`) holding a wall-clock instant (floor; may be
    /// negative or past the horizon).
    public func index(firstDay: Int64, localSeconds s: Int64) -> Int {
        let rel = s - LocalDateTime.startOfDay(firstDay)
        return Int(Self.floorDiv(rel, secondsPerSlot))
    }

    /// `HH:MM` of a slot of the day.
    public func label(slot k: Int) -> String { LocalDateTime.clock(minuteOfDay: k * minutes) }
    /// `YYYY-MM-DDTHH:MM` of slot index `t` of a horizon that starts on `firstDay`.
    public func label(firstDay: Int64, index t: Int) -> String { String(Civil.formatLocal(localSeconds(firstDay: firstDay, index: t)).prefix(16)) }

    // MARK: helpers

    @inlinable
    public static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    public init(from decoder: any Decoder) throws {
        let m = try decoder.singleValueContainer().decode(Int.self)
        if m == 1 { self = .minute; return }
        do { try self.init(minutes: m) } catch { throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description)) }
    }
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(minutes)
    }
}

/// A wall-clock date and time ("local seconds" since 1970-01-01T00:00, see `Civil`), and the minute-of-day
/// arithmetic the planning modules share (shift starts and ends as minutes after a horizon's first midnight).
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var localSeconds: Int64
    public init(localSeconds: Int64) { self.localSeconds = localSeconds }
    public init(day: Int64, minuteOfDay: Int) { localSeconds = Self.startOfDay(day) + Self.seconds(minutes: minuteOfDay) }

    /// Day number (days since 1970-01-01).
    public var day: Int64 { Civil.split(localSeconds).day }
    public var secondOfDay: Int64 { Civil.split(localSeconds).secondOfDay }
    public var minuteOfDay: Int { Int(secondOfDay) / TimeGrid.secondsPerMinute }
    public var description: String { Civil.formatLocal(localSeconds) }
    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { a.localSeconds < b.localSeconds }

    /// Local seconds at the midnight that starts civil day `day`.
    @inlinable
    public static func startOfDay(_ day: Int64) -> Int64 { day * TimeGrid.secondsPerDay }
    /// Seconds in `m` minutes.
    @inlinable
    public static func seconds(minutes m: Int) -> Int64 { Int64(m) * Int64(TimeGrid.secondsPerMinute) }
    /// Whole minutes in `s` seconds (floor).
    @inlinable
    public static func minutes(seconds s: Int64) -> Int64 { TimeGrid.floorDiv(s, Int64(TimeGrid.secondsPerMinute)) }
    /// Local seconds of a minute counted from the midnight starting civil day `firstDay`.
    public static func localSeconds(firstDay: Int64, minute: Int) -> Int64 { startOfDay(firstDay) + seconds(minutes: minute) }
    /// Minutes from the midnight starting civil day `firstDay` to a wall-clock instant (floor).
    public static func minute(firstDay: Int64, localSeconds s: Int64) -> Int { Int(minutes(seconds: s - startOfDay(firstDay))) }

    /// Minutes from a horizon's first midnight of `minuteOfDay` on horizon day `day`.
    @inlinable
    public static func minute(day: Int, minuteOfDay: Int) -> Int { day * TimeGrid.minutesPerDay + minuteOfDay }
    /// Horizon day and minute of that day of a minute from the horizon's first midnight (floor for negatives).
    public static func split(minute m: Int) -> (day: Int, minuteOfDay: Int) {
        let d = TimeGrid.floorDiv(m, TimeGrid.minutesPerDay)
        return (d, m - d * TimeGrid.minutesPerDay)
    }
    /// The horizon day an exclusive end minute falls in (the day of its last minute).
    public static func lastDay(endMinute m: Int) -> Int { split(minute: m - 1).day }
    /// A minute of the day wrapped into 0 ..< 24:00 (an end past midnight shown as the next day's clock).
    public static func wrap(minuteOfDay m: Int) -> Int { split(minute: m).minuteOfDay }
    /// Whole days (rounded down) in `m` minutes.
    public static func days(inMinutes m: Int) -> Int { TimeGrid.floorDiv(m, TimeGrid.minutesPerDay) }
    /// Minutes in `h` hours, rounded up to a whole minute.
    public static func minutes(hours h: Double) -> Int { Int((h * Double(TimeGrid.minutesPerHour)).rounded(.up)) }
    /// Hours in `m` minutes.
    public static func hours(minutes m: Int) -> Double { Double(m) / Double(TimeGrid.minutesPerHour) }

    /// `HH:MM` of minutes after midnight (24:00 and later shown as is).
    public static func clock(minuteOfDay m: Int) -> String {
        let h = m / TimeGrid.minutesPerHour, mi = m % TimeGrid.minutesPerHour
        return (h < 10 ? "0" : "") + "\(h):" + (mi < 10 ? "0" : "") + "\(mi)"
    }
    /// "HH:MM" (00:00 ... 24:00) -> minutes after midnight; nil when malformed or past 24:00.
    public static func parseClock(_ s: String) -> Int? {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...24).contains(h), (0..<TimeGrid.minutesPerHour).contains(m) else { return nil }
        let v = h * TimeGrid.minutesPerHour + m
        return v <= TimeGrid.minutesPerDay ? v : nil
    }
}
