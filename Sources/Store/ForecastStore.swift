import Foundation

extension Store {
    public struct ForecastRow: Sendable, Equatable {
        public var ts: Int64
        public var mean, lo80, hi80, lo95, hi95: Double
        /// NaN when unknown.
        public var aht: Double
        public init(ts: Int64, mean: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double, aht: Double) {
            self.ts = ts; self.mean = mean; self.lo80 = lo80; self.hi80 = hi80; self.lo95 = lo95; self.hi95 = hi95; self.aht = aht
        }
    }

    public struct ForecastRun: Sendable {
        public var id: Int64
        public var channel: String
        public var model: String
        public var intervalMinutes: Int
        public var createdAt: String
        public var rows: [ForecastRow]
    }

    /// Stores a forecast run in one transaction; returns its id.
    @discardableResult
    public func saveForecast(channel: ChannelRecord, model: String, intervalMinutes: Int, rows: [ForecastRow]) throws -> Int64 {
        try db.transaction {
            let run = try db.prepare("INSERT INTO forecast_runs(created_at, channel_id, model, interval_minutes, first_ts, slots) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?)")
            run.bind(1, channel.id); run.bind(2, model); run.bind(3, intervalMinutes); run.bind(4, rows.first?.ts ?? 0); run.bind(5, rows.count)
            try run.step()
            let id = try scalarInt("SELECT last_insert_rowid()")
            let ins = try db.prepare("INSERT INTO forecast_values(run_id, ts, mean, lo80, hi80, lo95, hi95, aht_seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for r in rows {
                ins.bind(1, id); ins.bind(2, r.ts); ins.bind(3, r.mean); ins.bind(4, r.lo80); ins.bind(5, r.hi80)
                ins.bind(6, r.lo95); ins.bind(7, r.hi95); ins.bind(8, r.aht)
                try ins.step(); ins.reset()
            }
            return Int64(id)
        }
    }

    /// The newest forecast run of a channel, or nil.
    public func latestForecast(channel: String) throws(StoreError) -> ForecastRun? {
        let st = try db.prepare("""
            SELECT r.id, r.model, r.interval_minutes, r.created_at FROM forecast_runs r JOIN channels c ON c.id = r.channel_id
            WHERE c.name = ? ORDER BY r.id DESC LIMIT 1
            """)
        st.bind(1, channel)
        guard try st.step() else { return nil }
        var run = ForecastRun(id: st.int(0), channel: channel, model: st.string(1) ?? "", intervalMinutes: Int(st.int(2)), createdAt: st.string(3) ?? "", rows: [])
        let v = try db.prepare("SELECT ts, mean, lo80, hi80, lo95, hi95, aht_seconds FROM forecast_values WHERE run_id = ? ORDER BY ts")
        v.bind(1, run.id)
        while try v.step() {
            run.rows.append(ForecastRow(ts: v.int(0), mean: v.double(1), lo80: v.double(2), hi80: v.double(3), lo95: v.double(4), hi95: v.double(5), aht: v.double(6)))
        }
        return run
    }

    /// Stores a fitted model's JSON (see Forecasting's `SavedModel`).
    public func saveFittedModel(channel: String, model: String, intervalMinutes: Int, historyEnd: String, json: String) throws(StoreError) {
        let st = try db.prepare("INSERT INTO fitted_models(created_at, channel, model, interval_minutes, history_end, json) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?)")
        st.bind(1, channel); st.bind(2, model); st.bind(3, intervalMinutes); st.bind(4, historyEnd); st.bind(5, json)
        try st.step()
    }

    /// The newest fitted model's JSON for a channel.
    public func latestFittedModel(channel: String) throws(StoreError) -> String? {
        let st = try db.prepare("SELECT json FROM fitted_models WHERE channel = ? ORDER BY id DESC LIMIT 1")
        st.bind(1, channel)
        return try st.step() ? st.string(0) : nil
    }

    /// One backtest row. `peakErrorPct` (column peak_error_pct) holds the peak-day error: the forecast total on the
    /// window's busiest actual day against that day's actual total, in % (`AccuracyMetrics.peakDayErrorPct`).
    public struct BacktestRecord: Sendable {
        public var channel, model, horizon: String
        public var intervalMinutes: Int
        public var mase, smape, wape, rmse, pinball, coverage80, coverage95: Double
        public var eventDayError: Double?
        public var peakErrorPct, fitSeconds: Double
        public var origins: Int
        public init(channel: String, model: String, horizon: String, intervalMinutes: Int, mase: Double, smape: Double, wape: Double,
                    rmse: Double, pinball: Double, coverage80: Double, coverage95: Double, eventDayError: Double?, peakErrorPct: Double,
                    fitSeconds: Double, origins: Int) {
            self.channel = channel; self.model = model; self.horizon = horizon; self.intervalMinutes = intervalMinutes
            self.mase = mase; self.smape = smape; self.wape = wape; self.rmse = rmse; self.pinball = pinball
            self.coverage80 = coverage80; self.coverage95 = coverage95; self.eventDayError = eventDayError
            self.peakErrorPct = peakErrorPct; self.fitSeconds = fitSeconds; self.origins = origins
        }
    }

