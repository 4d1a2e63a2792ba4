import CSQLite

/// One prepared statement: typed parameters in, typed columns out. A connection caches its statements by SQL,
/// so a statement run for every row of a flush is compiled once.
final class SQLiteStatement {
    let handle: OpaquePointer
    let sql: String
    /// The connection's handle, for its error message.
    private let db: OpaquePointer

    init(db: OpaquePointer, sql: String, purpose: String) throws(SQLiteError) {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteError(db: db, code: rc, purpose: purpose)
        }
        self.db = db
        self.sql = sql
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    /// Resets the statement and binds `values` to its parameters, in order.
    func bind(_ values: [any SQLiteBindable], purpose: String) throws(SQLiteError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, value) in values.enumerated() {
            let rc = value.bind(to: handle, at: Int32(i + 1))
            guard rc == SQLITE_OK else { throw SQLiteError(db: db, code: rc, purpose: purpose) }
        }
    }

    /// Steps once: true when a row is ready to read, false when the statement is done.
    func step(purpose: String) throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let rc:
            let error = SQLiteError(db: db, code: rc, purpose: purpose)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Lets go of the statement's read or write position (a finished SELECT holds none; one read partly would).
    func finish() { sqlite3_reset(handle) }

    // MARK: Columns of the current row (0-based)

    func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    func bool(_ column: Int32) -> Bool { sqlite3_column_int64(handle, column) != 0 }
    func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }
    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }
    func optionalInt(_ column: Int32) -> Int? { isNull(column) ? nil : int(column) }

    /// The column as text (NULL reads as the empty string, as SQLite converts it).
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }
}
