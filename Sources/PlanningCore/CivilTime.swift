/// Civil (proleptic Gregorian) date and wall-clock arithmetic without Foundation calendars.
///
/// "Local seconds" are seconds since 1970-01-01T00:00 *wall clock* (as if the zone were UTC); they are
/// what a planner reads on a clock. `ZoneRules` maps them to UTC instants. Day arithmetic uses
/// Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms (exact for all Int64 years in range).
public enum Civil {
    public static let secondsPerDay: Int64 = 86_400

    /// Days since 1970-01-01 for a proleptic Gregorian date.
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (days since 1970-01-01).
    @inlinable
    public static func civilFromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    @inlinable
    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Weekday of a day number: 0 = Monday ... 6 = Sunday (ISO 8601 order).
    @inlinable
    public static func weekday(ofDay day: Int64) -> Int {
        // 1970-01-01 was a Thursday (ISO index 3).
        let r = (day + 3) % 7
        return Int(r < 0 ? r + 7 : r)
    }

    /// Floor division of local seconds into (day number, second of day).
    @inlinable
    public static func split(_ localSeconds: Int64) -> (day: Int64, secondOfDay: Int64) {
        var d = localSeconds / secondsPerDay
        var s = localSeconds % secondsPerDay
        if s < 0 { s += secondsPerDay; d -= 1 }
        return (d, s)
    }

    public static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    /// `YYYY-MM-DD` for a day number.
    public static func formatDate(day: Int64) -> String {
        let (y, m, d) = civilFromDays(day)
        return pad(y, 4) + "-" + pad(m, 2) + "-" + pad(d, 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS` for local seconds (the canonical form PeakPlan writes).
    public static func formatLocal(_ localSeconds: Int64) -> String {
        let (day, sod) = split(localSeconds)
        let h = Int(sod / 3600), mi = Int((sod % 3600) / 60), s = Int(sod % 60)
        return formatDate(day: day) + "T" + pad(h, 2) + ":" + pad(mi, 2) + ":" + pad(s, 2)
    }

    /// `+HH:MM` / `-HH:MM` for an offset in seconds.
    public static func formatOffset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let a = abs(seconds)
        return sign + pad(a / 3600, 2) + ":" + pad((a % 3600) / 60, 2)
    }

    @usableFromInline
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    /// Parses `YYYY-MM-DD`; nil when malformed or not a real date.
    public static func parseDate<S: StringProtocol>(_ text: S) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
              (1...12).contains(m), d >= 1, d <= daysInMonth(year: y, month: m) else { return nil }
        return daysFromCivil(year: y, month: m, day: d)
    }

    @inlinable
    static func digits(_ b: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var v = 0
        for i in start..<(start + count) {
            let c = b[i] &- 48
            if c > 9 { return nil }
            v = v * 10 + Int(c)
        }
        return v
    }
}

/// A timestamp as written in an input file: wall-clock local seconds plus an optional explicit UTC offset.
public struct ParsedTimestamp: Equatable, Sendable {
    public var localSeconds: Int64
    /// Offset in seconds when the text carried one (`Z`, `+02:00`, `+0200`), else nil.
    public var explicitOffset: Int?
}

public enum TimestampParseError: Error, Equatable, Sendable {
    case malformed
    case outOfRange(String)
}

extension Civil {
    /// Parses ISO 8601 `YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM|±HHMM]` (a space may replace `T`) from UTF-8 bytes.
    /// Fractional seconds are rejected: interval starts are whole minutes.
    public static func parseTimestamp(_ p: UnsafeBufferPointer<UInt8>) -> Result<ParsedTimestamp, TimestampParseError> {
        let n = p.count
        guard n >= 16 else { return .failure(.malformed) }
        @inline(__always) func dig(_ i: Int) -> Int? {
            let c = p[i] &- 48
            return c <= 9 ? Int(c) : nil
        }
        @inline(__always) func num(_ i: Int, _ k: Int) -> Int? {
            var v = 0
            for j in i..<(i + k) { guard let d = dig(j) else { return nil }; v = v * 10 + d }
            return v
        }
        guard let y = num(0, 4), p[4] == 45, let mo = num(5, 2), p[7] == 45, let d = num(8, 2),
              p[10] == 84 || p[10] == 32 || p[10] == 116, let h = num(11, 2), p[13] == 58, let mi = num(14, 2)
        else { return .failure(.malformed) }
        var i = 16
        var sec = 0
        if i < n, p[i] == 58 {
            guard i + 3 <= n, let s = num(i + 1, 2) else { return .failure(.malformed) }
            sec = s
            i += 3
        }
        var offset: Int? = nil
        if i < n {
            let c = p[i]
            if c == 90 || c == 122 { // Z
                offset = 0
                i += 1
            } else if c == 43 || c == 45 { // + -
                let sign = c == 45 ? -1 : 1
                if i + 6 <= n, p[i + 3] == 58, let oh = num(i + 1, 2), let om = num(i + 4, 2) {
                    offset = sign * (oh * 3600 + om * 60); i += 6
                } else if i + 5 <= n, let oh = num(i + 1, 2), let om = num(i + 3, 2) {
                    offset = sign * (oh * 3600 + om * 60); i += 5
                } else { return .failure(.malformed) }
                if abs(offset!) > 18 * 3600 { return .failure(.outOfRange("UTC offset beyond ±18:00")) }
            } else if c == 46 || c == 44 {
                return .failure(.outOfRange("fractional seconds are not allowed: interval starts are whole minutes"))
            } else {
                return .failure(.malformed)
            }
        }
        guard i == n else { return .failure(.malformed) }
        guard (1...12).contains(mo) else { return .failure(.outOfRange("month \(mo) is not 1-12")) }
        guard d >= 1, d <= daysInMonth(year: y, month: mo) else {
            return .failure(.outOfRange("day \(d) does not exist in \(y)-\(pad(mo, 2))"))
        }
        guard h <= 23 else { return .failure(.outOfRange("hour \(h) is not 0-23")) }
        guard mi <= 59 else { return .failure(.outOfRange("minute \(mi) is not 0-59")) }
        guard sec <= 59 else { return .failure(.outOfRange("second \(sec) is not 0-59")) }
        let local = daysFromCivil(year: y, month: mo, day: d) * secondsPerDay + Int64(h * 3600 + mi * 60 + sec)
        return .success(ParsedTimestamp(localSeconds: local, explicitOffset: offset))
    }

    public static func parseTimestamp(_ text: String) -> Result<ParsedTimestamp, TimestampParseError> {
        var s = text
        return s.withUTF8 { parseTimestamp($0) }
    }
}
