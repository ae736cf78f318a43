import PlanningCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-field readers of `HistoryParser`: timestamp, UTC resolution, volume, handle time, abandoned.
extension HistoryParser {
    @inline(__always)
    func parseTimestamp(_ tsb: UnsafeBufferPointer<UInt8>, file: String, line ln: Int) throws(InputError) -> ParsedTimestamp {
        switch Civil.parseTimestamp(tsb) {
        case .success(let p): return p
        case .failure(let e):
            let detail: String
            switch e {
            case .malformed: detail = "cannot read the timestamp"
            case .outOfRange(let why): detail = "invalid timestamp: \(why)"
            }
            throw InputError(file: file, line: ln, column: "timestamp", value: String(decoding: tsb, as: UTF8.self),
                             message: detail, fix: "write ISO 8601 local time at interval start, e.g. 2026-03-01T08:30:00")
        }
    }

    /// The UTC time of a row's local timestamp: checks an explicit offset against the zone; a repeated wall
    /// time without offset is its first occurrence the first time the channel has it, the second the next time.
    @inline(__always)
    func resolveUTC(_ parsed: ParsedTimestamp, _ tsb: UnsafeBufferPointer<UInt8>, channel ch: Int32, fixedOffset: Int64?,
                    ambiguousSeen: inout Set<AmbiguousKey>, file: String, line ln: Int) throws(InputError) -> Int64 {
        let utc: Int64
        if let off = fixedOffset {
            if let eo = parsed.explicitOffset, Int64(eo) != off {
                throw InputError(file: file, line: ln, column: "timestamp", value: String(decoding: tsb, as: UTF8.self),
                                 message: "UTC offset \(Civil.formatOffset(eo)) differs from the workspace time zone \(zone.name)",
                                 fix: "write local time in \(zone.name) without an offset, or change time_zone in peakplan.toml")
            }
            utc = parsed.localSeconds - off
        } else {
            switch zone.resolve(local: parsed.localSeconds) {
            case .unique(let u):
                if let eo = parsed.explicitOffset, parsed.localSeconds - Int64(eo) != u {
                    throw InputError(file: file, line: ln, column: "timestamp", value: String(decoding: tsb, as: UTF8.self),
                                     message: "UTC offset \(Civil.formatOffset(eo)) does not match \(zone.name) at that time (\(Civil.formatOffset(zone.offset(atUTC: u))))",
                                     fix: "correct the offset or leave it out")
                }
                utc = u
            case .ambiguous(let first, let second):
                if let eo = parsed.explicitOffset {
                    let u = parsed.localSeconds - Int64(eo)
                    guard u == first || u == second else {
                        throw InputError(file: file, line: ln, column: "timestamp", value: String(decoding: tsb, as: UTF8.self),
                                         message: "UTC offset \(Civil.formatOffset(eo)) matches neither occurrence of this repeated wall time in \(zone.name)",
                                         fix: "use \(Civil.formatOffset(Int(parsed.localSeconds - first))) or \(Civil.formatOffset(Int(parsed.localSeconds - second)))")
                    }
                    utc = u
                } else {
                    let key = AmbiguousKey(channel: ch, local: parsed.localSeconds)
                    if ambiguousSeen.contains(key) { utc = second } else { ambiguousSeen.insert(key); utc = first }
                }
            case .gap(let a, let b):
                throw InputError(file: file, line: ln, column: "timestamp", value: String(decoding: tsb, as: UTF8.self),
                                 message: "this wall time does not exist in \(zone.name): clocks jumped from \(Civil.formatLocal(a).suffix(8).prefix(5)) to \(Civil.formatLocal(b).suffix(8).prefix(5)) on \(Civil.formatDate(day: Civil.split(a).day)) (DST gap)",
                                 fix: "remove the row; if the source writes a DST-free clock, set time_zone to a fixed offset such as \(Civil.formatOffset(zone.offset(atUTC: parsed.localSeconds - 30 * TimeGrid.secondsPerDay)))")
            }
        }
        return utc
    }

    @inline(__always)
    func parseVolume(_ vb: UnsafeBufferPointer<UInt8>, file: String, line ln: Int) throws(InputError) -> Double {
        guard let vol = NumberParser.parse(vb), vol.isFinite, vol >= 0, vol <= InputRules.maxVolume else {
            let v = String(decoding: vb, as: UTF8.self)
            let why: String
            if vb.isEmpty { why = "volume is empty" }
            else if let d = NumberParser.parse(vb) {
                why = !d.isFinite ? "volume is not a finite number" : d < 0 ? "volume is negative"
                    : "volume is larger than the maximum of \(HistoryParser.format(InputRules.maxVolume)) contacts in one interval"
            }
            else { why = "volume is not a number (decimal notation only, e.g. 12 or 12.5; no hexadecimal)" }
            throw InputError(file: file, line: ln, column: "volume", value: v, message: why,
                             fix: "give the count of contacts offered in the interval, a decimal number from 0 to \(HistoryParser.format(InputRules.maxVolume))")
        }
        return vol
    }

    /// aht_seconds: NaN when empty.
    @inline(__always)
    func parseAHT(_ ab: UnsafeBufferPointer<UInt8>, file: String, line ln: Int) throws(InputError) -> Double {
        if ab.isEmpty { return .nan }
        guard let a = NumberParser.parse(ab), a.isFinite, a >= 0, a <= InputRules.maxAHTSeconds else {
            throw InputError(file: file, line: ln, column: "aht_seconds", value: String(decoding: ab, as: UTF8.self),
                             message: "aht_seconds must be a finite number from 0 to \(HistoryParser.format(InputRules.maxAHTSeconds)) (one day), written in decimal",
                             fix: "give the mean handle time in seconds, or leave the cell empty")
        }
        return a
    }

    /// abandoned: NaN when empty.
    @inline(__always)
    func parseAbandoned(_ ab: UnsafeBufferPointer<UInt8>, volume vol: Double, file: String, line ln: Int) throws(InputError) -> Double {
        if ab.isEmpty { return .nan }
        guard let a = NumberParser.parse(ab), a.isFinite, a >= 0 else {
            throw InputError(file: file, line: ln, column: "abandoned", value: String(decoding: ab, as: UTF8.self),
                             message: "abandoned must be a finite number >= 0, written in decimal", fix: "give the count of abandoned contacts, or leave the cell empty")
        }
        guard a <= vol else {
            throw InputError(file: file, line: ln, column: "abandoned", value: String(decoding: ab, as: UTF8.self),
                             message: "abandoned exceeds volume (\(HistoryParser.format(vol)))",
                             fix: "volume counts all contacts offered, abandoned ones included")
        }
        return a
    }
}
