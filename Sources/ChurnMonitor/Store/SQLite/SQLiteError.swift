import CSQLite

/// A failed SQLite call: SQLite's own message and (extended) result code, and what the store was doing.
struct SQLiteError: Error, CustomStringConvertible {
    /// The extended result code (`SQLITE_BUSY_SNAPSHOT`, `SQLITE_NOTADB`, ...).
    var code: Int32
    /// SQLite's message, as `sqlite3_errmsg` gives it ("file is not a database", "database is locked").
    var message: String
    /// What the SQL was for, in words ("writing a flush", "reading the schema version").
    var purpose: String

    /// What users read: SQLite's words first (as the store always said them), then where they came from.
    var description: String { "\(message) (\(purpose); SQLite code \(code))" }

    /// The error of the last failed call on `db` (nil: the connection could not even be allocated).
    init(db: OpaquePointer?, code: Int32, purpose: String) {
        self.code = db.map { sqlite3_extended_errcode($0) } ?? code
        // sqlite3_errmsg describes the connection's last failure; a bare result code has its generic text.
        if let db, let text = sqlite3_errmsg(db) {
            message = String(cString: text)
        } else {
            message = String(cString: sqlite3_errstr(code))
        }
        self.purpose = purpose
    }

    init(code: Int32, message: String, purpose: String) {
        self.code = code
        self.message = message
        self.purpose = purpose
    }
}
