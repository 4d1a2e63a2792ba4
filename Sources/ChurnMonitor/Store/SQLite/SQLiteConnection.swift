import CSQLite

/// One connection to a SQLite database file, used by one thread at a time (`SQLitePool` hands it out).
///
/// Opened with SQLITE_OPEN_NOMUTEX (SQLite's "multi-thread" mode for this connection): SQLite then takes no mutex
/// of its own around each call. That is safe because no two threads ever use one connection at once (the pool
/// serialises the writer and gives each reader to one caller), and it saves a lock and unlock per bind, step and
/// column read, which for a flush of 60,000 customers is about a million calls. FULLMUTEX would only guard
/// against a misuse the pool already rules out.
final class SQLiteConnection {
    let handle: OpaquePointer
    let path: String
    private var statements: [String: SQLiteStatement] = [:]

    enum Mode {
        /// Read and write; create the file if it is missing.
        case readWriteCreate
        /// Read and write an existing file.
        case readWrite
        /// Read only: never writes the database file (it may still create the -shm file of a WAL database).
        case readOnly
    }

    /// Opens the file and checks it is a database SQLite can read (a damaged header fails here, not later).
    init(path: String, mode: Mode, busyTimeout: Double) throws(SQLiteError) {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let error = SQLiteError(db: db, code: rc, purpose: "opening \(path)")
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        self.path = path
        sqlite3_extended_result_codes(db, 1)
        // Another process's transaction (a backup's read, the writer's checkpoint) waits this long, not fails.
        sqlite3_busy_timeout(db, Int32(busyTimeout * 1000))
        do {
            let check = try statement("SELECT COUNT(*) FROM sqlite_master", "reading the schema")
            try check.bind([], purpose: "reading the schema")
            _ = try check.step(purpose: "reading the schema")
            check.finish()
        } catch {
            statements = [:]
            sqlite3_close_v2(db)
            throw error
        }
    }

    deinit {
        statements = [:]
        sqlite3_close_v2(handle)
    }

    // MARK: Running SQL

    /// Runs SQL without parameters, several statements allowed (schema changes, pragmas, transaction control).
    func execute(_ sql: String, _ purpose: String) throws(SQLiteError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorText)
        guard rc == SQLITE_OK else {
            let message = errorText.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(errorText)
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: message, purpose: purpose)
        }
    }

    /// The prepared statement for `sql`, compiled on first use and kept for the connection's lifetime.
    func statement(_ sql: String, _ purpose: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = statements[sql] { return cached }
        let statement = try SQLiteStatement(db: handle, sql: sql, purpose: purpose)
        statements[sql] = statement
        return statement
    }

    /// Runs one statement that returns no rows, with `values` bound to its parameters.
    func run(_ sql: String, _ purpose: String, _ values: any SQLiteBindable...) throws(SQLiteError) {
        try run(statement(sql, purpose), purpose, values)
    }

    /// Runs a prepared statement that returns no rows (for statements run once per row of a flush).
    func run(_ statement: SQLiteStatement, _ purpose: String, _ values: [any SQLiteBindable]) throws(SQLiteError) {
        try statement.bind(values, purpose: purpose)
        while try statement.step(purpose: purpose) {}
    }

    /// Every row of a query, each read by `row` while it is current.
    func all<Row>(_ sql: String, _ purpose: String, _ values: any SQLiteBindable...,
                  row: (SQLiteStatement) throws -> Row) throws -> [Row] {
        let statement = try statement(sql, purpose)
        try statement.bind(values, purpose: purpose)
        defer { statement.finish() }
        var rows: [Row] = []
        while try statement.step(purpose: purpose) { rows.append(try row(statement)) }
        return rows
    }

    /// The first row of a query, or nil when it has none.
    func one<Row>(_ sql: String, _ purpose: String, _ values: any SQLiteBindable...,
                  row: (SQLiteStatement) throws -> Row) throws -> Row? {
        let statement = try statement(sql, purpose)
        try statement.bind(values, purpose: purpose)
        defer { statement.finish() }
        return try statement.step(purpose: purpose) ? row(statement) : nil
    }

    /// Rows the last INSERT, UPDATE or DELETE changed.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// True outside a transaction.
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    // MARK: Transactions

    enum TransactionKind: String {
        /// Takes the write lock at BEGIN: a writer never finds it taken half-way through (no upgrade deadlock).
        case immediate = "IMMEDIATE"
        /// Takes a read snapshot at the first read: the statements that follow see one state of the file.
        case deferred = "DEFERRED"
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<R>(_ kind: TransactionKind, _ purpose: String, _ body: (SQLiteConnection) throws -> R) throws -> R {
        try execute("BEGIN \(kind.rawValue)", "beginning a transaction for \(purpose)")
        do {
            let result = try body(self)
            try execute("COMMIT", "committing \(purpose)")
            return result
        } catch {
            // A failed COMMIT may already have ended the transaction (SQLite rolls back on some errors).
            if !isAutocommit { try? execute("ROLLBACK", "rolling back \(purpose)") }
            throw error
        }
    }
}
