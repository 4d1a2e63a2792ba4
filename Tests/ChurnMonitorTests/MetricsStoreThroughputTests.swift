import ChurnModel
import Foundation
import GRDB
import Testing
@testable import ChurnMonitor

/// A busy server's flush: tens of thousands of new customers in one transaction, written through one prepared
/// upsert. How fast it is lives in docs/reliability.md (the soak, and the time this test prints); what is
/// asserted here is that a flush that size keeps every customer, once, with its latest prediction.
@Suite("Metrics store, busy flushes")
struct MetricsStoreThroughputTests {
    static func batch(_ ids: Range<Int>, prefix: String, probability: Double, risk: RiskLevel, at: Date) -> StoreBatch {
        var predictions: [String: LoggedPrediction] = [:]
        for i in ids {
            predictions["\(prefix)-\(i)"] = LoggedPrediction(probability: probability, predicted: probability >= 0.5,
                                                             risk: risk, modelVersion: "logistic-x", at: at)
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

        let db = try DatabaseQueue(path: path)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM predictions") } == 120_000)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(DISTINCT customer_id) FROM predictions") } == 120_000)
        #expect(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM predictions WHERE risk = 'high'") } == 30_000)
        #expect(try store.prediction(for: "R0-29999")?.probability == 0.9)
        #expect(try store.prediction(for: "R0-29999")?.at == t1)
        #expect(try store.prediction(for: "R0-30000")?.probability == 0.2)
        #expect(try store.prediction(for: "R1-59999")?.risk == .low)
        #expect(try MetricsStore(readingAt: path).integrityCheck() == "ok")
    }
}
