/// Building TOML tables from typed configuration values: the inverse of the parsers, used to print the
/// effective configuration (`peakplan config show`) and to write a scenario's configuration from typed values.
/// Every builder satisfies `parse(build(x))` = `x` (line numbers aside); the configuration tests check it.
extension TOMLTable {
    /// Sets `key` unless `value` is nil (lines are 0: built tables have no source lines).
    public mutating func put(_ key: String, _ value: TOMLValue?) {
        if let value { set(key, value, line: 0) }
    }

    /// A table built from key-value pairs in order (nil values skipped).
    public static func build(_ pairs: [(String, TOMLValue?)]) -> TOMLTable {
        var t = TOMLTable()
        for (k, v) in pairs { t.put(k, v) }
        return t
    }
}

extension TOMLValue {
    /// A number read back by `TOMLReader.double`: an integer when whole (prints `20`, not `20.0`).
    public static func number(_ d: Double) -> TOMLValue {
        d == d.rounded() && abs(d) < 1e15 ? .integer(Int(d)) : .double(d)
    }

    public static func strings(_ a: [String]) -> TOMLValue { .array(a.map { .string($0) }) }
    public static func integers(_ a: [Int]) -> TOMLValue { .array(a.map { .integer($0) }) }
    public static func numbers(_ a: [Double]) -> TOMLValue { .array(a.map { .number($0) }) }
    public static func tables(_ a: [TOMLTable]) -> TOMLValue { .array(a.map { .table($0) }) }
    /// "HH:MM" for minutes after midnight (00:00 ... 24:00).
    public static func clock(_ minuteOfDay: Int) -> TOMLValue { .string(LocalDateTime.clock(minuteOfDay: minuteOfDay)) }
}

extension WorkspaceConfig {
    /// Weekday keys (`mon` ... `sun`) of ISO weekday indices, in order.
    public static func weekdayNames(_ days: some Sequence<Int>) -> [String] { days.sorted().map { weekdayKeys[$0] } }
}
