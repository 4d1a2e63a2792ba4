import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

/// Stores written before this version open unchanged; a store from a newer churn is not written with an older
/// idea of its tables; a damaged file is a clear error. The fixture is a real store written by `churn serve` when
/// the store still used the GRDB library (10 predictions, 3 feedback outcomes, 14 requests), found from this file.
@Suite("Metrics store compatibility")
struct StoreCompatibilityTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/grdb-store.sqlite").path

    func copyOfFixture() throws -> String {
        let dir = NSTemporaryDirectory() + "churn-store-compat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.fixture, toPath: dir + "/m.sqlite")
        return dir + "/m.sqlite"
    }

    func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }

    func migrations(_ path: String) throws -> [String] {
        try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: 5)
            .all("SELECT identifier FROM grdb_migrations ORDER BY identifier", "test") { $0.text(0) }
    }

    @Test("a store written by the GRDB version reads and writes as it was, with its schema record unchanged")
    func grdbStoreOpens() throws {
        let path = try copyOfFixture()
        defer { cleanup(path) }
        let read = try MetricsStore(readingAt: path)
        let snap = try read.snapshot()
        #expect(snap.totals.requests == 14)
        #expect(snap.model?.version == "logistic-20261128-e18e67bb")
        #expect(snap.f1.labelled == 3)
        #expect(try read.loggedPredictionCount() == 10)
        #expect(try read.outcome(for: "3123-EPQAH")?.churned == true)
        #expect(try read.prediction(for: "0162-UIBPX")?.modelVersion == "logistic-20261128-e18e67bb")

        let writer = try MetricsStore(path: path)
        #expect(try writer.restore().confusion.falseNegatives + writer.restore().confusion.truePositives == 3)
        try writer.write(MetricsStoreThroughputTests.batch(0..<5, prefix: "new", probability: 0.8, risk: .high,
                                                           at: Date(timeIntervalSince1970: 1_900_000_000)))
        #expect(try writer.loggedPredictionCount() == 15)
        #expect(try writer.integrityCheck() == "ok")
        #expect(try migrations(path) == ["v1", "v2-one-outcome-per-customer"])
    }

    @Test("a new store records the same schema steps the GRDB version did, and has the same tables and indexes")
    func newStoreMatchesOldFormat() throws {
        let path = NSTemporaryDirectory() + "churn-store-compat-\(UUID().uuidString)/m.sqlite"
        defer { cleanup(path) }
        _ = try MetricsStore(path: path)
        #expect(try migrations(path) == ["v1", "v2-one-outcome-per-customer"])
        func schema(_ p: String) throws -> [String] {
            try SQLiteConnection(path: p, mode: .readOnly, busyTimeout: 5)
                .all("SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master ORDER BY name", "test") { $0.text(0) }
        }
        // A copy: opening the fixture itself (a WAL database) would leave -wal and -shm files beside it.
        let old = try copyOfFixture()
        defer { cleanup(old) }
        #expect(try schema(path) == schema(old))
    }

    @Test("a store with a schema step this churn does not know is refused for writing, naming it; it still reads")
    func newerSchema() throws {
        let path = try copyOfFixture()
        defer { cleanup(path) }
        try SQLiteConnection(path: path, mode: .readWrite, busyTimeout: 5)
            .execute("INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')", "test")
        let error = #expect(throws: StoreError.self) { _ = try MetricsStore(path: path) }
        #expect(error?.reason.contains("schema is newer than this churn knows (v9-from-the-future)") == true, "\(String(describing: error))")
        #expect(try MetricsStore(readingAt: path).loggedPredictionCount() == 10)
    }

    @Test("a file that is not a SQLite database is refused by writer, reader and restore's check, in SQLite's words")
    func corruptStore() throws {
        let dir = NSTemporaryDirectory() + "churn-store-compat-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/m.sqlite"
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 * 7) }).write(to: URL(fileURLWithPath: path))
        for open in [{ _ = try MetricsStore(path: path) }, { _ = try MetricsStore(readingAt: path) },
                     { _ = try MetricsStore.integrityCheck(of: path) }] as [() throws -> Void] {
            let error = #expect(throws: StoreError.self) { try open() }
            #expect(error?.description.hasPrefix("metrics store \(path): file is not a database") == true, "\(String(describing: error))")
        }
        let backup = #expect(throws: StoreError.self) { _ = try MetricsStore.backup(from: path, to: dir + "/copy.sqlite") }
        #expect(backup?.reason.hasPrefix("backup to \(dir)/copy.sqlite failed: file is not a database") == true)
        // A failed backup leaves no half-made copy.
        #expect(!FileManager.default.fileExists(atPath: dir + "/copy.sqlite"))
    }
}
