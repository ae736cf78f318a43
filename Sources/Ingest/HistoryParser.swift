import PlanningCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Validated rows of one history file, column-wise (millions of rows stay compact).
public struct HistoryBatch: Sendable {
    public var source: String
    /// Channel names in order of first appearance; rows refer to them by index.
    public var channels: [String] = []
    public var channel: [Int32] = []
    public var utc: [Int64] = []
    public var local: [Int64] = []
    public var volume: [Double] = []
    /// NaN where the cell was empty (stored as NULL).
    public var aht: [Double] = []
    public var abandoned: [Double] = []
    public var line: [Int] = []
    public var hasAHT = false
    public var hasAbandoned = false
    /// Interval (minutes) per channel index, detected and checked.
    public var intervalMinutes: [Int] = []
    public var warnings: [String] = []

    public var count: Int { utc.count }
}

/// Rows `from..<to` of a batch being parsed, copied so another thread can write them.
public struct HistoryChunk: Sendable {
    /// Channel names known so far (indices into it are stable).
    public var channels: [String]
    public var channel: [Int32]
    public var utc: [Int64]
    public var volume: [Double]
    public var aht: [Double]
    public var abandoned: [Double]
    public var hasAHT: Bool
    public var hasAbandoned: Bool

    /// The whole batch as one chunk.
    public init(batch b: HistoryBatch) { self.init(b, from: 0, to: b.count) }

    init(_ b: HistoryBatch, from: Int, to: Int) {
        channels = b.channels
        channel = Array(b.channel[from..<to]); utc = Array(b.utc[from..<to]); volume = Array(b.volume[from..<to])
        aht = Array(b.aht[from..<to]); abandoned = Array(b.abandoned[from..<to])
        hasAHT = b.hasAHT; hasAbandoned = b.hasAbandoned
    }

    public var count: Int { utc.count }
}

/// Parses and validates a history CSV: `timestamp,channel,volume[,aht_seconds][,abandoned]`.
///
/// Nothing is written anywhere: a batch comes back only when the whole file is valid, otherwise one
/// `InputError` naming file, line, column and value. Rules:
/// - header required; `timestamp`, `channel`, `volume` must be present; other known columns optional;
///   unknown columns are ignored with a warning; a column named twice is an error.
/// - timestamps: ISO 8601 local wall time in the workspace zone (see `Civil.parseTimestamp`); an explicit
///   offset must match the zone. In a DST gap: error. Ambiguous (repeated) wall time without offset: its
///   first occurrence the first time a channel has it in the file, its second occurrence the next time.
/// - volume: finite and >= 0 (fractions allowed, e.g. imputed averages); aht_seconds: empty or finite > 0
///   when volume > 0 and >= 0 otherwise; abandoned: empty or finite, 0 <= abandoned <= volume.
/// - duplicate (timestamp, channel) rows: error naming both lines.
/// - interval per channel: the most common gap between consecutive rows (or the interval already known
///   for the channel from the store/configuration); must be one of 5, 6, 10, 15, 30, 60 minutes; every
///   row must start on that grid counted from local midnight (otherwise: mixed interval lengths).
public struct HistoryParser {
    public let zone: ZoneRules
    /// Interval already known per channel (store or configuration), in minutes.
    public let knownIntervals: [String: Int]
    /// Used when a channel has a single row and no known interval.
    public let defaultInterval: Int
    public var progress: ((Int64, Int64?) -> Void)?
    /// Called on the parsing thread with every `chunkRows` new rows (and the rest at the end), before the
    /// whole-file checks (duplicates, intervals, grid) run: a writer can store rows while parsing goes on,
    /// inside a transaction it rolls back if `parse` then throws.
    public var chunkSink: ((HistoryChunk) -> Void)?
    public var chunkRows = 1 << 16

    public init(zone: ZoneRules, knownIntervals: [String: Int] = [:], defaultInterval: Int = 30) {
        self.zone = zone
        self.knownIntervals = knownIntervals
        self.defaultInterval = defaultInterval
    }

    public static let requiredColumns = ["timestamp", "channel", "volume"]
    public static let optionalColumns = ["aht_seconds", "abandoned"]
    public static let headerHint = "the first line must be a header such as timestamp,channel,volume,aht_seconds,abandoned"

    public func parse(path: String) throws(InputError) -> HistoryBatch {
        let reader = try LineReader(path: path)
        return try parse(reader)
    }

