import ChurnDashboard
import ChurnMonitor
import Foundation
import Testing

@Suite("Status line, freshness, tab bar, too-small screen")
struct StatusRenderTests {
    @Test("fresh data shows LIVE with the source and no STALE mark")
    func live() {
        let g = Fixtures.render(Fixtures.state(now: Fixtures.t0.addingTimeInterval(2)))
        #expect(g.row(22).contains("LIVE"))
        #expect(g.row(22).contains("api http://127.0.0.1:8000"))
        #expect(!g.text.contains("STALE"))
        #expect(!g.cells.contains { $0.style.isDim && $0.scalar == "2" && false })
    }

    @Test("after the stale timeout the status line says STALE since the last fresh data, and numbers dim",
          arguments: Fixtures.looks)
    func stale(_ look: (Charset, ColorMode)) {
        var s = Fixtures.state(charset: look.0, color: look.1)
        s = DashboardUpdate.update(s, .snapshot(.failure(SourceFailure("cannot reach http://x: connection refused")),
                                                at: Fixtures.t0.addingTimeInterval(1))).state
        // Within the timeout (3 intervals, at least 3 s) the numbers are still live.
        s = DashboardUpdate.update(s, .tick(Fixtures.t0.addingTimeInterval(3))).state
        #expect(!Fixtures.render(s).text.contains("STALE"))
        s = DashboardUpdate.update(s, .tick(Fixtures.t0.addingTimeInterval(4))).state
        let g = Fixtures.render(s)
        #expect(g.row(22).contains("STALE since 10:00:00"))
        #expect(g.row(22).contains("connection refused"))
        #expect(g.row(0).contains("STALE"))
        #expect(g.style(of: "STALE since")?.isReverse == true)
        // A body cell holding a number is dim.
        let p = g.find("25.0")!
        #expect(g[p.x, p.y].style.isDim)
    }

    @Test("a source that answers with the same old snapshot goes stale too")
    func frozenSource() {
        var s = Fixtures.state()
        for i in 1...6 {
            s = DashboardUpdate.update(s, .snapshot(.success(Fixtures.snapshot()), at: Fixtures.t0.addingTimeInterval(Double(i)))).state
        }
        s = DashboardUpdate.update(s, .tick(Fixtures.t0.addingTimeInterval(6))).state
        #expect(s.freshness == .stale(since: Fixtures.t0, error: nil))
        #expect(Fixtures.render(s).text.contains("STALE since 10:00:00"))
    }

    @Test("paused shows PAUSED, not STALE")
    func paused() {
        var s = Fixtures.state()
        s = DashboardUpdate.update(s, .key(.char("p"))).state
        s = DashboardUpdate.update(s, .tick(Fixtures.t0.addingTimeInterval(60))).state
        let g = Fixtures.render(s)
        #expect(g.row(22).contains("PAUSED since 10:00:00"))
        #expect(!g.text.contains("STALE"))
    }

    @Test("before the first snapshot the panels say so instead of showing zeros")
    func waiting() {
        var s = DashboardState(config: Fixtures.config(), width: 80, height: 24, now: Fixtures.t0)
        s = DashboardUpdate.update(s, .snapshot(.failure(SourceFailure("connection refused")), at: Fixtures.t0)).state
        let g = Fixtures.render(s)
        #expect(g.text.contains("No data yet"))
        #expect(g.text.contains("connection refused"))
        #expect(!g.text.contains("req/s"))
    }

    @Test("the current tab is marked by brackets, not only by attributes", arguments: Panel.allCases)
    func currentTab(_ panel: Panel) {
        let g = Fixtures.render(Fixtures.state(panel: panel, color: .mono))
        #expect(g.row(0).contains("[\(panel.rawValue) \(panel.title)]"))
        #expect(g.row(0).contains("10:00:00"))
    }

    @Test("below the minimum size a too-small screen replaces the panels", arguments: [(60, 15), (69, 24), (80, 19), (20, 5)])
    func tooSmall(_ size: (Int, Int)) {
        let g = Fixtures.render(Fixtures.state(width: size.0, height: size.1))
        #expect(g.text.contains("too small") || g.text.contains("Terminal"))
        #expect(!g.text.contains("Overview"))
    }

    @Test("at exactly the minimum size the panels are drawn")
    func minimum() {
        let g = Fixtures.render(Fixtures.state(width: DashboardConfig.minimumWidth, height: DashboardConfig.minimumHeight))
        #expect(!g.text.contains("too small"))
        #expect(g.text.contains("Requests"))
    }

    @Test("the key bar shows the keys that work where you are")
    func keyBar() {
        #expect(Fixtures.render(Fixtures.state(panel: .overview)).row(23).contains("q quit"))
        #expect(Fixtures.render(Fixtures.state(panel: .drift)).row(23).contains("/ filter"))
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .running(Fixtures.plan, nil)
        #expect(Fixtures.render(s).row(23).contains("Esc cancel"))
        s = DashboardUpdate.update(Fixtures.state(panel: .drift), .key(.char("/"))).state
        #expect(Fixtures.render(s).row(23).contains("Filter:"))
    }

    @Test("the help overlay lists the keys")
    func help() {
        let s = DashboardUpdate.update(Fixtures.state(), .key(.char("?"))).state
        let g = Fixtures.render(s)
        #expect(g.text.contains("Keys"))
        #expect(g.text.contains("pause/resume polling"))
    }
}
