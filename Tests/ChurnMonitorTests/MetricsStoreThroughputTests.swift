import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

/// A busy server's flush: tens of thousands of new customers in one transaction, written through one prepared
/// upsert. How fast it is lives in docs/reliability.md (the soak, and the time this test prints); what is
/// asserted here is that a flush that size keeps every customer, once, with its latest prediction.
@Suite("Metrics store, busy flushes")
struct MetricsStoreThroughputTests {
    /// Customers `prefix-i`; with a spacing, customer i is logged `i * spacing` seconds after `at` (so "oldest" is
    /// well defined).
    static func batch(_ ids: Range<Int>, prefix: String, probability: Double, risk: RiskLevel, at: Date,
                      spacing: Double = 0) -> StoreBatch {
        var predictions: [String: LoggedPrediction] = [:]
        for i in ids {
            predictions["\(prefix)-\(i)"] = LoggedPrediction(probability: probability, predicted: probability >= 0.5,
                                                             risk: risk, modelVersion: "logistic-x",
                                                             at: at.addingTimeInterval(Double(i) * spacing))
        }
        return StoreBatch(intervals: [:], predictions: predictions, outcomes: [], alerts: [], transitions: [],
                          residentBytes: nil, cpuSeconds: nil, at: at)
    }

    @Test("flushes of 60,000 new customers keep each one once; a customer seen again keeps the latest prediction")
    func busyFlush() throws {
        let path = NSTemporaryDirectory() + "churn-store-\(UUID().uuidString)/m.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        try store.write(Self.batch(0..<60_000, prefix: "R0", probability: 0.2, risk: .low, at: t0))
        let start = ContinuousClock.now
        try store.write(Self.batch(0..<60_000, prefix: "R1", probability: 0.2, risk: .low, at: t0))
        print("store: 60,000 new customers flushed in \(String(format: "%.2f", (ContinuousClock.now - start).inSeconds)) s")
        // Half of the first round again, now scored high: updated in place, not added.
        let t1 = t0.addingTimeInterval(5)
        try store.write(Self.batch(0..<30_000, prefix: "R0", probability: 0.9, risk: .high, at: t1))

        let db = try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: 5)
        func count(_ sql: String) throws -> Int? { try db.one(sql, "counting") { $0.int(0) } }
        #expect(try count("SELECT COUNT(*) FROM predictions") == 120_000)
        #expect(try count("SELECT COUNT(DISTINCT customer_id) FROM predictions") == 120_000)
        #expect(try count("SELECT COUNT(*) FROM predictions WHERE risk = 'high'") == 30_000)
        #expect(try store.prediction(for: "R0-29999")?.probability == 0.9)
        #expect(try store.prediction(for: "R0-29999")?.at == t1)
        #expect(try store.prediction(for: "R0-30000")?.probability == 0.2)
        #expect(try store.prediction(for: "R1-59999")?.risk == .low)
        #expect(try MetricsStore(readingAt: path).integrityCheck() == "ok")
    }

    @Test("each flush keeps the prediction log within its cap, oldest first; updates add nothing; a reopened store recounts")
    func capPerFlush() throws {
        let path = NSTemporaryDirectory() + "churn-store-\(UUID().uuidString)/m.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        var retention = StoreRetention()
        retention.maxPredictions = 1000
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        func count(_ sql: String = "SELECT COUNT(*) FROM predictions") throws -> Int? {
            try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: 5).one(sql, "counting") { $0.int(0) }
        }
        do {
            let store = try MetricsStore(path: path, retention: retention)
            try store.write(Self.batch(0..<600, prefix: "A", probability: 0.1, risk: .low, at: t0, spacing: 0.001))
            try store.write(Self.batch(0..<600, prefix: "B", probability: 0.1, risk: .low, at: t0.addingTimeInterval(5)))
            #expect(try count() == 1000)
            // The 200 oldest went: A-0 to A-199.
            #expect(try count("SELECT COUNT(*) FROM predictions WHERE customer_id LIKE 'A-%'") == 400)
            #expect(try store.prediction(for: "A-199") == nil)
            #expect(try store.prediction(for: "A-200") != nil)
            // Customers seen again are updated, not added: nothing more to trim, and they are now the newest.
            try store.write(Self.batch(500..<600, prefix: "A", probability: 0.9, risk: .high, at: t0.addingTimeInterval(10)))
            #expect(try count() == 1000)
            try store.write(Self.batch(0..<100, prefix: "C", probability: 0.1, risk: .low, at: t0.addingTimeInterval(15)))
            #expect(try count() == 1000)
            // The 100 new ones pushed out the next 100 oldest, A-200 to A-299; A-599, updated, stays.
            #expect(try store.prediction(for: "A-599")?.risk == .high)
            #expect(try store.prediction(for: "A-299") == nil)
            #expect(try store.prediction(for: "A-300") != nil)
        }
        // A new process does not know the count: its first flush counts, then trims.
        retention.maxPredictions = 900
        let reopened = try MetricsStore(path: path, retention: retention)
        try reopened.write(Self.batch(0..<10, prefix: "D", probability: 0.1, risk: .low, at: t0.addingTimeInterval(20)))
        #expect(try count() == 900)
        #expect(try reopened.prediction(for: "D-9") != nil)
        #expect(try reopened.integrityCheck() == "ok")
    }
}