    public func parse(_ reader: LineReader) throws(InputError) -> HistoryBatch {
        let file = reader.name
        var batch = HistoryBatch(source: file)
        var fields = CSVFields()
        let cols = try readHeader(reader, &fields, into: &batch)
        let nCols = cols.count

        var channels = ChannelCache()
        // Ambiguous wall times already used once, per channel.
        var ambiguousSeen: Set<AmbiguousKey> = []
        let fixedOffset: Int64? = zone.isFixed ? Int64(zone.offset(atUTC: 0)) : nil
        var rowCount = 0
        var emitted = 0

        while try reader.nextLine({ (line: UnsafeBufferPointer<UInt8>) throws(InputError) -> Bool in
            let ln = reader.lineNumber
            if line.isEmpty || line.allSatisfy({ $0 == 32 || $0 == 9 }) {
                return true // blank lines are skipped
            }
            guard fields.split(line) else {
                throw InputError(file: file, line: ln, message: "malformed quotes", fix: "close every quoted field with a double quote")
            }
            guard fields.count == nCols else {
                throw InputError(file: file, line: ln, value: String(decoding: line.prefix(80), as: UTF8.self),
                                 message: "\(fields.count) fields, but the header has \(nCols)",
                                 fix: "give every row the header's \(nCols) columns (empty for a missing optional value)")
            }
            let ch = try channels.index(fields.bytes(cols.ch, line).trimmedASCII(), quoted: fields.quoted[cols.ch],
                                        batch: &batch, file: file, line: ln)
            let tsb = fields.bytes(cols.ts, line).trimmedASCII()
            let parsed = try parseTimestamp(tsb, file: file, line: ln)
            let utc = try resolveUTC(parsed, tsb, channel: ch, fixedOffset: fixedOffset, ambiguousSeen: &ambiguousSeen,
                                     file: file, line: ln)
            let vol = try parseVolume(fields.bytes(cols.vol, line).trimmedASCII(), file: file, line: ln)
            let aht = try cols.aht >= 0 ? parseAHT(fields.bytes(cols.aht, line).trimmedASCII(), file: file, line: ln) : Double.nan
            let abandoned = try cols.ab >= 0
                ? parseAbandoned(fields.bytes(cols.ab, line).trimmedASCII(), volume: vol, file: file, line: ln) : Double.nan
            batch.channel.append(ch)
            batch.utc.append(utc)
            batch.local.append(parsed.localSeconds)
            batch.volume.append(vol)
            batch.aht.append(aht)
            batch.abandoned.append(abandoned)
            batch.line.append(ln)
            rowCount += 1
            if let sink = chunkSink, rowCount - emitted >= chunkRows {
                sink(HistoryChunk(batch, from: emitted, to: rowCount))
                emitted = rowCount
            }
            if rowCount & 0x3FFFF == 0, let p = progress { p(reader.bytesConsumed, reader.totalBytes) }
            return true
        }) == true {}

        if batch.count == 0 {
            throw InputError(file: file, line: nil, message: "the file has a header but no data rows", fix: "add rows or leave the file out")
        }
        if let sink = chunkSink, rowCount > emitted { sink(HistoryChunk(batch, from: emitted, to: rowCount)) }
        try validateGrid(&batch, file: file)
        return batch
    }

    /// Column positions of the header (-1: absent) and the number of columns.
    struct Columns { var ts = -1, ch = -1, vol = -1, aht = -1, ab = -1, count = 0 }

