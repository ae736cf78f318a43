import PlanningCore

/// Agents required per queue and interval, read from CSV text:
///
/// ```
/// interval_start,queue,required
/// 2026-03-02T08:00,voice,12
/// 2026-03-02T08:30,voice,15
/// ```
/// `interval_start` is local wall-clock time (ISO 8601, `T` or a space; an offset, if present, is ignored: the
/// grid is the wall clock of the workspace's time zone). `required` is a non-negative number of agents. Other
/// columns are ignored. Intervals absent from the file need nobody. The interval length is the largest allowed
/// length (5, 6, 10, 15, 30 or 60 minutes) that every timestamp sits on, unless given.
public struct Requirements: Sendable, Equatable {
    public var intervalMinutes: Int
    /// Civil day (days since 1970-01-01) of the first row.
    public var firstDay: Int64
    public var days: Int
    /// Queues in order of first appearance, with the requirement per absolute period of the horizon.
    public var queues: [Queue]

    public struct Queue: Sendable, Equatable {
        public var id: String
        public var perPeriod: [Double]
    }

    public var asPairs: [(queue: String, perPeriod: [Double])] { queues.map { ($0.id, $0.perPeriod) } }

    public static let maxDays = 400
    /// The most agents one queue can need in one interval (larger values are typing errors).
    public static let maxRequired = 1_000_000.0

