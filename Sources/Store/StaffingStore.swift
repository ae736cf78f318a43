import Foundation

extension Store {
    /// One interval of a stored staffing requirement (migration 4, table `staffing_requirements`).
    public struct RequirementRow: Sendable, Equatable {
        /// Interval start, UTC seconds.
        public var ts: Int64
        public var volume: Double
        /// NaN when unknown.
        public var aht: Double
        /// Productive (on-queue) whole agents.
        public var agents: Int
        public var agentsFractional: Double
        /// Agents to schedule after shrinkage.
        public var scheduled: Double
        /// The requirement before `max_agents` capped it.
        public var needed: Int
        /// NaN where the model does not define the figure.
        public var serviceLevel, asaSeconds, occupancy, probAbandon: Double

        public init(ts: Int64, volume: Double, aht: Double, agents: Int, agentsFractional: Double, scheduled: Double, needed: Int,
                    serviceLevel: Double, asaSeconds: Double, occupancy: Double, probAbandon: Double) {
            self.ts = ts; self.volume = volume; self.aht = aht; self.agents = agents; self.agentsFractional = agentsFractional
            self.scheduled = scheduled; self.needed = needed; self.serviceLevel = serviceLevel; self.asaSeconds = asaSeconds
            self.occupancy = occupancy; self.probAbandon = probAbandon
        }
    }

    /// A staffing run of one channel: how it was computed and its rows in time order.
    public struct StaffingRun: Sendable, Equatable {
        public var id: Int64
        public var createdAt: String
        public var channel: String
        /// Channel kind (voice, chat, email, ...).
        public var kind: String
        /// erlang_c, erlang_a, chat or deadline.
        public var model: String
        /// mean, p90 or p97.5.
        public var quantile: String
        /// "forecast" or the --input file.
        public var source: String
        public var forecastRunID: Int64?
        public var intervalMinutes: Int
        /// The targets as a phrase ("service level 80% within 20 s and occupancy <= 85%").
        public var targets: String
        public var rows: [RequirementRow]

        public init(id: Int64 = 0, createdAt: String = "", channel: String, kind: String, model: String, quantile: String, source: String,
                    forecastRunID: Int64?, intervalMinutes: Int, targets: String, rows: [RequirementRow]) {
            self.id = id; self.createdAt = createdAt; self.channel = channel; self.kind = kind; self.model = model
            self.quantile = quantile; self.source = source; self.forecastRunID = forecastRunID
            self.intervalMinutes = intervalMinutes; self.targets = targets; self.rows = rows
        }
    }

    /// Stores staffing runs (one per channel) in ONE transaction: all land or none. Returns their ids in order.
    @discardableResult
    public func saveStaffing(_ runs: [StaffingRun]) throws -> [Int64] {
        try db.transaction {
            let head = try db.prepare("""
                INSERT INTO staffing_runs(created_at, channel, kind, model, quantile, source, forecast_run_id, interval_minutes, targets, first_ts, slots)
                VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let ins = try db.prepare("""
                INSERT INTO staffing_requirements(run_id, ts, volume, aht_seconds, agents, agents_fractional, scheduled, needed,
                service_level, asa_seconds, occupancy, prob_abandon) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            var ids: [Int64] = []
            for run in runs {
                head.bind(1, run.channel); head.bind(2, run.kind); head.bind(3, run.model); head.bind(4, run.quantile)
                head.bind(5, run.source)
                if let f = run.forecastRunID { head.bind(6, f) } else { head.bindNull(6) }
                head.bind(7, run.intervalMinutes); head.bind(8, run.targets)
                head.bind(9, run.rows.first?.ts ?? 0); head.bind(10, run.rows.count)
                try head.step(); head.reset()
                let id = Int64(try scalarInt("SELECT last_insert_rowid()"))
                ids.append(id)
                for r in run.rows {
                    ins.bind(1, id); ins.bind(2, r.ts); ins.bind(3, r.volume); ins.bind(4, r.aht); ins.bind(5, r.agents)
                    ins.bind(6, r.agentsFractional); ins.bind(7, r.scheduled); ins.bind(8, r.needed)
                    ins.bind(9, r.serviceLevel); ins.bind(10, r.asaSeconds); ins.bind(11, r.occupancy); ins.bind(12, r.probAbandon)
                    try ins.step(); ins.reset()
                }
            }
            return ids
        }
    }

    /// The newest staffing run of a channel (what scheduling reads), or nil.
    public func latestStaffing(channel: String) throws(StoreError) -> StaffingRun? {
        let st = try db.prepare("""
            SELECT id, created_at, kind, model, quantile, source, forecast_run_id, interval_minutes, targets
            FROM staffing_runs WHERE channel = ? ORDER BY id DESC LIMIT 1
            """)
        st.bind(1, channel)
        guard try st.step() else { return nil }
        var run = StaffingRun(id: st.int(0), createdAt: st.string(1) ?? "", channel: channel, kind: st.string(2) ?? "",
                              model: st.string(3) ?? "", quantile: st.string(4) ?? "", source: st.string(5) ?? "",
                              forecastRunID: st.isNull(6) ? nil : st.int(6), intervalMinutes: Int(st.int(7)),
                              targets: st.string(8) ?? "", rows: [])
        let v = try db.prepare("""
            SELECT ts, volume, aht_seconds, agents, agents_fractional, scheduled, needed, service_level, asa_seconds, occupancy, prob_abandon
            FROM staffing_requirements WHERE run_id = ? ORDER BY ts
            """)
        v.bind(1, run.id)
        while try v.step() {
            run.rows.append(RequirementRow(ts: v.int(0), volume: v.double(1), aht: v.double(2), agents: Int(v.int(3)),
                                           agentsFractional: v.double(4), scheduled: v.double(5), needed: Int(v.int(6)),
                                           serviceLevel: v.double(7), asaSeconds: v.double(8), occupancy: v.double(9),
                                           probAbandon: v.double(10)))
        }
        return run
    }

    /// Channels with at least one staffing run, in order of their first run.
    public func staffedChannels() throws(StoreError) -> [String] {
        let st = try db.prepare("SELECT channel FROM staffing_runs GROUP BY channel ORDER BY MIN(id)")
        var out: [String] = []
        while try st.step() { out.append(st.string(0) ?? "") }
        return out
    }
}