    /// Reads and checks the header line; unknown and unnamed columns add warnings to `batch`.
    func readHeader(_ reader: LineReader, _ fields: inout CSVFields, into batch: inout HistoryBatch) throws(InputError) -> Columns {
        let file = reader.name
        var colTS = -1, colCH = -1, colVol = -1, colAHT = -1, colAb = -1
        var header: [String] = []
        let got = try reader.nextLine { (line: UnsafeBufferPointer<UInt8>) throws(InputError) -> Bool in
            guard fields.split(line) else {
                throw InputError(file: file, line: 1, message: "malformed quotes in the header", fix: HistoryParser.headerHint)
            }
            for k in 0..<fields.count { header.append(fields.string(k, line).trimmingASCIISpaces().lowercased()) }
            return true
        }
        guard got != nil else {
            throw InputError(file: file, line: nil, message: "the file is empty", fix: HistoryParser.headerHint)
        }
        for (k, h) in header.enumerated() {
            let idx: Int
            switch h {
            case "timestamp": idx = colTS; colTS = k
            case "channel": idx = colCH; colCH = k
            case "volume": idx = colVol; colVol = k
            case "aht_seconds": idx = colAHT; colAHT = k
            case "abandoned": idx = colAb; colAb = k
            default:
                idx = -1
                if h.isEmpty {
                    batch.warnings.append("\(file):1: column \(k + 1) has an empty name; ignored")
                } else {
                    batch.warnings.append("\(file):1: unknown column \"\(h)\" ignored (known: timestamp, channel, volume, aht_seconds, abandoned)")
                }
            }
            if idx >= 0 {
                throw InputError(file: file, line: 1, column: h, message: "column \"\(h)\" appears twice in the header", fix: "keep one")
            }
        }
        let missing = zip(HistoryParser.requiredColumns, [colTS, colCH, colVol]).filter { $0.1 < 0 }.map(\.0)
        if !missing.isEmpty {
            let looksLikeData = header.first.map { Civil.parseTimestamp($0).isSuccess } ?? false
            throw InputError(file: file, line: 1, column: missing.joined(separator: ", "),
                             value: header.joined(separator: ","),
                             message: looksLikeData ? "the header is missing: the first line is data"
                                                    : "required column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", ")) missing from the header",
                             fix: HistoryParser.headerHint)
        }
        batch.hasAHT = colAHT >= 0
        batch.hasAbandoned = colAb >= 0
        return Columns(ts: colTS, ch: colCH, vol: colVol, aht: colAHT, ab: colAb, count: header.count)
    }

    /// Channel names seen so far and the byte strings of recent ones (a file usually cycles through a few
    /// channels, found without building a String).
    struct ChannelCache {
        var index: [String: Int32] = [:]
        var bytes: [[UInt8]] = []

        /// The channel index of a row's (trimmed) channel cell, adding a new channel to `batch`.
        @inline(__always)
        mutating func index(_ chb: UnsafeBufferPointer<UInt8>, quoted: Bool, batch: inout HistoryBatch, file: String,
                            line ln: Int) throws(InputError) -> Int32 {
            // Recent channels by their bytes (a file usually cycles through a few channels).
            for k in 0..<bytes.count where bytes[k].count == chb.count {
                if bytes[k].withUnsafeBufferPointer({ memcmp($0.baseAddress!, chb.baseAddress!, chb.count) == 0 }) {
                    return Int32(k)
                }
            }
            return try add(chb, quoted: quoted, batch: &batch, file: file, line: ln)
        }

        /// A channel not among the cached byte strings: checks its name, finds or adds it.
        mutating func add(_ chb: UnsafeBufferPointer<UInt8>, quoted: Bool, batch: inout HistoryBatch, file: String,
                          line ln: Int) throws(InputError) -> Int32 {
            let ch: Int32
            var name = String(decoding: chb, as: UTF8.self)
            if quoted { name = name.replacingOccurrences(of: "\"\"", with: "\"") }
            guard !name.isEmpty else {
                throw InputError(file: file, line: ln, column: "channel", value: "", message: "empty channel name", fix: "name the channel, e.g. voice")
            }
            if let why = InputRules.problem(withName: name, use: .identifier) {
                throw InputError(file: file, line: ln, column: "channel", value: name, message: "channel name \(why)",
                                 fix: "rename the channel: " + InputRules.nameFix)
            }
            if let c = index[name] { ch = c } else {
                ch = Int32(batch.channels.count)
                index[name] = ch
                batch.channels.append(name)
            }
            // Quoted names with doubled quotes are not cached by bytes (their bytes differ from the name).
            if !quoted && bytes.count < 64 && Int(ch) == bytes.count { bytes.append(Array(chb)) }
            return ch
        }
    }

    struct AmbiguousKey: Hashable { var channel: Int32; var local: Int64 }