    public static func parseCSV(_ text: String, source: String, intervalMinutes given: Int? = nil) throws(RequirementsError) -> Requirements {
        func fail(_ line: Int?, _ column: String?, _ value: String?, _ m: String) -> RequirementsError {
            InputError(file: source, line: line, column: column, value: value, message: m)
        }
        // The shared CSV reader: LF or CRLF, a UTF-8 BOM, RFC 4180 quotes.
        let lines = CSVText.lines(text).map(\.text)
        guard let header = lines.first, !header.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw fail(1, nil, nil, "empty file: expected a header interval_start,queue,required")
        }
        let cols = try fields(header, line: 1, source: source).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let ti = cols.firstIndex(of: "interval_start"), let qi = cols.firstIndex(of: "queue"), let ri = cols.firstIndex(of: "required") else {
            throw fail(1, nil, header, "the header must name the columns interval_start, queue and required")
        }
        struct Row { var line: Int; var t: Int64; var q: String; var r: Double }
        var rows: [Row] = []
        for (n, raw) in lines.enumerated().dropFirst() where !raw.trimmingCharacters(in: .whitespaces).isEmpty {
            let ln = n + 1
            let f = try fields(raw, line: ln, source: source)
            guard f.count == cols.count else { throw fail(ln, nil, raw, "\(f.count) fields, the header has \(cols.count)") }
            let ts = f[ti].trimmingCharacters(in: .whitespaces)
            let t: Int64
            switch Civil.parseTimestamp(ts) {
            case .success(let p): t = p.localSeconds
            case .failure(.malformed): throw fail(ln, "interval_start", ts, "not a timestamp; write YYYY-MM-DDTHH:MM")
            case .failure(.outOfRange(let why)): throw fail(ln, "interval_start", ts, why)
            }
            guard t % 60 == 0 else { throw fail(ln, "interval_start", ts, "interval starts are whole minutes") }
            let q = f[qi].trimmingCharacters(in: .whitespaces)
            guard !q.isEmpty else { throw fail(ln, "queue", f[qi], "empty queue name") }
            let rs = f[ri].trimmingCharacters(in: .whitespaces)
            guard let r = NumberParser.parse(rs), r.isFinite, r >= 0, r <= maxRequired else { throw fail(ln, "required", rs, "required must be a decimal number from 0 to \(Int(maxRequired)) agents") }
            rows.append(Row(line: ln, t: t, q: q, r: r))
        }
        guard !rows.isEmpty else { throw fail(nil, nil, nil, "no rows after the header") }
        return try assemble(rows.map { Entry(line: $0.line, localSeconds: $0.t, queue: $0.q, required: $0.r) }, source: source, intervalMinutes: given)
    }

    /// One requirement: agents needed on a queue in the interval starting at a local wall-clock time.
    public struct Entry: Sendable {
        /// Source line for messages (nil when not from a file).
        public var line: Int?
        /// Local wall-clock seconds since 1970-01-01 of the interval start.
        public var localSeconds: Int64
        public var queue: String
        public var required: Double
        public init(line: Int? = nil, localSeconds: Int64, queue: String, required: Double) {
            self.line = line; self.localSeconds = localSeconds; self.queue = queue; self.required = required
        }
    }

    /// Requirements from entries (for example a stored staffing run): same checks as the CSV reader.
    public static func assemble(_ entries: [Entry], source: String, intervalMinutes given: Int? = nil) throws(RequirementsError) -> Requirements {
        func fail(_ line: Int?, _ column: String?, _ value: String?, _ m: String) -> RequirementsError {
            InputError(file: source, line: line, column: column, value: value, message: m)
        }
        struct Row { var line: Int?; var t: Int64; var q: String; var r: Double }
        let rows = entries.map { Row(line: $0.line, t: $0.localSeconds, q: $0.queue, r: $0.required) }
        guard !rows.isEmpty else { throw fail(nil, nil, nil, "no requirements") }
        for r in rows where !(r.r.isFinite && r.r >= 0) { throw fail(r.line, "required", String(r.r), "required must be a finite number >= 0") }
        // Interval: the largest allowed length every timestamp sits on.
        var interval = given ?? 0
        if let g = given {
            guard IntervalLength.isAllowed(g) else { throw fail(nil, nil, String(g), "interval \(g) is not one of \(IntervalLength.allowedText) minutes") }
            if let bad = rows.first(where: { (LocalDateTime.minutes(seconds: $0.t)) % Int64(g) != 0 }) {
                throw fail(bad.line, "interval_start", Civil.formatLocal(bad.t), "not on the \(g)-minute grid")
            }
        } else {
            for m in IntervalLength.allowedMinutes.reversed() where rows.allSatisfy({ (LocalDateTime.minutes(seconds: $0.t)) % Int64(m) == 0 }) { interval = m; break }
            guard interval > 0 else {
                let bad = rows.first { (LocalDateTime.minutes(seconds: $0.t)) % 5 != 0 && (LocalDateTime.minutes(seconds: $0.t)) % 6 != 0 }!
                throw fail(bad.line, "interval_start", Civil.formatLocal(bad.t), "not on any planning grid (\(IntervalLength.allowedText) minutes)")
            }
            // A grid coarser than the data's spacing would merge intervals: use the smallest spacing seen.
            var minStep = Int64.max
            var byQueue: [String: [Int64]] = [:]
            for r in rows { byQueue[r.q, default: []].append(r.t) }
            for (_, ts) in byQueue { let s = ts.sorted(); for k in s.indices.dropFirst() where s[k] > s[k - 1] { minStep = min(minStep, s[k] - s[k - 1]) } }
            if minStep != .max {
                let stepMin = Int(LocalDateTime.minutes(seconds: minStep))
                if stepMin < interval, let m = IntervalLength.allowedMinutes.reversed().first(where: { stepMin % $0 == 0 && interval % $0 == 0 }) { interval = m }
            }
        }
        let first = rows.map { Civil.split($0.t).day }.min()!
        let last = rows.map { Civil.split($0.t).day }.max()!
        let days = Int(last - first + 1)
        guard days <= maxDays else { throw fail(nil, nil, nil, "the rows span \(days) days; at most \(maxDays) can be scheduled at once") }
        let grid = TimeGrid(validMinutes: interval)!  // validated above
        let P = grid.slotsPerDay
        var order: [String] = []
        var req: [String: [Double]] = [:]
        var seenAt: [String: [Int: Int]] = [:]
        
        for r in rows {
            if req[r.q] == nil { order.append(r.q); req[r.q] = [Double](repeating: 0, count: days * P) }
            let k = grid.index(firstDay: first, localSeconds: r.t)
            if let prev = seenAt[r.q]?[k] {
                throw fail(r.line, "interval_start", Civil.formatLocal(r.t), "queue \(r.q) has this interval twice" + (prev >= 0 ? " (also on line \(prev))" : ""))
            }
            seenAt[r.q, default: [:]][k] = r.line ?? -1
            req[r.q]![k] = r.r
        }
        return Requirements(intervalMinutes: interval, firstDay: first, days: days, queues: order.map { Queue(id: $0, perPeriod: req[$0]!) })
    }

    /// Splits one CSV line by the shared CSV reader (RFC 4180 quotes; no line breaks inside fields).
    static func fields(_ line: String, line n: Int, source: String) throws(RequirementsError) -> [String] {
        guard let f = CSVText.fields(line) else {
            throw InputError(file: source, line: n, column: nil, value: line, message: "malformed quotes: an unterminated quoted field, or text after a closing quote")
        }
        return f
    }
}

/// A bad requirements file: names the file, line, column and value.
/// A problem in a requirements file: the one input-error type of every reader (file, line, column, value).
public typealias RequirementsError = InputError