    /// The newest backtest row per (channel, model, horizon).
    public func latestBacktest() throws(StoreError) -> [BacktestRecord] {
        let st = try db.prepare("""
            SELECT channel, model, horizon, interval_minutes, mase, smape, wape, rmse, pinball, coverage80, coverage95, event_day_error,
                   peak_error_pct, fit_seconds, origins FROM backtest_results b
            WHERE id = (SELECT MAX(id) FROM backtest_results c WHERE c.channel = b.channel AND c.model = b.model AND c.horizon = b.horizon)
            ORDER BY channel, horizon, model
            """)
        var out: [BacktestRecord] = []
        while try st.step() {
            out.append(BacktestRecord(channel: st.string(0) ?? "", model: st.string(1) ?? "", horizon: st.string(2) ?? "", intervalMinutes: Int(st.int(3)),
                                      mase: st.double(4), smape: st.double(5), wape: st.double(6), rmse: st.double(7), pinball: st.double(8),
                                      coverage80: st.double(9), coverage95: st.double(10), eventDayError: st.isNull(11) ? nil : st.double(11),
                                      peakErrorPct: st.double(12), fitSeconds: st.double(13), origins: Int(st.int(14))))
        }
        return out
    }

    public func saveBacktest(_ records: [BacktestRecord]) throws {
        try db.transaction {
            let st = try db.prepare("""
                INSERT INTO backtest_results(created_at, channel, model, horizon, interval_minutes, mase, smape, wape, rmse, pinball,
                coverage80, coverage95, event_day_error, peak_error_pct, fit_seconds, origins)
                VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for r in records {
                st.bind(1, r.channel); st.bind(2, r.model); st.bind(3, r.horizon); st.bind(4, r.intervalMinutes)
                st.bind(5, r.mase); st.bind(6, r.smape); st.bind(7, r.wape); st.bind(8, r.rmse); st.bind(9, r.pinball)
                st.bind(10, r.coverage80); st.bind(11, r.coverage95); st.bind(12, r.eventDayError ?? .nan); st.bind(13, r.peakErrorPct)
                st.bind(14, r.fitSeconds); st.bind(15, r.origins)
                try st.step(); st.reset()
            }
        }
    }
}

extension Store {
    /// A digest of everything a plan depends on in the store: per channel the row count, span and sums of
    /// the stored values, and every event. Changes when any input row changes.
    public func inputDigest() throws(StoreError) -> String {
        var h = FNV1a()
        let st = try db.prepare("""
            SELECT c.name, c.interval_minutes, COUNT(*), MIN(h.ts), MAX(h.ts), TOTAL(h.volume), TOTAL(h.aht_seconds * (h.ts % 7919)),
                   TOTAL(h.abandoned), TOTAL(h.volume * (h.ts % 104729))
            FROM history h JOIN channels c ON c.id = h.channel_id GROUP BY c.id ORDER BY c.id
            """)
        while try st.step() {
            h.add(st.string(0) ?? "")
            for k in 1...4 { h.add(String(st.int(Int32(k)))) }
            for k in 5...8 { h.add(String(st.double(Int32(k)).bitPattern)) }
        }
        for e in try events() { h.add("\(e.day)|\(e.name)|\(e.kind.rawValue)|\(e.channel ?? "")|\(e.leadDays)|\(e.lagDays)") }
        // Planner adjustments change the forecast a plan uses (none: the digest of a store without them).
        for a in try adjustments() { h.add(a.digestKey) }
        return h.hex
    }

    /// The history part of `inputDigest` alone.
    public func historyDigest() throws(StoreError) -> String {
        var h = FNV1a()
        let st = try db.prepare("SELECT c.name, COUNT(*), MIN(h.ts), MAX(h.ts), TOTAL(h.volume), TOTAL(h.volume * (h.ts % 104729)) FROM history h JOIN channels c ON c.id = h.channel_id GROUP BY c.id ORDER BY c.id")
        while try st.step() {
            h.add(st.string(0) ?? "")
            for k in 1...3 { h.add(String(st.int(Int32(k)))) }
            for k in 4...5 { h.add(String(st.double(Int32(k)).bitPattern)) }
        }
        return h.hex
    }

    public struct PlanRun: Sendable { public var fingerprint: String; public var outputDir: String; public var summary: String; public var createdAt: String }

    public func latestPlan(scenario: String) throws(StoreError) -> PlanRun? {
        let st = try db.prepare("SELECT fingerprint, output_dir, summary, created_at FROM plan_runs WHERE scenario = ? ORDER BY id DESC LIMIT 1")
        st.bind(1, scenario)
        guard try st.step() else { return nil }
        return PlanRun(fingerprint: st.string(0) ?? "", outputDir: st.string(1) ?? "", summary: st.string(2) ?? "", createdAt: st.string(3) ?? "")
    }

    public func savePlan(scenario: String, fingerprint: String, outputDir: String, summary: String) throws(StoreError) {
        let st = try db.prepare("INSERT INTO plan_runs(created_at, scenario, fingerprint, output_dir, summary) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?)")
        st.bind(1, scenario); st.bind(2, fingerprint); st.bind(3, outputDir); st.bind(4, summary)
        try st.step()
    }
}

/// 64-bit FNV-1a over UTF-8 text, for input fingerprints (not for security).
public struct FNV1a: Sendable {
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325
    public init() {}
    public mutating func add(_ s: String) {
        for b in s.utf8 { value = (value ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        value = (value ^ 0xFF) &* 0x0000_0100_0000_01B3
    }
    public var hex: String { String(value, radix: 16) }
}
