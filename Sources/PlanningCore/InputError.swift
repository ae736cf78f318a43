/// A problem in an input file, located precisely enough to fix: file, line, column and value.
public struct InputError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: Sendable, Equatable {
        /// The file cannot be opened or read (exit code 66).
        case unreadable
        /// The content is invalid (exit code 65).
        case invalidData
    }
    public var kind: Kind
    public var file: String
    public var line: Int?
    public var column: String?
    public var value: String?
    public var message: String
    public var fix: String?

    public init(kind: Kind = .invalidData, file: String, line: Int? = nil, column: String? = nil,
                value: String? = nil, message: String, fix: String? = nil) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.value = value
        self.message = message
        self.fix = fix
    }

    /// `file:line: column C, value "V": message. Fix: ...` on one line.
    public var description: String {
        var s = file
        if let l = line { s += ":\(l)" }
        s += ": "
        var where_: [String] = []
        if let c = column { where_.append("column \(c)") }
        if let v = value { where_.append("value \"\(InputError.clip(v))\"") }
        if !where_.isEmpty { s += where_.joined(separator: ", ") + ": " }
        s += message
        if let f = fix { s += ". Fix: " + f }
        return s
    }

    /// Values are shown printable and at most 60 characters long.
    static func clip(_ v: String) -> String {
        var out = ""
        for u in v.unicodeScalars.prefix(60) {
            if u.value < 0x20 || u.value == 0x7F { out += "\\u{\(String(u.value, radix: 16))}" } else { out.unicodeScalars.append(u) }
        }
        return v.unicodeScalars.count > 60 ? out + "..." : out
    }
}
