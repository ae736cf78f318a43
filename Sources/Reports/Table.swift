import Foundation

/// One value in an output table. JSON keeps the type; text formats render it.
public enum Cell: Sendable, Equatable {
    case text(String)
    case int(Int)
    case number(Double, decimals: Int)
    case null

    public var plain: String {
        switch self {
        case .text(let s): return s
        case .int(let i): return String(i)
        case .number(let d, let k): return d.isFinite ? Self.fixed(d, k) : ""
        case .null: return ""
        }
    }

    /// Fixed-point text. Never traps: a value beyond the range of Int64 (or not finite) is written with
    /// `%.0f` rather than converted (Double -> Int64 of 9.3e18 would crash).
    static func fixed(_ d: Double, _ k: Int) -> String {
        if k == 0 {
            let r = d.rounded()
            if r.isFinite, abs(r) < 9.0e18 { return String(Int64(r)) }
            return r.isFinite ? String(format: "%.0f", r) : ""
        }
        return String(format: "%.\(k)f", d)
    }

    var json: String {
        switch self {
        case .text(let s): return JSON.quote(s)
        case .int(let i): return String(i)
        case .number(let d, let k): return d.isFinite ? Self.fixed(d, k) : "null"
        case .null: return "null"
        }
    }

    var rightAligned: Bool {
        switch self { case .int, .number: return true; default: return false }
    }
}

public enum OutputFormat: String, CaseIterable, Sendable {
    case table, csv, json
}

/// A titled table of rows; renders as an aligned text table, CSV or a JSON array of objects.
public struct Table: Sendable {
    public var title: String?
    public var columns: [String]
    public var rows: [[Cell]] = []

    public init(title: String? = nil, columns: [String], rows: [[Cell]] = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    public func render(_ format: OutputFormat) -> String {
        switch format {
        case .table: return renderText()
        case .csv: return renderCSV()
        case .json: return renderJSON() + "\n"
        }
    }

    public func renderText() -> String {
        var widths = columns.map(Table.displayWidth)
        for r in rows { for (k, c) in r.enumerated() { widths[k] = max(widths[k], Table.displayWidth(c.plain)) } }
        var out = ""
        if let t = title { out += t + "\n" }
        func line(_ cells: [String], _ right: [Bool]) -> String {
            var parts: [String] = []
            for (k, s) in cells.enumerated() {
                let pad = String(repeating: " ", count: max(0, widths[k] - Table.displayWidth(s)))
                parts.append(right[k] ? pad + s : s + pad)
            }
            var l = parts.joined(separator: "  ")
            while l.last == " " { l.removeLast() }
            return l + "\n"
        }
        let rightCols = columns.indices.map { k in rows.first.map { $0[k].rightAligned } ?? false }
        out += line(columns, rightCols)
        out += line(widths.map { String(repeating: "-", count: $0) }, rightCols)
        for r in rows { out += line(r.map(\.plain), rightCols) }
        return out
    }

    /// Terminal columns a string takes: East Asian wide and full-width characters count two.
    public static func displayWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            let v = u.value
            if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v) || (0x20000...0x3FFFD).contains(v) {
                w += 2
            } else if v >= 0x20 && !(0x300...0x36F).contains(v) {
                w += 1
            }
        }
        return w
    }

    public func renderCSV() -> String {
        var out = columns.map(CSV.quote).joined(separator: ",") + "\n"
        for r in rows { out += r.map { CSV.quote($0.plain) }.joined(separator: ",") + "\n" }
        return out
    }

    public func renderJSON() -> String {
        var parts: [String] = []
        for r in rows {
            let fields = zip(columns, r).map { JSON.quote($0.0) + ": " + $0.1.json }
            parts.append("  {" + fields.joined(separator: ", ") + "}")
        }
        return parts.isEmpty ? "[]" : "[\n" + parts.joined(separator: ",\n") + "\n]"
    }
}

/// One JSON document made of several tables: `{"name": [rows...], ...}` (every `--format json` output is one
/// valid document; a command with several tables names each section).
public enum JSONDocument {
    public static func sections(_ parts: [(name: String, table: Table)]) -> String {
        object(parts.map { ($0.name, $0.table.renderJSON()) })
    }

    /// An object from already-rendered JSON values.
    public static func object(_ members: [(name: String, json: String)]) -> String {
        "{\n" + members.map { JSON.quote($0.name) + ": " + $0.json }.joined(separator: ",\n") + "\n}\n"
    }
}

public enum CSV {
    /// Quotes a field when it holds a comma, quote or line break (RFC 4180).
    public static func quote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}

public enum JSON {
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

/// Thousands separators for human-readable counts.
public func grouped(_ n: Int) -> String {
    let s = String(abs(n))
    var out = ""
    for (k, ch) in s.enumerated() {
        if k > 0 && (s.count - k) % 3 == 0 { out += "," }
        out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
}
