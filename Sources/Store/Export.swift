import Ingest
import PlanningCore

extension Store {
    /// Writes history as CSV, the exact inverse of ingest for canonical input: header
    /// `timestamp,channel,volume[,aht_seconds][,abandoned]` (optional columns when any exported row has a
    /// value), rows by time then by channel in first-ingest order, local wall time without offset except for
    /// the second occurrence of a repeated (fall-back) wall time, which carries its UTC offset; numbers in
    /// their shortest exact form. `write` receives chunks; returning false stops the export.
    public func exportCSV(channels chans: [ChannelRecord], zone: ZoneRules, fromDay: Int64?, toDay: Int64?,
                          write: (String) -> Bool) throws {
        let hasAHT = try hasValues(column: "aht_seconds", channels: chans)
        let hasAb = try hasValues(column: "abandoned", channels: chans)
        guard write("timestamp,channel,volume" + (hasAHT ? ",aht_seconds" : "") + (hasAb ? ",abandoned" : "") + "\n") else { return }
        // Local date bounds to UTC with a day of margin each side, then filter exactly on local dates.
        let lo = fromDay.map { LocalDateTime.startOfDay($0 - 1) }, hi = toDay.map { LocalDateTime.startOfDay($0 + 2) }
        let names = chans.map { Store.csvQuote($0.name) }
        var chunk = ""
        var stopped = false
        try forEachRow(channels: chans, fromUTC: lo, toUTC: hi) { c, ts, vol, aht, ab in
            if stopped { return }
            let local = zone.local(fromUTC: ts)
            let day = Civil.split(local).day
            if let f = fromDay, day < f { return }
            if let t = toDay, day > t { return }
            chunk += Civil.formatLocal(local)
            // The second occurrence of a repeated (fall-back) wall time carries its offset, so the file reads
            // back unambiguously whatever rows it holds.
            if !zone.isFixed, case .ambiguous(_, let second) = zone.resolve(local: local), second == ts {
                chunk += Civil.formatOffset(zone.offset(atUTC: ts))
            }
            chunk += "," + names[c] + "," + HistoryParser.format(vol)
            if hasAHT { chunk += "," + (aht.isNaN ? "" : HistoryParser.format(aht)) }
            if hasAb { chunk += "," + (ab.isNaN ? "" : HistoryParser.format(ab)) }
            chunk += "\n"
            if chunk.utf8.count > 1 << 16 { stopped = !write(chunk); chunk = "" }
        }
        if !stopped && !chunk.isEmpty { _ = write(chunk) }
    }

    static func csvQuote(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || s.first == " " || s.last == " " {
            return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return s
    }
}
