import CSQLite

/// A failure inside the store, with the SQL context. Exit code 74 at the CLI.
public struct StoreError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var context: String
    public init(_ message: String, context: String = "") { self.message = message; self.context = context }
    public var description: String { context.isEmpty ? message : "\(message) (\(context))" }
}

let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// A thin owner of one sqlite3 connection. Not thread-safe; one per command.
public final class Database {
    let handle: OpaquePointer
    public let path: String

    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            if let db { sqlite3_close(db) }
            throw StoreError("cannot open the store: \(msg)", context: path)
        }
        handle = db
        self.path = path
        sqlite3_busy_timeout(db, 10_000)
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=NORMAL")
        try execute("PRAGMA foreign_keys=ON")
    }

    deinit { sqlite3_close_v2(handle) }

    var errorMessage: String { String(cString: sqlite3_errmsg(handle)) }

    public func execute(_ sql: String) throws(StoreError) {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(handle, sql, nil, nil, &err) != SQLITE_OK {
            let m = err.map { String(cString: $0) } ?? errorMessage
            sqlite3_free(err)
            throw StoreError(m, context: String(sql.prefix(120)))
        }
    }

    public func prepare(_ sql: String) throws(StoreError) -> Statement {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw StoreError(errorMessage, context: String(sql.prefix(120)))
        }
        return Statement(stmt, db: self)
    }

    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` in one IMMEDIATE transaction; any error rolls everything back.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}

/// A prepared statement. Bind indices are 1-based as in SQLite.
public final class Statement {
    let stmt: OpaquePointer
    unowned let db: Database

    init(_ stmt: OpaquePointer, db: Database) { self.stmt = stmt; self.db = db }
    deinit { sqlite3_finalize(stmt) }

    @inline(__always) public func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(stmt, i, v) }
    @inline(__always) public func bind(_ i: Int32, _ v: Int) { sqlite3_bind_int64(stmt, i, Int64(v)) }
    /// NaN binds NULL.
    @inline(__always) public func bind(_ i: Int32, _ v: Double) {
        if v.isNaN { sqlite3_bind_null(stmt, i) } else { sqlite3_bind_double(stmt, i, v) }
    }
    @inline(__always) public func bind(_ i: Int32, _ v: String?) {
        if let v { sqlite3_bind_text(stmt, i, v, -1, SQLITE_TRANSIENT) } else { sqlite3_bind_null(stmt, i) }
    }
    @inline(__always) public func bindNull(_ i: Int32) { sqlite3_bind_null(stmt, i) }

    /// Steps once; true when a row is available.
    @discardableResult @inline(__always)
    public func step() throws(StoreError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw StoreError(db.errorMessage, context: String(cString: sqlite3_sql(stmt)).prefix(120).description)
    }

    @inline(__always) public func reset() { sqlite3_reset(stmt) }
    public func clearBindings() { sqlite3_clear_bindings(stmt) }

    @inline(__always) public func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
    /// NULL reads as NaN.
    @inline(__always) public func double(_ col: Int32) -> Double {
        sqlite3_column_type(stmt, col) == SQLITE_NULL ? .nan : sqlite3_column_double(stmt, col)
    }
    @inline(__always) public func isNull(_ col: Int32) -> Bool { sqlite3_column_type(stmt, col) == SQLITE_NULL }
    public func string(_ col: Int32) -> String? {
        guard let p = sqlite3_column_text(stmt, col) else { return nil }
        return String(cString: p)
    }
}
