/// Bounds and name rules applied where data enters PeakPlan (ingest, config, agents and events files), so that
/// every value downstream code sees is one it handles: no crash on a huge number, no name that becomes a path
/// outside the workspace, injects a formula into a spreadsheet or a control sequence into a terminal.
public enum InputRules {
    /// Contacts offered in one interval: at most one billion (far above any contact centre; larger values are
    /// typing or unit errors, and sums of them must stay exact in 64-bit integers).
    public static let maxVolume = 1_000_000_000.0
    /// Mean handle time: at most one day in seconds.
    public static let maxAHTSeconds = Double(TimeGrid.secondsPerDay)

    /// What a name is used for; identifiers become file names and keys, labels are only shown.
    public enum NameUse: Sendable {
        /// Channel, queue, scenario and agent ids: used in file names, keys and data exports.
        case identifier
        /// Agent and event names: shown in reports, calendars and CSVs.
        case label
    }

    /// Why `name` is refused, or nil when it is acceptable. Rules:
    /// - no control characters (C0 such as CR, LF, TAB, ESC, BEL; DEL; C1; U+2028/U+2029 line separators);
    /// - no leading `=`, `+`, `-` or `@` (a spreadsheet would run the name as a formula);
    /// - identifiers only: no `/` or `\` and no `..` (a name must not lead out of a folder).
    public static func problem(withName name: String, use: NameUse) -> String? {
        for u in name.unicodeScalars {
            let v = u.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 {
                return "contains a control character (U+\(hex4(v))); names must be plain printable text"
            }
        }
        if let f = name.unicodeScalars.first, "=+-@".unicodeScalars.contains(f) {
            return "starts with \"\(f)\", which spreadsheets run as a formula"
        }
        if use == .identifier {
            if name.contains("/") || name.contains("\\") { return "contains a path separator (/ or \\)" }
            if name.contains("..") || name == "." { return "contains \"..\" or is \".\", which file paths treat specially" }
        }
        return nil
    }

    /// A value as shown in a message: control characters as `\u{1b}` (a terminal never receives an escape
    /// sequence from data).
    public static func printable(_ v: String) -> String {
        var out = ""
        for u in v.unicodeScalars {
            let x = u.value
            if x < 0x20 || (0x7F...0x9F).contains(x) || x == 0x2028 || x == 0x2029 { out += "\\u{\(String(x, radix: 16))}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }

    /// The fix to give with a refused name.
    public static let nameFix = "use letters, digits, spaces, dots, dashes or underscores, with no control characters, no / or \\ or .., and not starting with = + - @"

    static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// Neutralises free text for a CSV cell that people open in a spreadsheet: a leading `= + - @` (or a TAB
    /// or CR, which some spreadsheets skip) gets a `'` in front (OWASP CSV injection advice); control
    /// characters become spaces.
    public static func spreadsheetSafe(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            let v = u.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 { out.unicodeScalars.append(" ") }
            else { out.unicodeScalars.append(u) }
        }
        if let f = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(f) { return "'" + out }
        return out
    }
}
