/// Undoing the runs a failed `peakplan plan` stored: its stages (backtest, forecast, staff, schedule, roster)
/// each store their run as they finish, so a plan that then fails (exit 65, 75, ...) would leave
/// intermediate runs that later commands take for the newest results. `runMarks()` before the stages and
/// `discardRuns(since:)` on failure delete, in one transaction, every run row (and its child rows) added since.
extension Store {
    public struct RunMarks: Sendable, Equatable {
        public var lastID: [String: Int64]
    }

    /// Run tables (newest first in dependency order: a staffing run refers to a forecast run) with their child tables.
    static let runTables: [(table: String, children: [String])] = [
        ("plan_runs", []), ("roster_runs", ["roster_shifts"]), ("schedule_runs", ["schedule_coverage", "routing_weights", "schedule_documents"]),
        ("staffing_runs", ["staffing_requirements"]), ("forecast_runs", ["forecast_values", "forecast_statistical_values"]),
        ("fitted_models", []), ("backtest_results", []),
    ]

    /// The highest id in every run table now.
    public func runMarks() throws(StoreError) -> RunMarks {
        var m: [String: Int64] = [:]
        for (t, _) in Self.runTables { m[t] = Int64(try scalarInt("SELECT COALESCE(MAX(id), 0) FROM \(t)")) }
        return RunMarks(lastID: m)
    }

    /// Deletes every run stored after `marks` (with its rows), in one transaction.
    public func discardRuns(since marks: RunMarks) throws(StoreError) {
        try db.execute("BEGIN IMMEDIATE")
        do {
            for (t, children) in Self.runTables {
                let mark = marks.lastID[t] ?? 0
                for c in children { try db.execute("DELETE FROM \(c) WHERE run_id > \(mark)") }
                try db.execute("DELETE FROM \(t) WHERE id > \(mark)")
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }
}
