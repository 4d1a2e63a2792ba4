import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

@Suite("Metrics store")
struct MetricsStoreTests {
    func tempPath() -> String { NSTemporaryDirectory() + "churn-store-\(UUID().uuidString)/m.sqlite" }

    func batch(at start: Int, requests: Int, errors: Int = 0) -> StoreBatch {
        var stats = IntervalStats()
        stats.requests = requests
        stats.errors = errors
        stats.risk = [requests, 0, 0]
        for _ in 0..<requests { stats.latency.record(0.002) }
        stats.routes = ["POST /predict 200": requests - errors, "POST /predict 500": errors].filter { $0.value > 0 }
        return StoreBatch(intervals: [start: stats], predictions: [:], outcomes: [], alerts: [], transitions: [],
                          residentBytes: 1, cpuSeconds: 1, at: Date(timeIntervalSince1970: Double(start + 9)))
    }

    @Test("deltas of the same interval add up across flushes and restarts")
    func deltasAdd() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            // One writer at a time: this one lets go of the store before the next opens it.
            let store = try MetricsStore(path: path)
            try store.write(batch(at: 1_800_000_000, requests: 3))
            try store.write(batch(at: 1_800_000_000, requests: 4, errors: 1))
        }
        let again = try MetricsStore(path: path)
        try again.write(batch(at: 1_800_000_010, requests: 2))
        let snap = try MetricsStore(readingAt: path).snapshot(now: Date(timeIntervalSince1970: 1_800_000_020))
        #expect(snap.totals.requests == 9)
        #expect(snap.totals.errors == 1)
        #expect(snap.totals.byRisk["low"] == 9)
    }

    @Test("retention merges old 10-second intervals into 5-minute ones, keeping totals, and deletes expired data")
    func retention() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var retention = StoreRetention()
        retention.fineSeconds = 3600
        retention.coarseSeconds = 7200
        let store = try MetricsStore(path: path, retention: retention)
        let base = 1_800_000_000 - 1_800_000_000 % 300
        for k in 0..<60 { try store.write(batch(at: base + k * 10, requests: 1)) }      // 10 minutes of data
        try store.write(batch(at: base - 3 * 3600, requests: 100))                       // older than the coarse retention
        let now = Date(timeIntervalSince1970: Double(base + 2 * 3600))
        try store.retain(now: now)
        let rows = try store.pool.read("reading intervals") { db in
            try db.all("SELECT resolution, start, requests FROM intervals ORDER BY start", "reading intervals") { ($0.int(0), $0.int(2)) }
        }
        #expect(rows.map(\.0) == [300, 300])
        #expect(rows.map(\.1) == [30, 30])
        #expect(try store.integrityCheck() == "ok")
    }

    @Test("the store reader computes windows, drift and F1 from what the writer flushed")
    func readerSnapshot() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let now = 1_800_000_000
        try store.write(batch(at: now - 30, requests: 10, errors: 2))
        try store.write(batch(at: now - 200, requests: 20))
        var b = batch(at: now - 10, requests: 0)
        b.outcomes = (0..<25).map { i in
            StoredOutcome(customerID: "c\(i)", churned: i % 2 == 0, predicted: i % 4 == 0, probability: 0.5, modelVersion: "v", at: Date())
        }
        try store.write(b)
        let snap = try MetricsStore(readingAt: path).snapshot(now: Date(timeIntervalSince1970: Double(now)))
        let oneMinute = try #require(snap.window(60))
        #expect(oneMinute.requests == 10 && oneMinute.errors == 2)
        #expect(abs(oneMinute.errorRate - 0.2) < 1e-12)
        #expect(snap.window(300)?.requests == 30)
        #expect(snap.f1.labelled == 25)
        // predicted: i % 4 == 0 (7 rows, all churned); churned: 13 rows → tp 7, fp 0, fn 6.
        #expect(abs((snap.f1.value ?? 0) - 14.0 / 20.0) < 1e-12)
        #expect(snap.history.requestRate.count == 90)
    }

    @Test("a missing store is a clear error for a reader")
    func missing() {
        #expect(throws: StoreError.self) { _ = try MetricsStore(readingAt: "/nonexistent/dir/m.sqlite") }
    }
}
