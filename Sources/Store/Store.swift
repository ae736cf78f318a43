#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSQLite
import Ingest
import PlanningCore

/// The workspace store: a SQLite file holding history, channels, ingest log and events.
public final class Store {
    public static let fileName = "peakplan.sqlite"
    public let db: Database

    /// Opens (and migrates) the store at `path`. `create: false` refuses a missing file.
    public init(path: String, create: Bool = false) throws(StoreError) {
        if !create && access(path, F_OK) != 0 {
            throw StoreError("no store at \(path)", context: "run `peakplan init` first, or pass --workspace DIR")
        }
        // A 0-byte file is not an empty store: SQLite would silently make it one (and lose whatever was meant to
        // be there, e.g. after a failed copy). Only `create` (peakplan init) starts a new store.
        var st = stat()
        if !create && stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_size == 0 {
            throw StoreError("\(path) is empty (0 bytes): not a PeakPlan store",
                             context: "restore the file from a backup, or delete it and run `peakplan init` again and re-ingest")
        }
        db = try Database(path: path)
        try migrate()
    }

    public var schemaVersion: Int {
        (try? scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")) ?? 0
    }

    func migrate() throws(StoreError) {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        let have = try scalarInt("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
        let newest = Migrations.all.last?.version ?? 0
        if have > newest {
            throw StoreError("the store has schema version \(have), newer than this PeakPlan knows (\(newest))", context: "upgrade PeakPlan")
        }
        for m in Migrations.all where m.version > have {
            do {
                try db.transaction {
                    try db.execute(m.sql)
                    let st = try db.prepare("INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))")
                    st.bind(1, m.version); st.bind(2, m.name)
                    try st.step()
                }
            } catch let e as StoreError { throw e } catch { throw StoreError("\(error)") }
        }
    }

    func scalarInt(_ sql: String) throws(StoreError) -> Int {
        let st = try db.prepare(sql)
        guard try st.step() else { return 0 }
        return Int(st.int(0))
    }

    // MARK: Channels

    public struct ChannelRecord: Equatable, Sendable {
        public var id: Int64
        public var name: String
        public var intervalMinutes: Int
    }

    public func channels() throws(StoreError) -> [ChannelRecord] {
        let st = try db.prepare("SELECT id, name, interval_minutes FROM channels ORDER BY id")
        var out: [ChannelRecord] = []
        while try st.step() { out.append(ChannelRecord(id: st.int(0), name: st.string(1) ?? "", intervalMinutes: Int(st.int(2)))) }
        return out
    }

    // MARK: Ingest

    public struct ChannelCounts: Equatable, Sendable {
        public var channel: String
        public var intervalMinutes: Int
        public var inserted = 0
        public var updated = 0
        public var unchanged = 0
        public var rows: Int { inserted + updated + unchanged }
    }

    public struct IngestReport: Sendable {
        public var files: [(source: String, channels: [ChannelCounts])] = []
        public var totals: ChannelCounts {
            var t = ChannelCounts(channel: "all", intervalMinutes: 0)
            for f in files { for c in f.channels { t.inserted += c.inserted; t.updated += c.updated; t.unchanged += c.unchanged } }
            return t
        }
        public var changedAnything: Bool { totals.inserted + totals.updated > 0 }
    }

    /// Writes validated batches in ONE transaction: all files land, or none (a failure or a kill mid-way
    /// leaves the store as it was). Rows are upserted; an identical row counts as unchanged.
    /// A file without an optional column leaves that stored column as it was.
    public func ingest(_ batches: [HistoryBatch], progress: ((Int, Int) -> Void)? = nil) throws(StoreError) -> IngestReport {
        let w = try IngestWriter(store: self)
        do {
            let total = batches.reduce(0) { $0 + $1.count }
            var done = 0
            for b in batches {
                try w.beginFile(source: b.source)
                try w.write(HistoryChunk(batch: b)) { name in b.intervalMinutes[b.channels.firstIndex(of: name)!] }
                done += b.count
                progress?(done, total)
                try w.endFile(b)
            }
            return try w.commit()
        } catch {
            w.rollback()
            throw error
        }
    }

    // MARK: Reading history

    public struct Series: Sendable {
        public var channel: ChannelRecord
        public var ts: [Int64] = []
        public var volume: [Double] = []
        public var aht: [Double] = []
        public var abandoned: [Double] = []
    }

    /// One channel's rows ordered by time (NaN for NULL).
    public func series(_ ch: ChannelRecord, fromUTC: Int64? = nil, toUTC: Int64? = nil) throws(StoreError) -> Series {
        let st = try db.prepare("SELECT ts, volume, aht_seconds, abandoned FROM history WHERE channel_id = ? AND ts >= ? AND ts < ? ORDER BY ts")
        st.bind(1, ch.id); st.bind(2, fromUTC ?? Int64.min); st.bind(3, toUTC ?? Int64.max)
        var s = Series(channel: ch)
        while try st.step() {
            s.ts.append(st.int(0)); s.volume.append(st.double(1)); s.aht.append(st.double(2)); s.abandoned.append(st.double(3))
        }
        return s
    }

    /// Sum of rows updated by later ingests, per channel id (duplicates resolved across files).
    public func overlapsResolved() throws(StoreError) -> [Int64: Int] {
        let st = try db.prepare("SELECT channel_id, SUM(updated) FROM ingest_channels GROUP BY channel_id")
        var out: [Int64: Int] = [:]
        while try st.step() { out[st.int(0)] = Int(st.int(1)) }
        return out
    }

    public func ingestCount() throws(StoreError) -> Int { try scalarInt("SELECT COUNT(*) FROM ingests") }

    /// Streams history rows ordered by (time, channel id) to `body`: channel index into `channels`, UTC, values.
    public func forEachRow(channels: [ChannelRecord], fromUTC: Int64?, toUTC: Int64?,
                           _ body: (Int, Int64, Double, Double, Double) throws -> Void) throws {
        guard !channels.isEmpty else { return }
        let idList = channels.map { String($0.id) }.joined(separator: ",")
        let st = try db.prepare("SELECT channel_id, ts, volume, aht_seconds, abandoned FROM history WHERE channel_id IN (\(idList)) AND ts >= ? AND ts < ? ORDER BY ts, channel_id")
        st.bind(1, fromUTC ?? Int64.min); st.bind(2, toUTC ?? Int64.max)
        var index: [Int64: Int] = [:]
        for (k, c) in channels.enumerated() { index[c.id] = k }
        while try st.step() {
            try body(index[st.int(0)]!, st.int(1), st.double(2), st.double(3), st.double(4))
        }
    }

    /// Whether any stored row of these channels has a value in the column.
    public func hasValues(column: String, channels: [ChannelRecord]) throws(StoreError) -> Bool {
        precondition(column == "aht_seconds" || column == "abandoned")
        guard !channels.isEmpty else { return false }
        let idList = channels.map { String($0.id) }.joined(separator: ",")
        return try scalarInt("SELECT EXISTS(SELECT 1 FROM history WHERE channel_id IN (\(idList)) AND \(column) IS NOT NULL)") == 1
    }

    // MARK: Events

    public struct EventsReport: Sendable { public var inserted = 0, updated = 0, unchanged = 0 }

    /// Upserts events in one transaction, keyed by (date, name, channel).
    public func importEvents(_ events: [CalendarEvent]) throws(StoreError) -> EventsReport {
        var r = EventsReport()
        do {
            try db.transaction {
                let ins = try db.prepare("INSERT INTO events(day, name, kind, channel, lead_days, lag_days, expected_change) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING")
                let upd = try db.prepare("UPDATE events SET kind = ?3, lead_days = ?5, lag_days = ?6, expected_change = ?7 WHERE day = ?1 AND name = ?2 AND channel = ?4 AND (kind IS NOT ?3 OR lead_days IS NOT ?5 OR lag_days IS NOT ?6 OR expected_change IS NOT ?7)")
                for e in events {
                    for st in [ins, upd] {
                        st.bind(1, e.day); st.bind(2, e.name); st.bind(3, e.kind.rawValue); st.bind(4, e.channel ?? "")
                        st.bind(5, e.leadDays); st.bind(6, e.lagDays)
                        if let x = e.expectedChange { st.bind(7, x) } else { st.bindNull(7) }
                    }
                    try ins.step(); ins.reset()
                    if db.changes == 1 { r.inserted += 1; continue }
                    try upd.step(); upd.reset()
                    if db.changes == 1 { r.updated += 1 } else { r.unchanged += 1 }
                }
            }
        } catch let e as StoreError { throw e } catch { throw StoreError("\(error)") }
        return r
    }

    public func events(fromDay: Int64? = nil, toDay: Int64? = nil) throws(StoreError) -> [CalendarEvent] {
        let st = try db.prepare("SELECT day, name, kind, channel, lead_days, lag_days, expected_change FROM events WHERE day >= ? AND day <= ? ORDER BY day, name, channel")
        st.bind(1, fromDay ?? Int64.min); st.bind(2, toDay ?? Int64.max)
        var out: [CalendarEvent] = []
        while try st.step() {
            let ch = st.string(3) ?? ""
            out.append(CalendarEvent(day: st.int(0), name: st.string(1) ?? "", kind: EventKind(rawValue: st.string(2) ?? "") ?? .custom,
                                     channel: ch.isEmpty ? nil : ch, leadDays: Int(st.int(4)), lagDays: Int(st.int(5)),
                                     expectedChange: st.isNull(6) ? nil : st.double(6)))
        }
        return out
    }
}
