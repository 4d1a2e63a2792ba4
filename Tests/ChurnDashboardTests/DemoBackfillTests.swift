@testable import ChurnDemo
@testable import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// The demo's backfilled history, written into a real store and read back through every range.
@Suite("Demo backfill")
struct DemoBackfillTests {
    let model = try! ModelArtifact.load(path: BatchRootTests.fixtureModel())

    @Test("every range has history with a daily pattern, and the past drift episodes show in the drift series")
    func everyRange() throws {
        let dir = NSTemporaryDirectory() + "churn-demo-backfill-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try MetricsStore(path: dir + "/m.sqlite")
        let now = Date(timeIntervalSince1970: 1_800_003_600)
        let written = try DemoBackfill(model: model).write(into: store, now: now)
        #expect(written > 8000, "a day of 10-second intervals and six more days of 5-minute ones")
        try store.writeModel(model, writerStarted: now)
        for range in HistoryRange.allCases where range != .live {
            let h = try store.history(range: range, now: now)
            #expect(h.requestRate.count == range.points)
            #expect(h.requestRate.filter { $0 > 0 }.count >= range.points - 2, "\(range): points without traffic")
        }
        let week = try store.history(range: .days7, now: now)
        let rates = week.requestRate
        #expect(rates.max()! > 3 * rates.filter { $0 > 0 }.min()!, "busy afternoons, quiet nights")
        #expect(week.driftScore.contains { $0 > 0.3 }, "a past drift episode passes the alert threshold")
        #expect(week.driftScore.filter { $0 > 0.3 }.count < 12, "and only for a few hours")
        #expect(week.highRiskShare?.compactMap { $0 }.count ?? 0 > 160)
    }

    @Test("the backfill draws bins as the demo's customers do: every column counts every row")
    func bins() {
        let b = DemoBackfill(model: model)
        let flat = b.bins(rows: 1234, drift: 0.7)
        var start = 0
        for column in model.reference.columns {
            #expect(flat[start..<(start + column.binCount)].reduce(0, +) == 1234, "\(column.name)")
            start += column.binCount
        }
        #expect(start == flat.count)
    }
}
