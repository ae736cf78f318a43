import PlanningCore

/// Parses an events CSV: `date,name,kind[,channel][,lead_days][,lag_days][,expected_change]` (DESIGN section 4).
/// `expected_change` is the event's total change against a normal day as a fraction (1.5 = +150%, -0.4 = -40%),
/// more than -1; empty = not given.
/// Returns events only when the whole file is valid; otherwise one `InputError` with file, line, column, value.
public enum EventsParser {
    public static let headerHint = "the first line must be a header such as date,name,kind,channel,lead_days,lag_days"

    public static func parse(path: String) throws(InputError) -> (events: [CalendarEvent], lines: [Int], warnings: [String]) {
        let reader = try LineReader(path: path)
        let file = reader.name
        var fields = CSVFields()
        var header: [String] = []
        guard try reader.nextLine({ (line: UnsafeBufferPointer<UInt8>) throws(InputError) -> Bool in
            guard fields.split(line) else { throw InputError(file: file, line: 1, message: "malformed quotes in the header", fix: headerHint) }
            for k in 0..<fields.count { header.append(fields.string(k, line).trimmingASCIISpaces().lowercased()) }
            return true
        }) != nil else {
            throw InputError(file: file, message: "the file is empty", fix: headerHint)
        }
        var col: [String: Int] = [:]
        var warnings: [String] = []
        let known = ["date", "name", "kind", "channel", "lead_days", "lag_days", "expected_change"]
        for (k, h) in header.enumerated() {
            if known.contains(h) {
                if col[h] != nil { throw InputError(file: file, line: 1, column: h, message: "column \"\(h)\" appears twice in the header", fix: "keep one") }
                col[h] = k
            } else {
                warnings.append("\(file):1: unknown column \"\(h)\" ignored (known: \(known.joined(separator: ", ")))")
            }
        }
        let missing = ["date", "name", "kind"].filter { col[$0] == nil }
        if !missing.isEmpty {
            throw InputError(file: file, line: 1, column: missing.joined(separator: ", "), value: header.joined(separator: ","),
                             message: "required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) missing from the header", fix: headerHint)
        }
        var events: [CalendarEvent] = []
        var lines: [Int] = []
        var seen: [CalendarEventKey: Int] = [:]
        while try reader.nextLine({ (line: UnsafeBufferPointer<UInt8>) throws(InputError) -> Bool in
            let ln = reader.lineNumber
            if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) { return true }
            guard fields.split(line) else { throw InputError(file: file, line: ln, message: "malformed quotes", fix: "close every quoted field with a double quote") }
            guard fields.count == header.count else {
                throw InputError(file: file, line: ln, message: "\(fields.count) fields, but the header has \(header.count)",
                                 fix: "give every row the header's \(header.count) columns (empty for a missing optional value)")
            }
            func cell(_ c: String) -> String? { col[c].map { fields.string($0, line).trimmingASCIISpaces() } }
            let dateText = cell("date")!
            guard let day = Civil.parseDate(dateText) else {
                throw InputError(file: file, line: ln, column: "date", value: dateText, message: "not a date", fix: "write YYYY-MM-DD, e.g. 2026-06-18")
            }
            let name = cell("name")!
            guard !name.isEmpty else { throw InputError(file: file, line: ln, column: "name", value: "", message: "empty event name", fix: "name the event, e.g. 11.11 sale") }
            if let why = InputRules.problem(withName: name, use: .label) {
                throw InputError(file: file, line: ln, column: "name", value: name, message: "event name \(why)", fix: "rename the event: " + InputRules.nameFix)
            }
            let kindText = cell("kind")!.lowercased()
            guard let kind = EventKind(rawValue: kindText) else {
                throw InputError(file: file, line: ln, column: "kind", value: kindText, message: "unknown event kind",
                                 fix: "use one of \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let channel = cell("channel").flatMap { $0.isEmpty ? nil : $0 }
            if let ch = channel, let why = InputRules.problem(withName: ch, use: .identifier) {
                throw InputError(file: file, line: ln, column: "channel", value: ch, message: "channel name \(why)", fix: "name a channel of the history, or leave the cell empty for every channel")
            }
            func days(_ c: String) throws(InputError) -> Int {
                guard let t = cell(c), !t.isEmpty else { return 0 }
                guard let v = Int(t), v >= 0, v <= 366 else {
                    throw InputError(file: file, line: ln, column: c, value: t, message: "\(c) must be a whole number of days from 0 to 366", fix: "e.g. 1, or leave it empty for 0")
                }
                return v
            }
            var expected: Double?
            if let t = cell("expected_change"), !t.isEmpty {
                guard let v = Double(t), v.isFinite, v > -1, v <= 100 else {
                    throw InputError(file: file, line: ln, column: "expected_change", value: t,
                                     message: "expected_change must be the total change against a normal day as a fraction, more than -1 (e.g. 1.5 for +150%, -0.4 for -40%)",
                                     fix: "write a number such as 1.5, or leave it empty")
                }
                expected = v
            }
            let ev = CalendarEvent(day: day, name: name, kind: kind, channel: channel, leadDays: try days("lead_days"), lagDays: try days("lag_days"),
                                   expectedChange: expected)
            let key = CalendarEventKey(day: day, name: name, channel: channel ?? "")
            if let prev = seen[key] {
                throw InputError(file: file, line: ln, column: "date", value: "\(dateText) \(name)",
                                 message: "duplicate event: line \(prev) has the same date, name and channel", fix: "keep one row")
            }
            seen[key] = ln
            events.append(ev)
            lines.append(ln)
            return true
        }) == true {}
        if events.isEmpty { throw InputError(file: file, message: "the file has a header but no events", fix: "add rows") }
        return (events, lines, warnings)
    }

    struct CalendarEventKey: Hashable { var day: Int64; var name: String; var channel: String }
}
