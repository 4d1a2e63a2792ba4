import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

/// The store must take a busy server's flush within the flush interval, or the backlog (and the memory holding
/// it) grows for as long as the load lasts: the soak test saw 100 MB → 500 MB in five minutes before the fix.
@Suite("Metrics store throughput")
struct MetricsStoreThroughputTests {
    @Test("a flush of 60,000 new customers (5 s at 12,000 req/s) takes well under the 5-second flush interval")
    func busyFlush() throws {
        let path = NSTemporaryDirectory() + "churn-store-\(UUID().uuidString)/m.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let at = Date(timeIntervalSince1970: 1_800_000_000)
        func batch(_ round: Int) -> StoreBatch {
            var predictions: [String: LoggedPrediction] = [:]
            for i in 0..<60_000 {
                predictions["R\(round)-\(i)"] = LoggedPrediction(probability: Double(i % 100) / 100, predicted: i % 3 == 0,
                                                                  risk: .low, modelVersion: "logistic-x", at: at)
            }
            return StoreBatch(intervals: [:], predictions: predictions, outcomes: [], alerts: [], transitions: [],
                              residentBytes: nil, cpuSeconds: nil, at: at)
        }
        try store.write(batch(0))  // a table that already holds rows, as on a running server
        let next = batch(1)
        let start = ContinuousClock.now
        try store.write(next)
        let seconds = (ContinuousClock.now - start).inSeconds
        print("store: 60,000 predictions flushed in \(String(format: "%.2f", seconds)) s")
        #expect(seconds < 2.5)
        #expect(try MetricsStore(readingAt: path).integrityCheck() == "ok")
    }
}
