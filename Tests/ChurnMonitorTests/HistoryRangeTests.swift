@testable import ChurnMonitor
import ChurnModel
import Foundation
import Testing

@Suite("History ranges and bucketing")
struct HistoryRangeTests {
    @Test("range names parse (any case, blanks around) and anything else is refused with the list")
    func parse() throws {
        #expect(try HistoryRange.parse("24h") == .hours24)
        #expect(try HistoryRange.parse(" 7D ") == .days7)
        #expect(try HistoryRange.parse("live") == .live)
        let error = #expect(throws: HistoryRangeError.self) { try HistoryRange.parse("2d") }
        #expect(error?.description == "unknown range '2d': use one of live, 15m, 1h, 6h, 24h, 7d")
    }

    @Test("t cycles live → 15m → 1h → 6h → 24h → 7d → live; T goes back")
    func cycle() {
        var r = HistoryRange.live
        var seen: [HistoryRange] = []
        for _ in 0..<6 { r = r.cycled(by: 1); seen.append(r) }
        #expect(seen == [.minutes15, .hour1, .hours6, .hours24, .days7, .live])
        #expect(HistoryRange.live.cycled(by: -1) == .days7)
    }

    @Test("each range covers its span in whole store intervals; 24h and up in whole 5-minute ones")
    func steps() {
        let spans: [HistoryRange: Int] = [.live: 900, .minutes15: 900, .hour1: 3600, .hours6: 21_600, .hours24: 86_400, .days7: 604_800]
        for r in HistoryRange.allCases {
            #expect(r.seconds == spans[r], "\(r)")
            #expect(r.step % 10 == 0)
            if r >= .hours24 { #expect(r.step % 300 == 0, "\(r)") }
            #expect(r.points <= 180, "answers stay small: \(r)")
        }
    }

    @Test("point ends are whole steps, oldest first, the last at or before the time asked")
    func ends() {
        let e = RangeBuckets.ends(range: .hour1, asOf: 1_000_015)
        #expect(e.count == 180)
        #expect(e.last == 1_000_000)
        #expect(e.first == 1_000_000 - 179 * 20)
        #expect(zip(e, e.dropFirst()).allSatisfy { $1 - $0 == 20 })
    }

    func interval(_ start: Int, requests: Int, errors: Int = 0, high: Int = 0, latency: Double = 0.002, bins: [Int] = []) -> RangeBuckets.Interval {
        var s = IntervalStats()
        s.requests = requests
        s.errors = errors
        for _ in 0..<requests { s.latency.record(latency) }
        s.risk = [requests - high, 0, high]
        s.driftBins = bins
        return (start, 10, s)
    }

    @Test("a step adds up the intervals starting in it: rate, error share, p99 and high-risk share")
    func bucketing() {
        let b = RangeBuckets(step: 20, driftWindow: 20, profile: nil)
        let intervals = [interval(80, requests: 5, high: 1), interval(90, requests: 3, high: 1, latency: 0.3),
                         interval(100, requests: 4, errors: 1), interval(110, requests: 0)]
        let p = b.points(ends: [80, 100, 120], intervals: intervals)
        #expect(p.map(\.end) == [80, 100, 120])
        #expect(p[0].requestRate == 0 && p[0].p99 == nil && p[0].highRiskShare == nil)
        #expect(p[1].requestRate == 8.0 / 20)
        #expect(p[1].highRiskShare == 2.0 / 8)
        #expect((p[1].p99 ?? 0) > 0.2, "the slow interval's 300 ms sets p99")
        #expect(p[2].requestRate == 4.0 / 20 && p[2].errorRate == 0.25)
        #expect((p[2].p99 ?? 1) < 0.01)
    }

    @Test("drift per point is measured on the window before it: shifted bins raise the score, reference-like bins do not")
    func drift() throws {
        let profile = try ModelArtifact.bundledDefault().reference
        let rows = 2000
        var like: [Int] = [], shifted: [Int] = []
        for column in profile.columns {
            var counts = column.proportions.map { Int(($0 * Double(rows)).rounded(.down)) }
            counts[0] += rows - counts.reduce(0, +)
            like += counts
            var all = [Int](repeating: 0, count: column.binCount)
            all[0] = rows // everyone in the first bin
            shifted += all
        }
        let b = RangeBuckets(step: 60, driftWindow: 120, profile: profile)
        let intervals = [interval(0, requests: rows, bins: like), interval(60, requests: rows, bins: like),
                         interval(120, requests: rows, bins: shifted), interval(180, requests: rows, bins: shifted)]
        let p = b.points(ends: [120, 240], intervals: intervals)
        #expect(p[0].driftScore == 0)
        #expect(p[1].driftScore > 0.5)
        // Bins before a model change belong to another profile and are left out.
        let after = RangeBuckets(step: 60, driftWindow: 120, profile: profile, referenceSince: 240)
        #expect(after.points(ends: [240], intervals: intervals)[0].driftScore == 0)
    }
}
