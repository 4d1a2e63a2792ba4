@testable import ChurnMonitor
import ChurnModel
import Foundation
import Testing

/// Range histories read from a real SQLite store, as `churn serve --store` writes it and any reader reads it.
@Suite("Metrics store ranges")
struct MetricsStoreRangeTests {
    func tempPath() -> String { NSTemporaryDirectory() + "churn-range-\(UUID().uuidString)/m.sqlite" }

    func stats(requests: Int, errors: Int = 0, high: Int = 0) -> IntervalStats {
        var s = IntervalStats()
        s.requests = requests
        s.errors = errors
        s.risk = [requests - high, 0, high]
        for _ in 0..<requests { s.latency.record(0.003) }
        return s
    }

    func flush(_ store: MetricsStore, _ intervals: [Int: IntervalStats], at second: Int) throws {
        try store.write(StoreBatch(intervals: intervals, predictions: [:], outcomes: [], alerts: [], transitions: [],
                                   residentBytes: nil, cpuSeconds: nil, at: Date(timeIntervalSince1970: Double(second))))
    }

    @Test("1h: 180 points of 20 s from the 10-second intervals, as of the writer's last flush")
    func hour() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let now = 1_800_000_000 // a multiple of 20
        // 10 requests in each 10-second interval of the last half hour, 2 of them errors and 5 high risk.
        var intervals: [Int: IntervalStats] = [:]
        for k in 1...180 { intervals[now - k * 10] = stats(requests: 10, errors: 2, high: 5) }
        try flush(store, intervals, at: now)
        let h = try MetricsStore(readingAt: path).history(range: .hour1, now: Date(timeIntervalSince1970: Double(now + 500)))
        #expect(h.range == "1h" && h.step == 20 && h.requestRate.count == 180)
        #expect(h.end == Date(timeIntervalSince1970: Double(now)), "as of the last flush, not the reader's clock")
        #expect(h.requestRate.suffix(90).allSatisfy { $0 == 1.0 }, "20 requests per 20 s")
        #expect(h.requestRate.prefix(90).allSatisfy { $0 == 0 }, "nothing before the half hour")
        #expect(h.errorRate.last == 0.2)
        #expect(h.highRiskShare?.last == 0.5)
        #expect(h.highRiskShare?.first == .some(nil), "no predictions: a gap, not 0%")
    }

    @Test("7d reads 5-minute intervals and 10-second ones alike, one point per hour")
    func week() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let now = 1_800_000_000 - 1_800_000_000 % 3600
        var coarse: [Int: IntervalStats] = [:]
        // Six days ago: one busy hour of 5-minute intervals (12 × 360 requests).
        for k in 0..<12 { coarse[now - 6 * 86_400 + k * 300] = stats(requests: 360) }
        var fine: [Int: IntervalStats] = [:]
        for k in 1...360 { fine[now - k * 10] = stats(requests: 36) } // the last hour at 10 s
        try store.writeBackfill(fine: fine, coarse: coarse, at: Date(timeIntervalSince1970: Double(now)))
        let h = try store.history(range: .days7, now: Date(timeIntervalSince1970: Double(now)))
        #expect(h.requestRate.count == 168 && h.step == 3600)
        #expect(h.requestRate.last == 3.6)
        let busy = try #require(h.requestRate.firstIndex { $0 > 0 })
        #expect(h.requestRate[busy] == 1.2, "12 × 360 requests in one hour")
        #expect(busy == 167 - 6 * 24 + 1)
        #expect(h.requestRate.filter { $0 > 0 }.count == 2)
    }

    @Test("complete steps are cached: a later call computes new steps only and matches a fresh reader")
    func cache() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let now = 1_800_000_000
        var intervals: [Int: IntervalStats] = [:]
        for k in 1...90 { intervals[now - k * 10] = stats(requests: k) }
        try flush(store, intervals, at: now)
        let first = try store.history(range: .minutes15)
        try flush(store, [now: stats(requests: 50), now + 10: stats(requests: 70)], at: now + 20)
        let second = try store.history(range: .minutes15)
        #expect(Array(second.requestRate.dropLast(2)) == Array(first.requestRate.dropFirst(2)))
        #expect(second.requestRate.suffix(2) == [5.0, 7.0])
        let fresh = try MetricsStore(readingAt: path).history(range: .minutes15)
        #expect(fresh == second)
    }

    @Test("the snapshot of a range carries that range's history; live keeps the last 15 minutes")
    func snapshotRange() throws {
        let path = tempPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let store = try MetricsStore(path: path)
        let now = 1_800_000_000
        try flush(store, [now - 7200: stats(requests: 100), now - 10: stats(requests: 10)], at: now)
        let reader = try MetricsStore(readingAt: path)
        let live = try reader.snapshot()
        #expect(live.history.range == "live" && live.history.requestRate.count == 90)
        #expect(live.history.requestRate.last == 1.0)
        let day = try reader.snapshot(range: .hours24)
        #expect(day.history.range == "24h" && day.history.requestRate.count == 144)
        #expect(day.history.requestRate.filter { $0 > 0 }.count == 2)
        #expect(day.totals.requests == 110, "the rest of the snapshot is the same")
    }
}
