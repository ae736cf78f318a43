/// Typed access to one TOML table for configuration parsers (workspace, staffing, scheduling, rosters).
///
/// Every accessor records the key as used, so `rejectUnknown(hint:)` can report typos; every error is a
/// `ConfigError` naming the line (the key's, else the table header's) and the full key (`prefix + key`).
/// Modules add their own typed accessors (lengths, clock times, fractions) in extensions built on `raw(_:)`.
public struct TOMLReader: Sendable {
    public let table: TOMLTable
    /// Key path of the table with a trailing dot ("schedule.templates[2]."), or "" for the root.
    public let prefix: String
    public private(set) var used = Set<String>()

    public init(_ table: TOMLTable, prefix: String) { self.table = table; self.prefix = prefix }

    /// Line of a key, else of the table header (nil for the root table and absent keys in it).
    public func line(_ k: String) -> Int? { table.lines[k] ?? (table.line > 0 ? table.line : nil) }
    public func has(_ k: String) -> Bool { table[k] != nil }
    public func error(_ k: String, _ message: String) -> ConfigError { ConfigError(line: line(k), key: prefix + k, message: message) }
    public func typeError(_ k: String, _ want: String, _ got: TOMLValue) -> ConfigError { error(k, "expected \(want), found \(got.typeName)") }

    /// The value (nil when absent), marking the key used.
    public mutating func raw(_ k: String) -> TOMLValue? { used.insert(k); return table[k] }

    public mutating func string(_ k: String) throws(ConfigError) -> String? {
        guard let v = raw(k) else { return nil }
        guard case .string(let s) = v else { throw typeError(k, "a string", v) }
        return s
    }

    public mutating func bool(_ k: String) throws(ConfigError) -> Bool? {
        guard let v = raw(k) else { return nil }
        guard case .bool(let b) = v else { throw typeError(k, "true or false", v) }
        return b
    }

    public mutating func int(_ k: String) throws(ConfigError) -> Int? {
        guard let v = raw(k) else { return nil }
        guard case .integer(let i) = v else { throw typeError(k, "an integer", v) }
        return i
    }

    /// An integer or float value as a Double; inf and nan are refused.
    public mutating func double(_ k: String) throws(ConfigError) -> Double? {
        guard let v = raw(k) else { return nil }
        guard let d = Self.number(v) else { throw typeError(k, "a number", v) }
        guard d.isFinite else { throw error(k, "\(d) is not a finite number") }
        return d
    }

    public static func number(_ v: TOMLValue) -> Double? {
        switch v {
        case .integer(let i): return Double(i)
        case .double(let d): return d
        default: return nil
        }
    }

    public mutating func stringArray(_ k: String) throws(ConfigError) -> [String]? {
        guard let v = raw(k) else { return nil }
        guard case .array(let a) = v else { throw typeError(k, "an array of strings", v) }
        var out: [String] = []
        for e in a { guard case .string(let s) = e else { throw typeError(k, "an array of strings", e) }; out.append(s) }
        return out
    }

    public mutating func intArray(_ k: String) throws(ConfigError) -> [Int]? {
        guard let v = raw(k) else { return nil }
        guard case .array(let a) = v else { throw typeError(k, "an array of integers", v) }
        var out: [Int] = []
        for e in a { guard case .integer(let s) = e else { throw typeError(k, "an array of integers", e) }; out.append(s) }
        return out
    }

    public mutating func table(_ k: String) throws(ConfigError) -> TOMLTable? {
        guard let v = raw(k) else { return nil }
        guard case .table(let t) = v else { throw typeError(k, "a table [\(prefix)\(k)]", v) }
        return t
    }

    public mutating func tableArray(_ k: String) throws(ConfigError) -> [TOMLTable]? {
        guard let v = raw(k) else { return nil }
        guard case .array(let a) = v else { throw typeError(k, "an array of tables [[\(prefix)\(k)]]", v) }
        var out: [TOMLTable] = []
        for e in a { guard case .table(let t) = e else { throw typeError(k, "an array of tables [[\(prefix)\(k)]]", e) }; out.append(t) }
        return out
    }

    /// Throws for the first key no accessor asked for (a typo), with `hint` telling where the keys are listed.
    public func rejectUnknown(hint: String) throws(ConfigError) {
        for k in table.keys where !used.contains(k) {
            throw ConfigError(line: table.lines[k], key: prefix + k, message: "unknown key (a typo?); " + hint)
        }
    }
}
