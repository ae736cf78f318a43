import CSQLite
import Ingest
import PlanningCore

/// Upserts history rows chunk by chunk inside ONE transaction, so a parser can run on another thread while
/// rows are written. Channels first seen in this ingest get a provisional interval that `endFile` replaces
/// with the validated one; any error before `commit` rolls everything back (the store is as it was).
public final class IngestWriter {
    let store: Store
    var db: Database { store.db }
    var ids: [String: (id: Int64, interval: Int, createdHere: Bool)] = [:]
    let insert: Statement
    let addChannel: Statement
    var update: Statement?
    var updateShape: (Bool, Bool)?
    var source = ""
    var counts: [String: Store.ChannelCounts] = [:]
    var order: [String] = []
    var report = Store.IngestReport()
    var open = true

    public init(store: Store) throws(StoreError) {
        self.store = store
        try store.db.execute("BEGIN IMMEDIATE")
        do {
            for c in try store.channels() { ids[c.name] = (c.id, c.intervalMinutes, false) }
            insert = try store.db.prepare("INSERT INTO history(channel_id, ts, volume, aht_seconds, abandoned) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING")
            addChannel = try store.db.prepare("INSERT INTO channels(name, interval_minutes) VALUES (?, ?)")
        } catch {
            try? store.db.execute("ROLLBACK")
            throw error
        }
    }

    public func beginFile(source: String) throws(StoreError) {
        self.source = source
        counts = [:]
        order = []
        update = nil
        updateShape = nil
    }

    /// Writes a chunk. `provisionalInterval` gives the interval to record for a channel new to the store
    /// until `endFile` knows the validated one.
    public func write(_ chunk: HistoryChunk, provisionalInterval: (String) -> Int) throws(StoreError) {
        if updateShape == nil || updateShape! != (chunk.hasAHT, chunk.hasAbandoned) {
            var set = ["volume = ?3"], differs = ["volume IS NOT ?3"]
            if chunk.hasAHT { set.append("aht_seconds = ?4"); differs.append("aht_seconds IS NOT ?4") }
            if chunk.hasAbandoned { set.append("abandoned = ?5"); differs.append("abandoned IS NOT ?5") }
            update = try db.prepare("UPDATE history SET \(set.joined(separator: ", ")) WHERE channel_id = ?1 AND ts = ?2 AND (\(differs.joined(separator: " OR ")))")
            updateShape = (chunk.hasAHT, chunk.hasAbandoned)
        }
        var chanIDs: [Int64] = []
        for name in chunk.channels {
            if let e = ids[name] { chanIDs.append(e.id); continue }
            let iv = provisionalInterval(name)
            addChannel.bind(1, name); addChannel.bind(2, IntervalLength.isAllowed(iv) ? iv : 30)
            try addChannel.step(); addChannel.reset()
            let id = Int64(sqlite3_last_insert_rowid(db.handle))
            ids[name] = (id, iv, true)
            chanIDs.append(id)
        }
        for name in chunk.channels where counts[name] == nil {
            counts[name] = Store.ChannelCounts(channel: name, intervalMinutes: ids[name]!.interval)
            order.append(name)
        }
        var local = [(Int, Int, Int)](repeating: (0, 0, 0), count: chunk.channels.count)
        let update = self.update!
        for i in 0..<chunk.count {
            let c = Int(chunk.channel[i])
            insert.bind(1, chanIDs[c]); insert.bind(2, chunk.utc[i]); insert.bind(3, chunk.volume[i])
            insert.bind(4, chunk.aht[i]); insert.bind(5, chunk.abandoned[i])
            try insert.step(); insert.reset()
            if db.changes == 1 {
                local[c].0 += 1
            } else {
                update.bind(1, chanIDs[c]); update.bind(2, chunk.utc[i]); update.bind(3, chunk.volume[i])
                if chunk.hasAHT { update.bind(4, chunk.aht[i]) }
                if chunk.hasAbandoned { update.bind(5, chunk.abandoned[i]) }
                try update.step(); update.reset()
                if db.changes == 1 { local[c].1 += 1 } else { local[c].2 += 1 }
            }
        }
        for (c, name) in chunk.channels.enumerated() {
            counts[name]!.inserted += local[c].0; counts[name]!.updated += local[c].1; counts[name]!.unchanged += local[c].2
        }
    }

    /// Checks the file's validated intervals against the store, fixes provisional ones and logs the file.
    public func endFile(_ batch: HistoryBatch) throws(StoreError) {
        for (k, name) in batch.channels.enumerated() {
            guard let e = ids[name] else { continue }
            let iv = batch.intervalMinutes[k]
            if e.interval != iv {
                guard e.createdHere else {
                    throw StoreError("channel \(name) is stored at \(e.interval) minutes but \(batch.source) has \(iv)", context: "mixed interval lengths")
                }
                let st = try db.prepare("UPDATE channels SET interval_minutes = ? WHERE id = ?")
                st.bind(1, iv); st.bind(2, e.id)
                try st.step()
                ids[name] = (e.id, iv, false)
            } else if e.createdHere {
                ids[name] = (e.id, iv, false)
            }
            counts[name]?.intervalMinutes = iv
        }
        let list = order.compactMap { counts[$0] }
        report.files.append((batch.source, list))
        let t = list.reduce((0, 0, 0)) { ($0.0 + $1.inserted, $0.1 + $1.updated, $0.2 + $1.unchanged) }
        // The log records only ingests that changed something: re-ingesting changes nothing.
        guard t.0 + t.1 > 0 else { return }
        let log = try db.prepare("INSERT INTO ingests(at_utc, source, rows, inserted, updated, unchanged) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?)")
        log.bind(1, batch.source); log.bind(2, batch.count); log.bind(3, t.0); log.bind(4, t.1); log.bind(5, t.2)
        try log.step()
        let ingestID = Int64(sqlite3_last_insert_rowid(db.handle))
        let lc = try db.prepare("INSERT INTO ingest_channels(ingest_id, channel_id, inserted, updated, unchanged) VALUES (?, ?, ?, ?, ?)")
        for c in list {
            lc.bind(1, ingestID); lc.bind(2, ids[c.channel]!.id); lc.bind(3, c.inserted); lc.bind(4, c.updated); lc.bind(5, c.unchanged)
            try lc.step(); lc.reset()
        }
    }

    public func commit() throws(StoreError) -> Store.IngestReport {
        try db.execute("COMMIT")
        open = false
        return report
    }

    public func rollback() {
        if open { try? db.execute("ROLLBACK"); open = false }
    }

    deinit { rollback() }
}
