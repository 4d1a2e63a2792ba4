import Foundation
import Testing
@testable import ChurnMonitor

/// The store's SQLite layer on real files: transactions all or nothing, errors that say what failed and where,
/// readers that see one committed state and do not hold up the writer, and typed values that round-trip.
@Suite("SQLite wrapper")
struct SQLiteWrapperTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "churn-sqlite-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func walPool(_ path: String) throws -> SQLitePool {
        try SQLitePool(path: path, readOnly: false, busyTimeout: 5) { db in
            _ = try db.one("PRAGMA journal_mode = WAL", "test") { $0.text(0) }
            try db.execute("CREATE TABLE IF NOT EXISTS t (k TEXT PRIMARY KEY, n INTEGER, x REAL, flag INTEGER)", "test")
        }
    }

    @Test("a transaction that throws leaves nothing behind; one that returns is committed")
    func transactions() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pool = try walPool(dir + "/t.sqlite")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try pool.write("test") { db in
                try db.run("INSERT INTO t (k, n) VALUES (?, ?)", "test", "a", 1)
                throw Boom()
            }
        }
        try pool.write("test") { db in try db.run("INSERT INTO t (k, n) VALUES (?, ?)", "test", "b", 2) }
        let keys = try pool.read("test") { db in try db.all("SELECT k FROM t ORDER BY k", "test") { $0.text(0) } }
        #expect(keys == ["b"])
        // The writer is usable again after the rollback (no transaction left open).
        try pool.write("test") { db in try db.run("INSERT INTO t (k, n) VALUES (?, ?)", "test", "c", 3) }
    }

    @Test("errors carry SQLite's message, its code and what the SQL was for")
    func errors() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pool = try walPool(dir + "/t.sqlite")
        let syntax = #expect(throws: SQLiteError.self) {
            try pool.write("test") { db in try db.run("INSERT INTO nowhere VALUES (?)", "storing a thing", 1) }
        }
        #expect(syntax?.message == "no such table: nowhere")
        #expect(syntax?.purpose == "storing a thing")
        #expect(syntax?.code == 1)
        try pool.write("test") { db in try db.run("INSERT INTO t (k) VALUES (?)", "test", "dup") }
        let unique = #expect(throws: SQLiteError.self) {
            try pool.write("test") { db in try db.run("INSERT INTO t (k) VALUES (?)", "adding a key", "dup") }
        }
        // SQLITE_CONSTRAINT_PRIMARYKEY: the extended code, not just SQLITE_CONSTRAINT.
        #expect(unique?.code == 1555)
        #expect(unique?.description.contains("UNIQUE constraint failed: t.k (adding a key") == true)
        // Not a database at all.
        let junk = dir + "/junk.sqlite"
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: junk))
        let notDB = #expect(throws: SQLiteError.self) { _ = try SQLiteConnection(path: junk, mode: .readOnly, busyTimeout: 1) }
        #expect(notDB?.message == "file is not a database")
        #expect(notDB?.code == 26)
    }

    @Test("a reader keeps its snapshot while the writer commits, and the writer never waits for it")
    func readersDoNotBlockTheWriter() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pool = try walPool(dir + "/t.sqlite")
        try pool.write("test") { db in try db.run("INSERT INTO t (k, n) VALUES (?, ?)", "test", "a", 1) }
        let (before, during) = try pool.read("test") { db in
            let before = try db.one("SELECT COUNT(*) FROM t", "test") { $0.int(0) }
            // A write from inside the read transaction: it would deadlock or fail with SQLITE_BUSY if readers
            // blocked the writer.
            try pool.write("test") { db in try db.run("INSERT INTO t (k, n) VALUES (?, ?)", "test", "b", 2) }
            let during = try db.one("SELECT COUNT(*) FROM t", "test") { $0.int(0) }
            return (before, during)
        }
        #expect(before == 1 && during == 1)
        #expect(try pool.read("test") { db in try db.one("SELECT COUNT(*) FROM t", "test") { $0.int(0) } } == 2)
        // A read-only pool of the same file sees the commit, and cannot write.
        let reader = try SQLitePool(path: dir + "/t.sqlite", readOnly: true, busyTimeout: 5)
        #expect(try reader.read("test") { db in try db.one("SELECT COUNT(*) FROM t", "test") { $0.int(0) } } == 2)
        #expect(throws: SQLiteError.self) { try reader.write("test") { db in try db.execute("DELETE FROM t", "test") } }
    }

    @Test("integers, doubles, booleans, text (empty and non-ASCII) and NULL round-trip")
    func values() throws {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pool = try walPool(dir + "/t.sqlite")
        let rows: [(String, Int?, Double?, Bool)] = [("", Int.max, -0.5, true), ("Zoë 日本", nil, nil, false), ("x", -7, 1e-300, true)]
        try pool.write("test") { db in
            for r in rows { try db.run("INSERT INTO t (k, n, x, flag) VALUES (?, ?, ?, ?)", "test", r.0, r.1, r.2, r.3) }
        }
        let back = try pool.read("test") { db in
            try db.all("SELECT k, n, x, flag, typeof(k) FROM t ORDER BY rowid", "test") {
                ($0.text(0), $0.optionalInt(1), $0.optionalDouble(2), $0.bool(3), $0.text(4))
            }
        }
        #expect(back.map(\.0) == rows.map(\.0))
        #expect(back.map(\.1) == rows.map(\.1))
        #expect(back.map(\.2) == rows.map(\.2))
        #expect(back.map(\.3) == rows.map(\.3))
        // The empty string is stored as text, not NULL.
        #expect(back.map(\.4) == ["text", "text", "text"])
    }
}
