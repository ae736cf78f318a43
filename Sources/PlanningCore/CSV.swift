/// The one CSV reader of PeakPlan. Every CSV input (history, events, agents, `staff --input`,
/// `schedule --requirements`, `roster --previous`) reads its lines and fields through these rules:
///
/// - lines end with LF or CRLF (Excel writes CRLF); a `\r` before the `\n` is not part of the line;
/// - a UTF-8 byte-order mark at the start of the first line is dropped;
/// - fields are separated by commas; a field may be quoted RFC 4180 style (`"a,b"`, `"say ""hi"""`), with
///   spaces or tabs allowed before the opening and after the closing quote; a quoted field ends on its line.
///
/// The streaming history and events readers (Ingest.LineReader) apply the same line rules to a file read in
/// chunks and split fields with `CSVFields`; in-memory inputs use `CSVText.records`. PlanningCore does no
/// I/O: callers read the text.
public struct CSVFields {
    public var starts: [Int] = []
    public var ends: [Int] = []
    public var quoted: [Bool] = []

    public init() {}

    public var count: Int { starts.count }

    /// Splits one line (without its line ending) into fields: byte ranges into the line.
    /// Returns false on a malformed quote (unterminated, or text other than spaces after the closing quote).
    @inlinable
    public mutating func split(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        quoted.removeAll(keepingCapacity: true)
        let n = line.count
        var i = 0
        while true {
            // Spaces before an opening quote belong to no field.
            var q = i
            while q < n && (line[q] == 32 || line[q] == 9) { q += 1 }
            if q < n && line[q] == 34 { // quoted field
                var j = q + 1
                while true {
                    guard j < n else { return false }
                    if line[j] == 34 {
                        if j + 1 < n && line[j + 1] == 34 { j += 2; continue }
                        break
                    }
                    j += 1
                }
                starts.append(q + 1); ends.append(j); quoted.append(true)
                j += 1
                while j < n && (line[j] == 32 || line[j] == 9) { j += 1 }
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

    @inlinable
    public func bytes(_ k: Int, _ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[starts[k]..<ends[k]])
    }

    /// The field's text, unquoted.
    public func string(_ k: Int, _ line: UnsafeBufferPointer<UInt8>) -> String {
        let s = String(decoding: bytes(k, line), as: UTF8.self)
        return quoted[k] ? s.replacingOccurrences(of: "\"\"", with: "\"") : s
    }

    /// The field for messages.
    public func display(_ k: Int, _ line: UnsafeBufferPointer<UInt8>) -> String { string(k, line) }
}

/// One record of a CSV text: its 1-based line number and its fields (unquoted, not trimmed).
public struct CSVRecord: Sendable, Equatable {
    public var line: Int
    public var fields: [String]
    public init(line: Int, fields: [String]) { self.line = line; self.fields = fields }
    /// True for an empty or all-blank line (readers skip these).
    public var isBlank: Bool { fields.count == 1 && fields[0].allSatisfy { $0 == " " || $0 == "\t" } }
}

/// A malformed line in a CSV text.
public struct CSVSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

public enum CSVText {
    /// The lines of a text under the CSV rules above (LF or CRLF, BOM dropped), numbered from 1.
    /// A final line ending does not start another line.
    public static func lines(_ text: String) -> [(number: Int, text: String)] {
        var out: [(Int, String)] = []
        var utf8 = Array(text.utf8)
        if utf8.count >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF { utf8.removeFirst(3) }
        utf8.withUnsafeBufferPointer { all in
            var s = 0, n = 0
            let count = all.count
            while s < count || (s == count && n == 0) {
                var e = s
                while e < count && all[e] != 10 { e += 1 }
                var le = e
                if le > s && all[le - 1] == 13 { le -= 1 }
                n += 1
                out.append((n, String(decoding: UnsafeBufferPointer(rebasing: all[s..<le]), as: UTF8.self)))
                s = e + 1
                if e >= count { break }
            }
        }
        return out
    }

    /// Every line split into fields (blank lines included, as one empty field); the first malformed quote is an error.
    public static func records(_ text: String) throws(CSVSyntaxError) -> [CSVRecord] {
        var fields = CSVFields()
        var out: [CSVRecord] = []
        for (n, line) in lines(text) {
            var l = line
            let rec: CSVRecord? = l.withUTF8 { bp in
                guard fields.split(bp) else { return nil }
                return CSVRecord(line: n, fields: (0..<fields.count).map { fields.string($0, bp) })
            }
            guard let rec else {
                throw CSVSyntaxError(line: n, message: "malformed quotes (an unterminated quoted field, or text after a closing quote)")
            }
            out.append(rec)
        }
        return out
    }

    /// The fields of one line (no line ending inside).
    public static func fields(_ line: String) -> [String]? {
        var l = line
        var f = CSVFields()
        return l.withUTF8 { bp in f.split(bp) ? (0..<f.count).map { f.string($0, bp) } : nil }
    }
}

/// Number parsing for CSV cells: decimal notation only (`12`, `-3.5`, `.5`, `1e3`); hexadecimal (`0x10`) and other
/// forms are refused (nil). The words `inf`, `infinity` and `nan` parse to non-finite values so that callers can
/// say "not a finite number". Clinger's fast path: exact (correctly rounded) for up to 15 significant digits,
/// falling back to the standard library for everything else.
public enum NumberParser {
    public static let pow10: [Double] = (0...22).map { k in var p = 1.0; for _ in 0..<k { p *= 10 }; return p }

    @inlinable
    public static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
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

    public static func parse(_ s: String) -> Double? {
        var t = s
        return t.withUTF8 { parse($0) }
    }

    public static func slow(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        guard isDecimal(b) || isSpecialWord(b) else { return nil }
        return Double(String(decoding: b, as: UTF8.self))
    }

    /// `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`
    public static func isDecimal(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        func digit(_ k: Int) -> Bool { k < n && b[k] >= 48 && b[k] <= 57 }
        if i < n && (b[i] == 43 || b[i] == 45) { i += 1 }
        var mantissaDigits = 0
        while digit(i) { i += 1; mantissaDigits += 1 }
        if i < n && b[i] == 46 { i += 1; while digit(i) { i += 1; mantissaDigits += 1 } }
        guard mantissaDigits > 0 else { return false }
        if i < n && (b[i] == 101 || b[i] == 69) {
            i += 1
            if i < n && (b[i] == 43 || b[i] == 45) { i += 1 }
            guard digit(i) else { return false }
            while digit(i) { i += 1 }
        }
        return i == n
    }

    static func isSpecialWord(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var s = String(decoding: b, as: UTF8.self).lowercased()
        if s.hasPrefix("+") || s.hasPrefix("-") { s.removeFirst() }
        return s == "inf" || s == "infinity" || s == "nan"
    }
}
