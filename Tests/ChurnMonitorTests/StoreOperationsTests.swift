import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

/// One writer per store, space given back after retention, consistent copies of a store being written, and a
/// prediction log that stays bounded when the store cannot keep up.
@Suite("Metrics store operations")
struct StoreOperationsTests {
    func tempPath() -> String { NSTemporaryDirectory() + "churn-store-ops-\(UUID().uuidString)/m.sqlite" }
    func cleanup(_ path: String) { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }

    @Test("a second writer is refused with the holder's pid; readers still open; the lock goes with the writer")
    func oneWriter() throws {
        let path = tempPath()
        defer { cleanup(path) }
        do {
            let writer = try MetricsStore(path: path)
            let error = #expect(throws: StoreError.self) { _ = try MetricsStore(path: path) }
            #expect(error?.reason.contains("holds this store for writing") == true)
            #expect(error?.reason.contains("pid \(ProcessInfo.processInfo.processIdentifier)") == true)
            #expect(StoreLock.heldBy(storePath: path).held)
            #expect(try MetricsStore(readingAt: path).integrityCheck() == "ok")
            withExtendedLifetime(writer) {}
        }
        #expect(!StoreLock.heldBy(storePath: path).held)
        _ = try MetricsStore(path: path)
    }

    @Test("new stores are owner-only and use incremental auto-vacuum; retention gives freed pages back")
    func reclaimsSpace() throws {
        let path = tempPath()
        defer { cleanup(path) }
        var retention = StoreRetention()
        retention.coarseSeconds = 3600
        let store = try MetricsStore(path: path, retention: retention)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int ?? 0) & 0o777
        #expect(mode == 0o600)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        // Customer i logged at t0 + i/10 s.
        try store.write(MetricsStoreThroughputTests.batch(0..<20_000, prefix: "customer-with-a-longish-id", probability: 0.3,
                                                          risk: .low, at: t0, spacing: 0.1))
        let full = try store.pageCounts()
        #expect(try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: 5).one("PRAGMA auto_vacuum", "test") { $0.int(0) } == 2)
        // A tenth aged out: under a quarter of the file is free, so the pages stay for the next inserts to reuse.
        try store.retain(now: t0.addingTimeInterval(3800))
        #expect(try store.loggedPredictionCount() == 18_000)
        #expect(try store.pageCounts().pages == full.pages)
        // Later still every row is past the one-hour retention: deleted, and the file shrinks.
        try store.retain(now: t0.addingTimeInterval(7200))
        let after = try store.pageCounts()
        #expect(try store.loggedPredictionCount() == 0)
        #expect(after.free == 0)
        #expect(after.pages * 4 < full.pages, "pages \(full.pages) -> \(after.pages)")
    }

    @Test("backup copies a store a writer holds, consistently, owner-only; it will not overwrite")
    func backupWhileWriting() throws {
        let path = tempPath()
        defer { cleanup(path) }
        let store = try MetricsStore(path: path)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try store.write(MetricsStoreThroughputTests.batch(0..<3000, prefix: "A", probability: 0.7, risk: .high, at: t0))
        let copy = (path as NSString).deletingLastPathComponent + "/copy.sqlite"
        #expect(try MetricsStore.backup(from: path, to: copy) == "ok")
        // One self-contained file: checking it left no WAL beside it.
        #expect(!FileManager.default.fileExists(atPath: copy + "-wal"))
        #expect(try SQLiteConnection(path: copy, mode: .readOnly, busyTimeout: 5).one("PRAGMA journal_mode", "test") { $0.text(0) } == "delete")
        // The writer carries on; the copy is the state at the backup.
        try store.write(MetricsStoreThroughputTests.batch(0..<500, prefix: "B", probability: 0.7, risk: .high, at: t0))
        #expect(try MetricsStore(readingAt: copy).loggedPredictionCount() == 3000)
        #expect(try store.loggedPredictionCount() == 3500)
        let mode = (try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int ?? 0) & 0o777
        #expect(mode == 0o600)
        #expect(throws: StoreError.self) { _ = try MetricsStore.backup(from: path, to: copy) }
        let notStore = (path as NSString).deletingLastPathComponent + "/other.sqlite"
        try SQLiteConnection(path: notStore, mode: .readWriteCreate, busyTimeout: 5).execute("CREATE TABLE t (x)", "test")
        #expect(try MetricsStore.integrityCheck(of: notStore).contains("not a churn metrics store"))
    }

    @Test("the pending prediction log stops at its cap: further new customers are counted as dropped, known ones update")
    func pendingCap() throws {
        let path = tempPath()
        defer { cleanup(path) }
        var config = ServiceMonitor.Configuration()
        config.maxPendingPredictions = 10
        let monitor = try ServiceMonitor(engine: ScoringEngine(artifact: ModelArtifact.bundledDefault()),
                                         store: MetricsStore(path: path), configuration: config)
        func event(_ id: String, _ p: Double) -> PredictionEvent { PredictionEvent(customerID: id, probability: p, risk: .low, bins: []) }
        monitor.recordPredictions((0..<15).map { event("c\($0)", 0.1) })
        #expect(monitor.pendingPredictionCount == 10)
        #expect(monitor.droppedPredictions == 5)
        // A customer already waiting is updated in place, not dropped.
        monitor.recordPredictions([event("c3", 0.9)])
        #expect(monitor.droppedPredictions == 5)
        #expect(monitor.newlyDroppedPredictions() == 5)
        #expect(monitor.newlyDroppedPredictions() == 0)
        #expect(monitor.prometheusText().contains("churn_prediction_log_dropped_total 5"))
        try monitor.flush()
        #expect(monitor.pendingPredictionCount == 0)
        #expect(try monitor.store?.loggedPredictionCount() == 10)
        #expect(try monitor.store?.prediction(for: "c3")?.probability == 0.9)
        #expect(try monitor.store?.prediction(for: "c12") == nil)
        // Room again after the flush.
        monitor.recordPredictions([event("c12", 0.2)])
        #expect(monitor.pendingPredictionCount == 1 && monitor.droppedPredictions == 5)
    }
}
