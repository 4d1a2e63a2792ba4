#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Space and safety: an owner-only file, incremental auto-vacuum so deleted rows give their pages back, and
/// consistent copies of a store another process is writing.
extension MetricsStore {
    /// Creates an empty store file readable by its owner only (SQLite would create it 0644 under the usual umask).
    /// True when this call created it.
    @discardableResult
    static func createOwnerOnly(_ path: String) -> Bool {
        guard !FileManager.default.fileExists(atPath: path) else { return false }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// Switches the store to incremental auto-vacuum, once: a new store at once (it is empty), an older store by
    /// one VACUUM on the first start of this version. Without it, pages freed by retention stayed in the file.
    static func enableIncrementalVacuum(_ pool: SQLitePool) throws {
        try pool.writeWithoutTransaction { db in
            guard try db.one("PRAGMA auto_vacuum", "reading the auto-vacuum mode", row: { $0.int(0) }) != 2 else { return }
            try db.execute("PRAGMA auto_vacuum = INCREMENTAL; VACUUM", "switching the store to incremental auto-vacuum")
        }
    }

    /// Gives freed pages back to the file system when over a quarter of the file is free (run after each retention
    /// pass). A log at its cap frees pages with each flush's trim and refills them with the next flush: vacuuming
    /// those every minute moved thousands of pages under the writer lock while flushes queued behind it (the soak's
    /// memory climbed once the log was full), so only a real shrink (data aged out, a lower cap) is returned.
    func reclaimSpace() throws {
        try pool.writeWithoutTransaction { db in
            let (pages, free) = try MetricsStore.pageCounts(db)
            if free > 0 && free * 4 > pages { try db.execute("PRAGMA incremental_vacuum", "giving free pages back") }
        }
    }

    /// Pages in the file and pages on its free list (for tests and `churn backup`'s report).
    public func pageCounts() throws -> (pages: Int, free: Int) {
        try pool.read("counting the store's pages") { db in try MetricsStore.pageCounts(db) }
    }

    static func pageCounts(_ db: SQLiteConnection) throws -> (pages: Int, free: Int) {
        (try db.one("PRAGMA page_count", "counting the store's pages") { $0.int(0) } ?? 0,
         try db.one("PRAGMA freelist_count", "counting the store's free pages") { $0.int(0) } ?? 0)
    }

    /// Rows in the prediction log.
    public func loggedPredictionCount() throws -> Int {
        try pool.read("counting the prediction log") { db in
            try db.one("SELECT COUNT(*) FROM predictions", "counting the prediction log") { $0.int(0) } ?? 0
        }
    }

    /// Writes a consistent copy of the store at `sourcePath` to `destination` (owner-only from its creation) with
    /// SQLite's online backup API, reading through a read-only connection: the serving process keeps writing
    /// meanwhile and the copy is the store as of one transaction. Fails if `destination` exists; a failed copy is
    /// removed. Returns the copy's integrity check.
    public static func backup(from sourcePath: String, to destination: String) throws -> String {
        guard FileManager.default.fileExists(atPath: sourcePath) else {
            throw StoreError(path: sourcePath, reason: "no such file; give the --store the server writes")
        }
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw StoreError(path: destination, reason: "already exists; back up into a new directory")
        }
        var created = false
        do {
            let source = try SQLiteConnection(path: sourcePath, mode: .readOnly, busyTimeout: 10)
            created = createOwnerOnly(destination)
            let copy = try SQLiteConnection(path: destination, mode: created ? .readWrite : .readWriteCreate, busyTimeout: 10)
            try source.backup(into: copy, patience: .seconds(10), purpose: "copying the store to \(destination)")
            // One self-contained file: the copy leaves WAL mode, so reading it later leaves no -wal or -shm beside it.
            try copy.execute("PRAGMA journal_mode = DELETE", "making the copy a single file")
        } catch {
            if created { try? FileManager.default.removeItem(atPath: destination) }
            throw StoreError(path: sourcePath, reason: "backup to \(destination) failed: \(describe(error))")
        }
        chmod(destination, 0o600)
        return try integrityCheck(of: destination)
    }

    /// `PRAGMA integrity_check` of the store file at `path` ("ok" when sound), read-only.
    public static func integrityCheck(of path: String) throws -> String {
        do {
            let db = try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: 5)
            let answer = try db.all("PRAGMA integrity_check", "checking the file's integrity") { $0.text(0) }
            let tables = try db.one("SELECT COUNT(*) FROM sqlite_master WHERE name = 'meta'", "looking for the meta table") { $0.int(0) }
            guard tables == 1 else { return "not a churn metrics store (no meta table)" }
            return answer.joined(separator: "; ")
        } catch {
            throw StoreError(path: path, reason: describe(error))
        }
    }
}
