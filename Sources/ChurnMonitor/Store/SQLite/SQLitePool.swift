import Dispatch

/// The connections of one database file, shared by the threads of a process: one writer, used by one caller at a
/// time (SQLite allows one writing transaction per file anyway), and readers that in WAL mode neither wait for the
/// writer nor hold it up, each reading one committed state of the file.
///
/// Unchecked Sendable: connections are not thread-safe (they are opened NOMUTEX, see `SQLiteConnection`); the
/// writer queue and the reader list hand each one to a single caller at a time, which is what makes sharing safe.
final class SQLitePool: @unchecked Sendable {
    let path: String
    private let writer: SQLiteConnection?
    private let writerQueue = DispatchQueue(label: "churn.store.writer")
    private let readOnly: Bool
    private let busyTimeout: Double
    /// Readers not in use; more are opened when all are busy, and up to `keptReaders` are kept afterwards.
    private var idleReaders: [SQLiteConnection] = []
    private let readersLock = DispatchQueue(label: "churn.store.readers")
    private let keptReaders = 4

    /// Opens the pool. A writing pool opens its writer at once, runs `prepareWriter` on it (pragmas, migrations)
    /// before any reader exists; a read-only pool has no writer and opens only read-only connections.
    init(path: String, readOnly: Bool, busyTimeout: Double,
         prepareWriter: (SQLiteConnection) throws -> Void = { _ in }) throws {
        self.path = path
        self.readOnly = readOnly
        self.busyTimeout = busyTimeout
        if readOnly {
            writer = nil
            idleReaders = [try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: busyTimeout)]
        } else {
            let connection = try SQLiteConnection(path: path, mode: .readWriteCreate, busyTimeout: busyTimeout)
            try prepareWriter(connection)
            writer = connection
        }
    }

    /// Runs `body` in one immediate write transaction on the writer: all or nothing.
    func write<R>(_ purpose: String, _ body: (SQLiteConnection) throws -> R) throws -> R {
        try writeWithoutTransaction { db in try db.transaction(.immediate, purpose, body) }
    }

    /// Runs `body` on the writer outside a transaction (VACUUM and some pragmas refuse to run inside one).
    func writeWithoutTransaction<R>(_ body: (SQLiteConnection) throws -> R) throws -> R {
        guard let writer else {
            throw SQLiteError(code: 8 /* SQLITE_READONLY */, message: "attempt to write a readonly database",
                              purpose: "writing through a read-only store")
        }
        return try writerQueue.sync { try body(writer) }
    }

    /// Runs `body` in one read transaction on a reader of its own: every statement sees the same committed state.
    func read<R>(_ purpose: String, _ body: (SQLiteConnection) throws -> R) throws -> R {
        let reader = try takeReader()
        defer { giveBack(reader) }
        return try reader.transaction(.deferred, purpose, body)
    }

    private func takeReader() throws -> SQLiteConnection {
        if let idle = readersLock.sync(execute: { idleReaders.popLast() }) { return idle }
        // Readers of a writing pool are read-only too: only the writer ever writes.
        return try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: busyTimeout)
    }

    private func giveBack(_ reader: SQLiteConnection) {
        readersLock.sync {
            if idleReaders.count < keptReaders { idleReaders.append(reader) }
        }
    }
}
