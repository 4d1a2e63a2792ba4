import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Space and safety: an owner-only file, incremental auto-vacuum so deleted rows give their pages back, and
/// consistent copies of a store another process is writing.
extension MetricsStore {
    /// Creates an empty store file readable by its owner only (SQLite would create it 0644 under the usual umask).
    static func createOwnerOnly(_ path: String) {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 { close(fd) }
    }

    /// Switches the store to incremental auto-vacuum, once: a new store at once (it is empty), an older store by
    /// one VACUUM on the first start of this version. Without it, pages freed by retention stayed in the file.
    static func enableIncrementalVacuum(_ pool: DatabasePool) throws {
        try pool.writeWithoutTransaction { db in
            guard try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") != 2 else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            try db.execute(sql: "VACUUM")
        }
    }

    /// Gives freed pages back to the file system when over a quarter of the file is free (run after each retention
    /// pass). A log at its cap frees pages with each flush's trim and refills them with the next flush: vacuuming
    /// those every minute moved thousands of pages under the writer lock while flushes queued behind it (the soak's
    /// memory climbed once the log was full), so only a real shrink (data aged out, a lower cap) is returned.
    func reclaimSpace() throws {
        try pool.writeWithoutTransaction { db in
            let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            if free > 0 && free * 4 > pages { try db.execute(sql: "PRAGMA incremental_vacuum") }
        }
    }

    /// Pages in the file and pages on its free list (for tests and `churn backup`'s report).
    public func pageCounts() throws -> (pages: Int, free: Int) {
        try pool.read { db in
            (try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0, try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0)
        }
    }

    /// Rows in the prediction log.
    public func loggedPredictionCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM predictions") ?? 0 }
    }

    /// Writes a consistent copy of the store at `sourcePath` to `destination` (owner-only) with `VACUUM INTO`,
    /// reading through a read-only connection: the serving process keeps writing meanwhile and the copy is the
    /// store as of one transaction. Fails if `destination` exists. Returns the copy's integrity check.
    public static func backup(from sourcePath: String, to destination: String) throws -> String {
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw StoreError(path: sourcePath, reason: "no such file; give the --store the server writes")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(path: destination, reason: "already exists; back up into a new directory")
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        do {
            let source = try DatabaseQueue(path: sourcePath, configuration: config)
            try source.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [destination]) }
            try source.close()
            chmod(destination, 0o600)
            return try integrityCheck(of: destination)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(path: sourcePath, reason: "backup to \(destination) failed: \(describe(error))")
        }
    }

    /// `PRAGMA integrity_check` of the store file at `path` ("ok" when sound), read-only.
    public static func integrityCheck(of path: String) throws -> String {
        var config = Configuration()
        config.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            let answer = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
            let tables = try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE name = 'meta'") }
            guard tables == 1 else { return "not a churn metrics store (no meta table)" }
            return answer.joined(separator: "; ")
        } catch {
            throw StoreError(path: path, reason: describe(error))
        }
    }
}
