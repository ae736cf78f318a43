import Foundation
import Ingest
import PlanningCore
import Reports
import Staffing
import Store

/// Staffing inputs: demand per channel from the stored forecasts or from a volumes CSV.
public enum StaffingInputs {
    /// One channel's demand with where each interval came from (for messages).
    public struct ChannelDemand: Sendable {
        public var name: String
        public var intervalMinutes: Int
        public var demand: [IntervalDemand] = []
        /// Input file line of each interval (CSV mode).
        public var lines: [Int] = []
        public var forecastRunID: Int64?
    }

    public static func cell(_ v: Double?, _ decimals: Int) -> Cell {
        guard let v, v.isFinite else { return .null }
        return .number(v, decimals: decimals)
    }

    /// The first few items and a count of the rest.
    public static func list(_ items: [String]) -> String {
        items.count <= 6 ? items.joined(separator: ", ") : items.prefix(6).joined(separator: ", ") + " and \(grouped(items.count - 6)) more"
    }

    // MARK: --input CSV

    /// Reads `interval_start,channel,volume[,aht_seconds]` (local time) into per-channel demand; every problem is an
    /// `InputError` naming file, line, column and value.
    public static func readInput(path: String, zone: ZoneRules, config: WorkspaceConfig, store: Store?) throws -> [ChannelDemand] {
        let lines = try readLines(path: path)
        let cols = try inputColumns(lines[0], path: path)
        let channels = try readRows(lines, cols, path: path, zone: zone)
        guard !channels.isEmpty else {
            throw InputError(file: path, line: 2, message: "no data rows", fix: "add one row per channel and interval")
        }
        let stored = Dictionary((try store?.channels() ?? []).map { ($0.name, $0.intervalMinutes) }, uniquingKeysWith: { a, _ in a })
        var out: [ChannelDemand] = []
        for d in channels {
            out.append(try checkIntervals(d, path: path, config: config, stored: stored))
        }
        return out
    }

    /// Positions of the input's columns and the header's number of columns.
    private struct InputColumns {
        var time: Int
        var channel: Int
        var volume: Int
        var aht: Int?
        var count: Int
    }

    /// The file's lines (the first one a non-empty header).
    private static func readLines(path: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(kind: .unreadable, file: path, message: "cannot open or read the file", fix: "check the path and permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(file: path, message: "not UTF-8 text", fix: "save the file as UTF-8 CSV")
        }
        // The shared CSV reader: LF or CRLF, a UTF-8 BOM, RFC 4180 quotes.
        let lines = CSVText.lines(text).map(\.text)
        guard let headerLine = lines.first, !headerLine.isEmpty else {
            throw InputError(file: path, line: 1, message: "empty file", fix: "start with the header interval_start,channel,volume,aht_seconds")
        }
        return lines
    }

    private static func inputColumns(_ headerLine: String, path: String) throws -> InputColumns {
        guard let header = splitCSV(headerLine) else { throw InputError(file: path, line: 1, message: "malformed quotes in the header") }
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func col(_ n: String, required: Bool) throws -> Int? {
            let ix = names.indices.filter { names[$0] == n }
            if ix.count > 1 { throw InputError(file: path, line: 1, column: n, message: "column named twice") }
            if ix.isEmpty && required {
                throw InputError(file: path, line: 1, column: n, message: "missing required column", fix: "the header is interval_start,channel,volume,aht_seconds")
            }
            return ix.first
        }
        let cTime = try col("interval_start", required: true)!, cChan = try col("channel", required: true)!
        let cVol = try col("volume", required: true)!, cAHT = try col("aht_seconds", required: false)
        return InputColumns(time: cTime, channel: cChan, volume: cVol, aht: cAHT, count: names.count)
    }

    /// The data rows, per channel in order of first appearance (rows in file order).
    private static func readRows(_ lines: [String], _ cols: InputColumns, path: String, zone: ZoneRules) throws -> [ChannelDemand] {
        var byChannel: [String: ChannelDemand] = [:]
        var order: [String] = []
        var seenLocal: [String: Set<Int64>] = [:]
        for (ix, raw) in lines.enumerated().dropFirst() {
            let lineNo = ix + 1
            if raw.allSatisfy({ $0 == " " }) { continue }
            let (channel, row) = try readRow(raw, cols, lineNo: lineNo, path: path, zone: zone, seenLocal: seenLocal)
            seenLocal[channel, default: []].insert(row.local)
            if byChannel[channel] == nil { byChannel[channel] = ChannelDemand(name: channel, intervalMinutes: 0); order.append(channel) }
            byChannel[channel]!.demand.append(row)
            byChannel[channel]!.lines.append(lineNo)
        }
        return order.map { byChannel[$0]! }
    }

