/// A small TOML reader for PeakPlan's configuration file.
///
/// Supports the TOML v1.0 subset a configuration needs: comments, `[table]`, `[[array.of.tables]]`,
/// bare/quoted/dotted keys, basic and literal strings (one line), integers (with `_`, hex/oct/bin not
/// supported), floats, booleans, arrays (multi-line, trailing comma) and inline tables. Anything else
/// (multi-line strings, date-time literals) is reported as an error with its line, never silently skipped.
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case double(Double)
    case bool(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .double: return "a number"
        case .bool: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

public struct TOMLTable: Equatable, Sendable {
    public private(set) var keys: [String] = []
    public private(set) var values: [String: TOMLValue] = [:]
    /// 1-based line where each key was defined.
    public private(set) var lines: [String: Int] = [:]
    /// Line of the table header (0 for the root).
    public var line: Int = 0

    public init(line: Int = 0) { self.line = line }

    public subscript(key: String) -> TOMLValue? { values[key] }

    /// Sets a key (appended to `keys` when new).
    public mutating func set(_ key: String, _ value: TOMLValue, line: Int) {
        if values[key] == nil { keys.append(key) }
        values[key] = value
        lines[key] = line
    }
}

public struct TOMLError: Error, CustomStringConvertible, Equatable, Sendable {
    public var line: Int
    public var message: String
    public var description: String { "line \(line): \(message)" }
}

public enum TOML {
    public static func parse(_ text: String) throws(TOMLError) -> TOMLTable {
        var p = Parser(chars: Array(text.unicodeScalars))
        return try p.document()
    }
}

private struct Parser {
    let chars: [Unicode.Scalar]
    var i = 0
    var line = 1
    var root = TOMLTable()
    /// Path of the current table; array-of-table elements are addressed by their index.
    var current: [PathStep] = []
    var definedTables: Set<String> = []
    /// Arrays and inline tables open around the value being read.
    var depth = 0
    /// Deepest nesting of arrays / inline tables, and most parts in a dotted key: a configuration needs a few;
    /// a limit keeps a hostile file (100,000 `[`) from overflowing the stack.
    static let maxDepth = 32

    enum PathStep: Hashable { case key(String), index(Int) }

    init(chars: [Unicode.Scalar]) { self.chars = chars }

    func err(_ m: String) -> TOMLError { TOMLError(line: line, message: m) }

    var atEnd: Bool { i >= chars.count }
    var peek: Unicode.Scalar? { i < chars.count ? chars[i] : nil }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { i += 1 }
    }

    mutating func skipComment() {
        if peek == "#" { while let c = peek, c != "\n" { i += 1 } }
    }

    /// Skips spaces, comments and newlines (inside arrays).
    mutating func skipAllWhitespace() {
        while let c = peek {
            if c == " " || c == "\t" || c == "\r" { i += 1 }
            else if c == "\n" { i += 1; line += 1 }
            else if c == "#" { skipComment() }
            else { break }
        }
    }

    mutating func endOfLine() throws(TOMLError) {
        skipSpaces(); skipComment()
        if peek == "\r" { i += 1 }
        if atEnd { return }
        guard peek == "\n" else { throw err("unexpected text after value: expected end of line") }
        i += 1; line += 1
    }

    mutating func document() throws(TOMLError) -> TOMLTable {
        if peek == "\u{FEFF}" { i += 1 }
        while !atEnd {
            skipSpaces()
            guard let c = peek else { break }
            if c == "\n" { i += 1; line += 1; continue }
            if c == "\r" || c == "#" { skipComment(); if peek == "\r" { i += 1 }; continue }
            if c == "[" {
                try header()
            } else {
                let key = try dottedKey()
                skipSpaces()
                guard peek == "=" else { throw err("expected '=' after key \"\(key.joined(separator: "."))\"") }
                i += 1; skipSpaces()
                let keyLine = line
                let v = try value()
                try assign(path: current, key: key, value: v, keyLine: keyLine)
                try endOfLine()
            }
        }
        return root
    }

    mutating func header() throws(TOMLError) {
        i += 1
        let isArray = peek == "["
        if isArray { i += 1 }
        skipSpaces()
        let key = try dottedKey()
        skipSpaces()
        guard peek == "]" else { throw err("expected ']' to close the table header") }
        i += 1
        if isArray {
            guard peek == "]" else { throw err("expected ']]' to close the array-of-tables header") }
            i += 1
        }
        try endOfLine()
        let headerLine = line - 1
        // Walk from the root, creating tables; the last key of an array header appends an element.
        var path: [PathStep] = []
        for (n, k) in key.enumerated() {
            let last = n == key.count - 1
            let existing = lookup(path + [.key(k)])
            if last && isArray {
                var arr: [TOMLValue] = []
                if let e = existing {
                    guard case .array(let a) = e else { throw err("\"\(k)\" is already defined and is not an array of tables") }
                    arr = a
                }
                arr.append(.table(TOMLTable(line: headerLine)))
                try store(path + [.key(k)], .array(arr), line: headerLine)
                path += [.key(k), .index(arr.count - 1)]
            } else {
                if let e = existing {
                    switch e {
                    case .table: path.append(.key(k))
                    case .array(let a):
                        guard !a.isEmpty, case .table = a[a.count - 1] else { throw err("\"\(k)\" is not a table") }
                        path += [.key(k), .index(a.count - 1)]
                    default: throw err("\"\(k)\" is already defined as \(e.typeName)")
                    }
                } else {
                    try store(path + [.key(k)], .table(TOMLTable(line: headerLine)), line: headerLine)
                    path.append(.key(k))
                }
                if last {
                    let id = path.map { "\($0)" }.joined(separator: "/")
                    if definedTables.contains(id) { throw err("table [\(key.joined(separator: "."))] is defined twice") }
                    definedTables.insert(id)
                }
            }
        }
        current = path
    }

    func lookup(_ path: [PathStep]) -> TOMLValue? {
        var v: TOMLValue = .table(root)
        for step in path {
            switch (step, v) {
            case (.key(let k), .table(let t)): guard let n = t[k] else { return nil }; v = n
            case (.index(let ix), .array(let a)): guard ix < a.count else { return nil }; v = a[ix]
            default: return nil
            }
        }
        return v
    }

    mutating func store(_ path: [PathStep], _ value: TOMLValue, line: Int) throws(TOMLError) {
        var r = TOMLValue.table(root)
        try Parser.put(&r, path[...], value, line: line, err: err(""))
        if case .table(let t) = r { root = t }
    }

    static func put(_ node: inout TOMLValue, _ path: ArraySlice<PathStep>, _ value: TOMLValue, line: Int, err: TOMLError) throws(TOMLError) {
        guard let step = path.first else { node = value; return }
        switch (step, node) {
        case (.key(let k), .table(var t)):
            var child = t[k] ?? .table(TOMLTable(line: line))
            try put(&child, path.dropFirst(), value, line: line, err: err)
            t.set(k, child, line: path.count == 1 ? line : (t.lines[k] ?? line))
            node = .table(t)
        case (.index(let ix), .array(var a)):
            var child = a[ix]
            try put(&child, path.dropFirst(), value, line: line, err: err)
            a[ix] = child
            node = .array(a)
        default:
            throw err
        }
    }

    mutating func assign(path: [PathStep], key: [String], value: TOMLValue, keyLine: Int) throws(TOMLError) {
        var full = path
        for k in key.dropLast() {
            full.append(.key(k))
            if let e = lookup(full) {
                guard case .table = e else { throw err("\"\(k)\" is already defined as \(e.typeName)") }
            } else {
                try store(full, .table(TOMLTable(line: keyLine)), line: keyLine)
            }
        }
        full.append(.key(key.last!))
        if lookup(full) != nil { throw err("key \"\(key.joined(separator: "."))\" is defined twice") }
        try store(full, value, line: keyLine)
    }

    mutating func dottedKey() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            parts.append(try simpleKey())
            if parts.count > Parser.maxDepth { throw err("a dotted key with more than \(Parser.maxDepth) parts: tables are nested too deep") }
            skipSpaces()
            if peek == "." { i += 1; continue }
            return parts
        }
    }

    mutating func simpleKey() throws(TOMLError) -> String {
        if peek == "\"" { return try basicString() }
        if peek == "'" { return try literalString() }
        var s = String.UnicodeScalarView()
        while let c = peek, (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "_" || c == "-" {
            s.append(c); i += 1
        }
        guard !s.isEmpty else { throw err("expected a key") }
        return String(s)
    }

    mutating func value() throws(TOMLError) -> TOMLValue {
        guard let c = peek else { throw err("expected a value") }
        switch c {
        case "\"":
            if i + 2 < chars.count, chars[i + 1] == "\"", chars[i + 2] == "\"" { throw err("multi-line strings are not supported in peakplan.toml") }
            return .string(try basicString())
        case "'": return .string(try literalString())
        case "[", "{":
            guard depth < Parser.maxDepth else {
                throw err("arrays or inline tables nested more than \(Parser.maxDepth) levels deep")
            }
            depth += 1
            defer { depth -= 1 }
            return c == "[" ? try array() : try inlineTable()
        case "t", "f":
            if match("true") { return .bool(true) }
            if match("false") { return .bool(false) }
            throw err("expected true or false")
        default: return try number()
        }
    }

    mutating func match(_ word: String) -> Bool {
        let w = Array(word.unicodeScalars)
        guard i + w.count <= chars.count, Array(chars[i..<(i + w.count)]) == w else { return false }
        i += w.count
        return true
    }

    mutating func number() throws(TOMLError) -> TOMLValue {
        var s = ""
        while let c = peek, !(c == "," || c == "]" || c == "}" || c == " " || c == "\t" || c == "\n" || c == "\r" || c == "#") {
            s.unicodeScalars.append(c); i += 1
        }
        let clean = s.replacingOccurrences(of: "_", with: "")
        if clean.isEmpty { throw err("expected a value") }
        if clean.contains(":") || (clean.count >= 10 && clean.dropFirst(4).first == "-") {
            throw err("date-time literals are not supported: quote the value, e.g. \"\(s)\"")
        }
        if let v = Int(clean) { return .integer(v) }
        if clean.contains(where: { $0 == "x" || $0 == "X" || $0 == "p" || $0 == "P" }) {
            throw err("cannot read \"\(s)\": write numbers in decimal (hexadecimal, octal and binary are not supported)")
        }
        if clean == "inf" || clean == "+inf" || clean == "-inf" || clean.hasSuffix("nan") {
            throw err("\(s) is not allowed: use a finite number")
        }
        if let d = Double(clean), d.isFinite, clean.first != "." , clean.last != "." { return .double(d) }
        throw err("cannot read \"\(s)\" as a value: strings need quotes")
    }

    mutating func array() throws(TOMLError) -> TOMLValue {
        i += 1
        var out: [TOMLValue] = []
        while true {
            skipAllWhitespace()
            if peek == "]" { i += 1; return .array(out) }
            out.append(try value())
            skipAllWhitespace()
            if peek == "," { i += 1; continue }
            if peek == "]" { i += 1; return .array(out) }
            throw err("expected ',' or ']' in array")
        }
    }

    mutating func inlineTable() throws(TOMLError) -> TOMLValue {
        i += 1
        var t = TOMLTable(line: line)
        skipSpaces()
        if peek == "}" { i += 1; return .table(t) }
        while true {
            skipSpaces()
            let k = try dottedKey()
            guard k.count == 1 else { throw err("dotted keys inside inline tables are not supported") }
            skipSpaces()
            guard peek == "=" else { throw err("expected '=' in inline table") }
            i += 1; skipSpaces()
            if t[k[0]] != nil { throw err("key \"\(k[0])\" is defined twice") }
            t.set(k[0], try value(), line: line)
            skipSpaces()
            if peek == "," { i += 1; continue }
            if peek == "}" { i += 1; return .table(t) }
            throw err("expected ',' or '}' in inline table")
        }
    }

    mutating func literalString() throws(TOMLError) -> String {
        i += 1
        var s = String.UnicodeScalarView()
        while let c = peek, c != "'" {
            if c == "\n" { throw err("unterminated string") }
            s.append(c); i += 1
        }
        guard peek == "'" else { throw err("unterminated string") }
        i += 1
        return String(s)
    }

    mutating func basicString() throws(TOMLError) -> String {
        i += 1
        var s = String.UnicodeScalarView()
        while let c = peek, c != "\"" {
            if c == "\n" { throw err("unterminated string") }
            if c == "\\" {
                i += 1
                guard let e = peek else { throw err("unterminated string") }
                i += 1
                switch e {
                case "\"": s.append("\"")
                case "\\": s.append("\\")
                case "n": s.append("\n")
                case "t": s.append("\t")
                case "r": s.append("\r")
                case "b": s.append("\u{08}")
                case "f": s.append("\u{0C}")
                case "u", "U":
                    let n = e == "u" ? 4 : 8
                    guard i + n <= chars.count, let v = UInt32(String(String.UnicodeScalarView(chars[i..<(i + n)])), radix: 16),
                          let u = Unicode.Scalar(v) else { throw err("bad \\\(e) escape in string") }
                    s.append(u); i += n
                default: throw err("unknown escape \\\(e) in string")
                }
                continue
            }
            s.append(c); i += 1
        }
        guard peek == "\"" else { throw err("unterminated string") }
        i += 1
        return String(s)
    }
}