    /// Duplicates, interval detection and grid checks, per channel.
    func validateGrid(_ batch: inout HistoryBatch, file: String) throws(InputError) {
        let nch = batch.channels.count
        var perChannel = [[Int]](repeating: [], count: nch)
        for i in 0..<batch.count { perChannel[Int(batch.channel[i])].append(i) }
        batch.intervalMinutes = []
        for c in 0..<nch {
            var idx = perChannel[c]
            let name = batch.channels[c]
            // Sort by UTC when needed (files are usually sorted already).
            var sorted = true
            for k in 1..<max(idx.count, 1) where batch.utc[idx[k]] <= batch.utc[idx[k - 1]] { sorted = false; break }
            if !sorted { idx.sort { (batch.utc[$0], batch.line[$0]) < (batch.utc[$1], batch.line[$1]) } }
            // Duplicates
            for k in 1..<max(idx.count, 1) where batch.utc[idx[k]] == batch.utc[idx[k - 1]] {
                let a = idx[k - 1], b = idx[k]
                let first = min(batch.line[a], batch.line[b]), second = max(batch.line[a], batch.line[b])
                let row = batch.line[a] == second ? a : b
                throw InputError(file: file, line: second, column: "timestamp",
                                 value: Civil.formatLocal(batch.local[row]) + " / " + name,
                                 message: "duplicate row: line \(first) already has this timestamp for channel \(name)",
                                 fix: "keep one row per timestamp and channel (later files may update earlier ones)")
            }
            // Interval: the most common gap (ties: the smallest), unless already known.
            var counts: [Int64: Int] = [:]
            var runDiff: Int64 = 0, runLength = 0
            for k in 1..<max(idx.count, 1) {
                let d = batch.utc[idx[k]] - batch.utc[idx[k - 1]]
                if d == runDiff { runLength += 1; continue }
                if runLength > 0 { counts[runDiff, default: 0] += runLength }
                runDiff = d
                runLength = 1
            }
            if runLength > 0 { counts[runDiff, default: 0] += runLength }
            let known = knownIntervals[name]
            let interval: Int
            var modeMinutes: Int? = nil
            if let best = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) }) {
                modeMinutes = best.key % 60 == 0 ? Int(best.key / 60) : nil
            }
            if let k = known {
                interval = k
            } else if let m = modeMinutes, IntervalLength.isAllowed(m) {
                interval = m
            } else if counts.isEmpty {
                interval = defaultInterval
                batch.warnings.append("\(file): channel \(name) has a single row; assuming the configured interval of \(defaultInterval) minutes")
            } else {
                let shown = counts.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })!.key
                throw InputError(file: file, line: batch.line[idx[0]], column: "timestamp", value: name,
                                 message: "cannot detect the interval of channel \(name): rows are most often \(Self.duration(shown)) apart; supported intervals are \(IntervalLength.allowedText) minutes",
                                 fix: "aggregate to a supported interval, or declare interval_minutes for the channel in peakplan.toml")
            }
            let step = Int64(interval * 60)
            for k in idx {
                let sod = Civil.split(batch.local[k]).secondOfDay
                if sod % step != 0 {
                    let why: String
                    if let kk = known {
                        why = "not on the \(kk)-minute grid of channel \(name) (already in the store or declared in peakplan.toml); mixed interval lengths in one channel"
                    } else {
                        var lens = Set(counts.keys.filter { $0 > 0 && $0 % 60 == 0 }.map { Int($0 / 60) }).sorted()
                        if lens.count > 4 { lens = Array(lens.prefix(4)) }
                        why = "not on the \(interval)-minute grid detected for channel \(name) (intervals start at multiples of \(interval) minutes after midnight); the rows mix interval lengths (gaps of \(lens.map(String.init).joined(separator: ", ")) minutes)"
                    }
                    throw InputError(file: file, line: batch.line[k], column: "timestamp", value: Civil.formatLocal(batch.local[k]),
                                     message: why, fix: "give one interval length per channel, aligned to midnight")
                }
            }
            batch.intervalMinutes.append(interval)
        }
    }

    static func duration(_ s: Int64) -> String {
        s % 60 == 0 ? "\(s / 60) minutes" : "\(s) seconds"
    }

    /// Canonical number text: integers without a decimal point, otherwise the shortest round-trip form.
    public static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}

extension Result {
    var isSuccess: Bool { if case .success = self { return true } else { return false } }
}

extension String {
    func trimmingASCIISpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    @inline(__always)
    func trimmedASCII() -> UnsafeBufferPointer<UInt8> {
        var a = 0, b = count
        while a < b && (self[a] == 32 || self[a] == 9) { a += 1 }
        while b > a && (self[b - 1] == 32 || self[b - 1] == 9) { b -= 1 }
        if a == 0 && b == count { return self }
        return UnsafeBufferPointer(rebasing: self[a..<b])
    }
}
