import Foundation

/// Planner overrides of the forecast (`peakplan forecast adjust`, migration 11), kept apart from the
/// statistical forecast: the adjustments themselves, and per stored forecast run the statistical values of the
/// intervals they changed.
extension Store {
    public struct ForecastAdjustment: Sendable, Equatable {
        public enum Unit: String, Sendable, CaseIterable { case day, interval }
        public enum Operation: String, Sendable, CaseIterable { case set, scale }
        public var id: Int64
        public var createdAt: String
        public var channel: String
        /// `day`: the range is whole local days and `set` gives each day's total; `interval`: `set` gives
        /// each interval's contacts.
        public var unit: Unit
        /// Local wall-clock seconds since 1970-01-01; `toLocal` is exclusive.
        public var fromLocal: Int64
        public var toLocal: Int64
        public var operation: Operation
        public var value: Double
        public var reason: String

        public init(
            id: Int64 = 0, createdAt: String = "", channel: String, unit: Unit, fromLocal: Int64, toLocal: Int64,
            operation: Operation, value: Double, reason: String
        ) {
            self.id = id
            self.createdAt = createdAt
            self.channel = channel
            self.unit = unit
            self.fromLocal = fromLocal
            self.toLocal = toLocal
            self.operation = operation
            self.value = value
            self.reason = reason
        }

        /// Everything that decides what the adjustment does (for input fingerprints).
        public var digestKey: String {
            "adjust|\(id)|\(channel)|\(unit.rawValue)|\(fromLocal)|\(toLocal)|\(operation.rawValue)|\(value.bitPattern)"
        }
    }

    /// Stores an adjustment; returns its id.
    @discardableResult
    public func addAdjustment(_ a: ForecastAdjustment) throws(StoreError) -> Int64 {
        let st = try db.prepare(
            """
            INSERT INTO forecast_adjustments(created_at, channel, unit, from_local, to_local, op, value, reason)
            VALUES (strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?, ?, ?, ?, ?, ?, ?)
            """)
        st.bind(1, a.channel)
        st.bind(2, a.unit.rawValue)
        st.bind(3, a.fromLocal)
        st.bind(4, a.toLocal)
        st.bind(5, a.operation.rawValue)
        st.bind(6, a.value)
        st.bind(7, a.reason)
        _ = try st.step()
        return Int64(try scalarInt("SELECT last_insert_rowid()"))
    }

    /// Every adjustment (of one channel when given), oldest first.
    public func adjustments(channel: String? = nil) throws(StoreError) -> [ForecastAdjustment] {
        let st = try db.prepare(
            """
            SELECT id, created_at, channel, unit, from_local, to_local, op, value, reason FROM forecast_adjustments
            WHERE ?1 IS NULL OR channel = ?1 ORDER BY id
            """)
        st.bind(1, channel)
        var out: [ForecastAdjustment] = []
        while try st.step() {
            out.append(
                ForecastAdjustment(
                    id: st.int(0), createdAt: st.string(1) ?? "", channel: st.string(2) ?? "",
                    unit: ForecastAdjustment.Unit(rawValue: st.string(3) ?? "") ?? .interval, fromLocal: st.int(4), toLocal: st.int(5),
                    operation: ForecastAdjustment.Operation(rawValue: st.string(6) ?? "") ?? .scale, value: st.double(7),
                    reason: st.string(8) ?? ""))
        }
        return out
    }

    /// Removes an adjustment; false when there is none with that id. Forecasts stored earlier keep the
    /// statistical values it replaced.
    public func removeAdjustment(id: Int64) throws(StoreError) -> Bool {
        let st = try db.prepare("DELETE FROM forecast_adjustments WHERE id = ?")
        st.bind(1, id)
        _ = try st.step()
        return db.changes == 1
    }

    /// One interval's statistical forecast in a stored run, with the adjustment that replaced it.
    public struct StatisticalValue: Sendable, Equatable {
        public var ts: Int64
        public var adjustmentID: Int64
        public var mean, lo80, hi80, lo95, hi95: Double
        public init(ts: Int64, adjustmentID: Int64, mean: Double, lo80: Double, hi80: Double, lo95: Double, hi95: Double) {
            self.ts = ts
            self.adjustmentID = adjustmentID
            self.mean = mean
            self.lo80 = lo80
            self.hi80 = hi80
            self.lo95 = lo95
            self.hi95 = hi95
        }
    }

    /// Stores the statistical values of a forecast run's adjusted intervals.
    public func saveStatisticalValues(run: Int64, _ values: [StatisticalValue]) throws {
        guard !values.isEmpty else { return }
        try db.transaction {
            let st = try db.prepare(
                "INSERT INTO forecast_statistical_values(run_id, ts, adjustment_id, mean, lo80, hi80, lo95, hi95) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
            for v in values {
                st.bind(1, run)
                st.bind(2, v.ts)
                st.bind(3, v.adjustmentID)
                st.bind(4, v.mean)
                st.bind(5, v.lo80)
                st.bind(6, v.hi80)
                st.bind(7, v.lo95)
                st.bind(8, v.hi95)
                _ = try st.step()
                st.reset()
            }
        }
    }

    /// The statistical values of a stored forecast run's adjusted intervals (empty when nothing was adjusted).
    public func statisticalValues(run: Int64) throws(StoreError) -> [StatisticalValue] {
        let st = try db.prepare(
            "SELECT ts, adjustment_id, mean, lo80, hi80, lo95, hi95 FROM forecast_statistical_values WHERE run_id = ? ORDER BY ts")
        st.bind(1, run)
        var out: [StatisticalValue] = []
        while try st.step() {
            out.append(
                StatisticalValue(
                    ts: st.int(0), adjustmentID: st.int(1), mean: st.double(2), lo80: st.double(3), hi80: st.double(4),
                    lo95: st.double(5), hi95: st.double(6)))
        }
        return out
    }
}

extension Store {
    /// Deletes the events named `name` (on days `fromDay...toDay` when given; of one channel when given,
    /// `""` for every-channel events); returns how many went.
    public func removeEvents(name: String, fromDay: Int64? = nil, toDay: Int64? = nil, channel: String? = nil) throws(StoreError) -> Int {
        let st = try db.prepare("DELETE FROM events WHERE name = ?1 AND day >= ?2 AND day <= ?3 AND (?4 IS NULL OR channel = ?4)")
        st.bind(1, name)
        st.bind(2, fromDay ?? Int64.min)
        st.bind(3, toDay ?? Int64.max)
        st.bind(4, channel)
        _ = try st.step()
        return db.changes
    }
}