    /// One data row: its channel and interval; `seenLocal` holds the local times each channel already has.
    private static func readRow(
        _ raw: String, _ cols: InputColumns, lineNo: Int, path: String, zone: ZoneRules, seenLocal: [String: Set<Int64>]
    ) throws -> (channel: String, row: IntervalDemand) {
        guard let f = splitCSV(raw) else { throw InputError(file: path, line: lineNo, message: "malformed quotes", fix: "quote fields RFC 4180 style") }
        guard f.count >= cols.count else {
            throw InputError(file: path, line: lineNo, message: "has \(f.count) fields, the header has \(cols.count)")
        }
        let stamp = f[cols.time].trimmingCharacters(in: .whitespaces)
        guard case .success(let ts) = Civil.parseTimestamp(stamp) else {
            throw InputError(
                file: path, line: lineNo, column: "interval_start", value: stamp, message: "not an ISO 8601 local time",
                fix: "write the interval start as 2026-03-01T08:30:00 in the workspace time zone")
        }
        let channel = f[cols.channel].trimmingCharacters(in: .whitespaces)
        guard !channel.isEmpty else { throw InputError(file: path, line: lineNo, column: "channel", value: "", message: "empty channel name") }
        if let why = InputRules.problem(withName: channel, use: .identifier) {
            throw InputError(file: path, line: lineNo, column: "channel", value: channel, message: "channel name \(why)", fix: "rename the channel: " + InputRules.nameFix)
        }
        let volume = try number(f[cols.volume], "volume", empty: nil, path: path, lineNo: lineNo)
        let aht = try cols.aht.map { try number(f[$0], "aht_seconds", empty: .nan, path: path, lineNo: lineNo) } ?? .nan
        // Resolve local time to UTC: an explicit offset must match; a repeated (fall-back) time is its first
        // occurrence the first time a channel has it and its second occurrence after that.
        var utc: Int64
        if let off = ts.explicitOffset {
            utc = ts.localSeconds - Int64(off)
            guard zone.local(fromUTC: utc) == ts.localSeconds else {
                throw InputError(file: path, line: lineNo, column: "interval_start", value: stamp, message: "the offset does not match the workspace time zone \(zone.name)")
            }
        } else {
            switch zone.resolve(local: ts.localSeconds) {
            case .unique(let u): utc = u
            case .ambiguous(let a, let b): utc = seenLocal[channel, default: []].contains(ts.localSeconds) ? b : a
            case .gap:
                throw InputError(
                    file: path, line: lineNo, column: "interval_start", value: stamp,
                    message: "this wall time does not exist in \(zone.name) (DST gap)", fix: "remove the row")
            }
        }
        return (channel, IntervalDemand(utc: utc, local: ts.localSeconds, volume: volume, ahtSeconds: aht))
    }

    /// A volume or aht_seconds cell: a finite decimal number from 0 to the column's maximum (`empty` when empty).
    private static func number(_ cell: String, _ name: String, empty: Double?, path: String, lineNo: Int) throws -> Double {
        let s = cell.trimmingCharacters(in: .whitespaces)
        if s.isEmpty, let e = empty { return e }
        let maxValue = name == "volume" ? InputRules.maxVolume : InputRules.maxAHTSeconds
        guard let v = NumberParser.parse(s), v.isFinite, v >= 0, v <= maxValue else {
            throw InputError(
                file: path, line: lineNo, column: name, value: s, message: "must be a finite decimal number from 0 to \(Int(maxValue))",
                fix: name == "volume" ? "give the contacts offered in the interval" : "give the mean handle time in seconds, or leave it empty")
        }
        return v
    }

    /// Sorts a channel's intervals by time, rejects repeated ones and sets its interval length (configured,
    /// stored or detected), which every interval must start on.
    private static func checkIntervals(_ channel: ChannelDemand, path: String, config: WorkspaceConfig, stored: [String: Int]) throws -> ChannelDemand {
        var d = channel
        let name = d.name
        let idx = d.demand.indices.sorted { d.demand[$0].utc < d.demand[$1].utc }
        d.demand = idx.map { d.demand[$0] }
        d.lines = idx.map { d.lines[$0] }
        var gaps: [Int64: Int] = [:]
        for k in 1..<max(1, d.demand.count) {
            let g = d.demand[k].utc - d.demand[k - 1].utc
            if g == 0 {
                throw InputError(
                    file: path, line: d.lines[k], column: "interval_start", value: Civil.formatLocal(d.demand[k].local),
                    message: "channel \(name) has this interval twice (also line \(d.lines[k - 1]))", fix: "keep one row per channel and interval")
            }
            gaps[g, default: 0] += 1
        }
        let detected = gaps.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }.map { Int($0.key / 60) }
        let iv = config.channel(named: name)?.intervalMinutes ?? stored[name] ?? detected ?? config.intervalMinutes
        guard IntervalLength.isAllowed(iv) else {
            throw InputError(
                file: path, line: d.lines[min(1, d.lines.count - 1)], column: "interval_start",
                message: "channel \(name): intervals are \(iv) minutes apart; use one of \(IntervalLength.allowedText) minutes")
        }
        for k in d.demand.indices where Civil.split(d.demand[k].local).secondOfDay % Int64(iv * TimeGrid.secondsPerMinute) != 0 {
            throw InputError(
                file: path, line: d.lines[k], column: "interval_start", value: Civil.formatLocal(d.demand[k].local),
                message: "channel \(name): not on the \(iv)-minute grid counted from midnight")
        }
        d.intervalMinutes = iv
        return d
    }

    /// Splits one CSV line by the shared CSV reader (RFC 4180 quotes within the line); nil for malformed quotes.
    public static func splitCSV<S: StringProtocol>(_ line: S) -> [String]? { CSVText.fields(String(line)) }
}
