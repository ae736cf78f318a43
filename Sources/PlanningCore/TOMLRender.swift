/// Writing TOML: quoting and rendering tables (the parser is in TOML.swift).
extension TOML {
    /// Quotes a string as a TOML basic string.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if u.value < 0x20 { out += "\\u" + String(repeating: "0", count: 4 - String(u.value, radix: 16).count) + String(u.value, radix: 16) }
                else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}

extension TOML {
    /// Writes a table back as TOML text under `path` (e.g. `staffing`): scalar keys first, then sub-tables and
    /// arrays of tables. `parse(render(t))` gives `t` back (values and structure; line numbers aside).
    public static func render(_ table: TOMLTable, path: [String]) -> String {
        var out = ""
        let header = path.map(quoteKey).joined(separator: ".")
        var scalars: [String] = []
        var nested: [(String, TOMLValue)] = []
        for k in table.keys {
            guard let v = table[k] else { continue }
            switch v {
            case .table: nested.append((k, v))
            case .array(let a) where !a.isEmpty && a.allSatisfy({ if case .table = $0 { return true } else { return false } }): nested.append((k, v))
            default: scalars.append("\(quoteKey(k)) = \(renderValue(v))")
            }
        }
        if !path.isEmpty && (!scalars.isEmpty || nested.isEmpty) { out += "[\(header)]\n" }
        for s in scalars { out += s + "\n" }
        for (k, v) in nested {
            switch v {
            case .table(let t): out += "\n" + render(t, path: path + [k])
            case .array(let a):
                for e in a {
                    guard case .table(let t) = e else { continue }
                    out += "\n[[\((path + [k]).map(quoteKey).joined(separator: "."))]]\n"
                    let inner = render(t, path: path + [k])
                    // Sub-tables of an array element are rendered with full paths by the recursive call;
                    // drop the element's own header line the recursion would add.
                    out += inner.hasPrefix("[") ? String(inner.drop { $0 != "\n" }.dropFirst()) : inner
                }
            default: break
            }
        }
        return out
    }

    static func quoteKey(_ k: String) -> String {
        k.allSatisfy({ $0.isLetter && $0.isASCII || $0.isNumber && $0.isASCII || $0 == "_" || $0 == "-" }) && !k.isEmpty ? k : quote(k)
    }

    static func renderValue(_ v: TOMLValue) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .integer(let i): return String(i)
        case .double(let d): return d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .array(let a): return "[" + a.map(renderValue).joined(separator: ", ") + "]"
        case .table(let t): return "{ " + t.keys.compactMap { k in t[k].map { "\(quoteKey(k)) = \(renderValue($0))" } }.joined(separator: ", ") + " }"
        }
    }
}
