import ChurnDashboard
@testable import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// Time ranges in the console: resampling to the chart's width, the `t` key, and charts that fill their tiles.
@Suite("Console time ranges")
struct RangeConsoleTests {
    typealias U = DashboardUpdate

    @Test("resampling merges many points per column (mean or max) and stretches few; gaps stay gaps")
    func resample() {
        #expect(Resample.fit([1, 3, 5, 7], to: 2) == [2, 6])
        #expect(Resample.fit([1, 3, 5, 7], to: 2, merge: .max) == [3, 7])
        #expect(Resample.fit([1, 2], to: 4) == [1, 1, 2, 2])
        #expect(Resample.fit([nil, nil, 4, nil], to: 2) == [nil, 4])
        #expect(Resample.fit([], to: 5).isEmpty)
        #expect(Resample.fit((0..<144).map { Double($0) }, to: 62).count == 62)
        let stretched = Resample.fit((0..<90).map { Double($0) }, to: 250)
        #expect(stretched.count == 250 && stretched.first == 0 && stretched.last == 89)
    }

    /// A snapshot whose histories cover `range` with every point above zero.
    func snapshot(_ range: HistoryRange) -> MonitorSnapshot {
        var snap = Fixtures.snapshot()
        let n = range.points
        var h = History(step: range.step, requestRate: (0..<n).map { 5 + Double($0 % 24) }, p95: (0..<n).map { _ in 0.03 },
                        p99: (0..<n).map { _ in 0.1 }, errorRate: (0..<n).map { _ in 0.01 }, driftScore: (0..<n).map { _ in 0.2 })
        h.highRiskShare = (0..<n).map { _ in 0.1 }
        h.range = range.label
        snap.history = h
        return snap
    }

    func state(_ range: HistoryRange, width: Int, height: Int, charset: Charset = .utf8) -> DashboardState {
        var s = DashboardState(config: Fixtures.config(charset: charset), width: width, height: height, now: Fixtures.t0)
        s.range = range
        s = U.start(s).state
        return U.update(s, .snapshot(.success(snapshot(range)), at: Fixtures.t0)).state
    }

    /// The chart row just above an axis line, between the axis' start label and "now", for every axis on screen.
    func chartRowsAboveAxes(_ g: CellGrid, start: String) -> [String] {
        var out: [String] = []
        for y in 1..<g.height {
            let row = Array(g.row(y).unicodeScalars)
            var x = 0
            while x + start.unicodeScalars.count <= row.count {
                let found = String(String.UnicodeScalarView(row[x..<(x + start.unicodeScalars.count)])) == start
                if found, let end = (x..<(row.count - 2)).first(where: { String(String.UnicodeScalarView(row[$0..<($0 + 3)])) == "now" }) {
                    let above = Array(g.row(y - 1).unicodeScalars)
                    out.append(String(String.UnicodeScalarView(above[x..<(end + 3)])))
                    x = end + 3
                } else {
                    x += 1
                }
            }
        }
        return out
    }

    @Test("at 132x43 on 24h the histories fill their tiles' width, with the range's start, now, min and max marked",
          arguments: [Charset.utf8, .ascii])
    func fillsWidth(_ charset: Charset) {
        let g = DashboardView.render(state(.hours24, width: 132, height: 43, charset: charset))
        let rows = chartRowsAboveAxes(g, start: "-24h")
        #expect(rows.count >= 4, "request rate, p99, error rate, drift (and high-risk share) have charts:\n\(g.text)")
        for r in rows {
            #expect(r.count >= 25)
            #expect(!r.contains(" "), "every column of the chart drawn: '\(r)'")
        }
        #expect(g.text.contains("min 5.0 max 28.0") || g.text.contains("max 28.0"), "\(g.text)")
        #expect(g.row(0).contains("range 24h"), "the range in the header")
    }

    @Test("at 80x24 the charts still span their tiles and the key bar offers the range key")
    func small() {
        let g = DashboardView.render(state(.days7, width: 80, height: 24))
        #expect(chartRowsAboveAxes(g, start: "-7d").allSatisfy { !$0.contains(" ") })
        #expect(g.row(23).contains("t range 7d"))
    }

    @Test("t cycles the range and polls for it at once; T goes back")
    func key() {
        var s = Fixtures.state()
        #expect(s.range == .live)
        var (next, e) = U.update(s, .key(.char("t")))
        #expect(next.range == .minutes15)
        #expect(e == [.poll])
        (next, e) = U.update(next, .key(.char("T")))
        #expect(next.range == .live)
        #expect(e.isEmpty, "a poll is already on its way")
        s = U.update(Fixtures.state(), .key(.char("T"))).state
        #expect(s.range == .days7)
    }

    @Test("a range change while a poll is on its way polls once more when it lands, not again after")
    func repoll() {
        var s = Fixtures.state()
        s = U.update(s, .tick(Fixtures.t0.addingTimeInterval(1))).state
        #expect(s.poll.inFlight)
        let (changed, e) = U.update(s, .key(.char("t")))
        #expect(e.isEmpty)
        let (landed, again) = U.update(changed, .snapshot(.success(Fixtures.snapshot()), at: Fixtures.t0.addingTimeInterval(1.1)))
        #expect(again == [.poll])
        let (_, after) = U.update(landed, .snapshot(.success(Fixtures.snapshot()), at: Fixtures.t0.addingTimeInterval(1.2)))
        #expect(after.isEmpty, "a source that only knows live does not make the console poll in a loop")
    }

    @Test("the help overlay lists the range key")
    func help() {
        let s = U.update(Fixtures.state(), .key(.char("?"))).state
        #expect(DashboardView.render(s).text.contains("time range: live 15m 1h 6h 24h 7d"))
    }
}
