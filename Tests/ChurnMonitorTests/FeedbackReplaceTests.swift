import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

/// Live F1 counts one outcome per prediction: a later feedback for the same customer replaces the earlier one,
/// before and after a flush, and across a restart of the store's writer (issue 14, item 9).
@Suite("Feedback: the latest outcome per customer counts")
struct FeedbackReplaceTests {
    static let engine = ModelSwapTests.engine("fb-1")

    @Test("sending the same customer's outcome again, or correcting it, does not count twice (no store)")
    func inMemory() throws {
        let monitor = try ServiceMonitor(engine: Self.engine, store: nil)
        monitor.recordPredictions(ModelSwapTests.events(Self.engine, count: 30, risk: .high, prefix: "c"))
        for i in 0..<30 { _ = try monitor.recordFeedback(customerID: "c\(i)", churned: true) }
        // Resent, then corrected: c0..c9 did not churn after all.
        for i in 0..<30 { _ = try monitor.recordFeedback(customerID: "c\(i)", churned: true) }
        for i in 0..<10 { _ = try monitor.recordFeedback(customerID: "c\(i)", churned: false) }
        let f1 = monitor.snapshot().f1
        #expect(f1.labelled == 30, "one outcome per customer, not \(f1.labelled)")
        // 20 true positives, 10 false positives: precision 2/3, recall 1.
        #expect(abs((f1.value ?? 0) - 0.8) < 1e-9)
        let models = try #require(monitor.snapshot().models)
        #expect(models[0].f1.labelled == 30)
    }

    @Test("a correction after a flush replaces the stored outcome, and a restarted writer counts one per customer")
    func acrossFlushAndRestart() throws {
        let dir = NSTemporaryDirectory() + "churn-fb-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/metrics.sqlite"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        do {
            let monitor = try ServiceMonitor(engine: Self.engine, store: try MetricsStore(path: path), now: now)
            monitor.recordPredictions(ModelSwapTests.events(Self.engine, count: 25, risk: .high, prefix: "c"))
            for i in 0..<25 { _ = try monitor.recordFeedback(customerID: "c\(i)", churned: true, now: now) }
            try monitor.flush(now: now)
            for i in 0..<5 { _ = try monitor.recordFeedback(customerID: "c\(i)", churned: false, now: now + 1) }
            #expect(monitor.snapshot(now: now + 1).f1.labelled == 25)
            try monitor.flush(now: now + 1)
        }
        let restarted = try ServiceMonitor(engine: Self.engine, store: try MetricsStore(path: path), now: now + 2)
        let f1 = restarted.snapshot(now: now + 2).f1
        #expect(f1.labelled == 25)
        #expect(abs((f1.value ?? 0) - 2 * 20.0 / (2 * 20 + 5)) < 1e-9, "20 TP, 5 FP after the corrections")
        let reader = try MetricsStore(readingAt: path).snapshot(now: now + 2)
        #expect(reader.f1.labelled == 25)
    }
}
