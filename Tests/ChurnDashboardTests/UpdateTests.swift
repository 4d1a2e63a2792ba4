import ChurnDashboard
@testable import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// The update function as a specification: each key, tick and answer, and what it leads to.
@Suite("Update function")
struct UpdateTests {
    typealias U = DashboardUpdate


    @Test("start polls at once and lists the batch root")
    func start() {
        let (s, e) = U.start(DashboardState(config: Fixtures.config(), width: 80, height: 24, now: Fixtures.t0))
        #expect(e == [.poll, .listDirectory("")])
        #expect(s.poll.inFlight)
    }

    @Test("1-5, Tab and Shift-Tab switch panels")
    func panels() {
        let s = Fixtures.state()
        #expect(press(s, .char("3")).0.panel == .model)
        #expect(press(s, .char("5")).0.panel == .batch)
        #expect(press(s, .char("9")).0.panel == .overview)
        #expect(press(s, .tab).0.panel == .drift)
        #expect(press(s, .backTab).0.panel == .batch)
        #expect(press(s, .tab, .tab, .tab, .tab, .tab).0.panel == .overview)
    }

    @Test("q quits at once when nothing is running")
    func quit() {
        let (s, e) = press(Fixtures.state(), .char("q"))
        #expect(s.quitting)
        #expect(e == [.quit])
    }

    @Test("q asks first while a batch runs; n stays, y cancels the batch and quits")
    func quitWhileBatch() {
        var s = Fixtures.state(panel: .overview)
        s.batch.phase = .running(Fixtures.plan, nil)
        let (asked, e1) = press(s, .char("q"))
        #expect(!asked.quitting && e1.isEmpty)
        guard case .confirmQuit = asked.overlay else { Issue.record("no confirmation"); return }
        let (stayed, e2) = press(asked, .char("n"))
        #expect(stayed.overlay == nil && !stayed.quitting && e2.isEmpty)
        let (left, e3) = press(asked, .char("y"))
        #expect(left.quitting)
        #expect(e3 == [.cancelBatch, .quit])
    }

    @Test("Ctrl-C and termination signals quit even during a batch, cancelling it")
    func interrupt() {
        var s = Fixtures.state()
        s.batch.phase = .running(Fixtures.plan, nil)
        #expect(press(s, .interrupt).1 == [.cancelBatch, .quit])
        #expect(U.update(s, .terminate).effects == [.cancelBatch, .quit])
    }

    @Test("ticks poll when due and not otherwise; one poll in flight at a time")
    func polling() {
        var s = Fixtures.state() // answered at t0, interval 1 s
        #expect(U.update(s, .tick(Fixtures.t0.addingTimeInterval(0.5))).effects.isEmpty)
        let (due, e) = U.update(s, .tick(Fixtures.t0.addingTimeInterval(1)))
        #expect(e == [.poll])
        #expect(U.update(due, .tick(Fixtures.t0.addingTimeInterval(2))).effects.isEmpty)
        s = U.update(due, .snapshot(.success(Fixtures.snapshot()), at: Fixtures.t0.addingTimeInterval(1.2))).state
        #expect(!s.poll.inFlight)
        #expect(s.poll.nextPollAt == Fixtures.t0.addingTimeInterval(2.2))
    }

    @Test("failures back off: the interval, then doubling, capped")
    func backoff() {
        #expect(PollState.backoff(interval: 1, failures: 1, cap: 30) == 1)
        #expect(PollState.backoff(interval: 1, failures: 2, cap: 30) == 2)
        #expect(PollState.backoff(interval: 1, failures: 4, cap: 30) == 8)
        #expect(PollState.backoff(interval: 1, failures: 40, cap: 30) == 30)
        var s = Fixtures.state()
        for i in 1...3 {
            s.poll.inFlight = true
            s = U.update(s, .snapshot(.failure(SourceFailure("down")), at: Fixtures.t0.addingTimeInterval(Double(i)))).state
        }
        #expect(s.poll.failures == 3)
        #expect(s.poll.nextPollAt == Fixtures.t0.addingTimeInterval(3 + 4))
        #expect(s.poll.snapshot != nil, "old data is kept (and marked stale), not dropped")
        s = U.update(s, .snapshot(.success(Fixtures.snapshot(at: Fixtures.t0.addingTimeInterval(8))), at: Fixtures.t0.addingTimeInterval(8))).state
        #expect(s.poll.failures == 0 && s.poll.lastError == nil)
        #expect(s.freshness == .live)
    }

    @Test("p pauses polling; p again resumes with a poll now")
    func pause() {
        let (paused, _) = press(Fixtures.state(), .char("p"))
        #expect(paused.poll.paused)
        #expect(U.update(paused, .tick(Fixtures.t0.addingTimeInterval(10))).effects.isEmpty)
        let (resumed, e) = press(paused, .char("p"))
        #expect(!resumed.poll.paused)
        #expect(e == [.poll])
    }

    @Test("r polls now unless a poll is already on its way")
    func refresh() {
        let (s, e) = press(Fixtures.state(), .char("r"))
        #expect(e == [.poll])
        #expect(press(s, .char("r")).1.isEmpty)
    }

    @Test("+ and - step the refresh interval within its range")
    func interval() {
        let s = Fixtures.state()
        #expect(press(s, .char("+")).0.poll.interval == 2)
        #expect(press(s, .char("+"), .char("+"), .char("+")).0.poll.interval == 10)
        #expect(press(s, .char("-")).0.poll.interval == 0.5)
        #expect(press(s, .char("-"), .char("-"), .char("-")).0.poll.interval == 0.5)
        #expect(press(s, .char("+"), .char("+"), .char("+"), .char("+"), .char("+"), .char("+"), .char("+")).0.poll.interval == 60)
        // The stale timeout follows the interval.
        #expect(press(s, .char("+"), .char("+"), .char("+")).0.poll.staleAfter == 30)
    }

    @Test("/ edits the panel's filter; typing narrows, Backspace edits, Enter keeps, Esc clears")
    func filter() {
        var (s, _) = press(Fixtures.state(panel: .drift), .char("/"), .char("c"), .char("o"), .char("x"), .backspace, .char("n"))
        #expect(s.editingFilter)
        #expect(s.filter == "con")
        #expect(PanelRows.count(s) == 1)
        (s, _) = press(s, .enter)
        #expect(!s.editingFilter && s.filter == "con")
        // While editing, panel keys are text: "q" does not quit.
        let (typing, e) = press(Fixtures.state(panel: .drift), .char("/"), .char("q"))
        #expect(!typing.quitting && e.isEmpty && typing.filter == "q")
        (s, _) = press(s, .escape)
        #expect(s.filter.isEmpty)
        #expect(PanelRows.count(s) == Fixtures.featureNames.count)
    }

    @Test("j/k move through the list and stop at its ends")
    func scrolling() {
        var (s, _) = press(Fixtures.state(panel: .drift), .char("k"))
        #expect(s.scroll[.drift] == 0)
        (s, _) = press(s, .char("j"), .char("j"))
        #expect(s.scroll[.drift] == 2)
        (s, _) = press(s, .end)
        #expect(s.scroll[.drift] == Fixtures.featureNames.count - 1)
        (s, _) = press(s, .char("j"))
        #expect(s.scroll[.drift] == Fixtures.featureNames.count - 1)
    }

    @Test("kiosk: panels rotate on schedule, stray keys are ignored, q asks first")
    func kiosk() {
        var s = Fixtures.state(kiosk: true)
        #expect(s.panel == .overview)
        s = U.update(s, .tick(Fixtures.t0.addingTimeInterval(14))).state
        #expect(s.panel == .overview)
        s = U.update(s, .tick(Fixtures.t0.addingTimeInterval(15))).state
        #expect(s.panel == .drift)
        let (stray, e) = press(s, .char("3"), .char("p"), .escape, .char("r"))
        #expect(stray.panel == .drift && !stray.poll.paused && e.isEmpty)
        let (asked, _) = press(s, .char("q"))
        #expect(!asked.quitting)
        #expect(press(asked, .char("y")).0.quitting)
        // Errors never end a kiosk: a failing source only makes it stale.
        s = U.update(s, .snapshot(.failure(SourceFailure("down")), at: Fixtures.t0.addingTimeInterval(16))).state
        #expect(!s.quitting)
    }

    @Test("resize changes the size the next frame is drawn at")
    func resize() {
        let s = U.update(Fixtures.state(), .resize(width: 132, height: 43)).state
        #expect(s.width == 132 && s.height == 43)
        #expect(DashboardView.render(s).width == 132)
    }
}

@Suite("Update function: Batch panel")
struct BatchUpdateTests {
    typealias U = DashboardUpdate


    func browsing(in dir: String = "") -> DashboardState {
        var s = Fixtures.state(panel: .batch)
        s = U.update(s, .directoryListed(DirectoryListing(directory: dir, entries: [
            DirectoryEntry(name: "in", isDirectory: true),
            DirectoryEntry(name: "customers.csv", isDirectory: false, size: 100),
        ]))).state
        return s
    }

    @Test("at the root there is no way up: no '..' entry, Backspace does nothing")
    func rootIsTheLimit() {
        let s = browsing()
        #expect(BatchResultRows.browserEntries(s.batch.browser, filter: "").map(\.name) == ["in", "customers.csv"])
        #expect(s.batch.browser.parent == nil)
        #expect(press(s, .backspace).1.isEmpty)
    }

    @Test("Enter on a directory lists it; Backspace goes back up, reselecting where we were")
    func navigate() {
        let s = browsing()
        let (_, e) = press(s, .enter)
        #expect(e == [.listDirectory("in")])
        var inner = U.update(s, .directoryListed(DirectoryListing(directory: "in", entries: []))).state
        #expect(inner.batch.browser.directory == "in")
        #expect(BatchResultRows.browserEntries(inner.batch.browser, filter: "").first?.name == "..")
        let (_, up) = press(inner, .backspace)
        #expect(up == [.listDirectory("")])
        inner = U.update(inner, .directoryListed(DirectoryListing(directory: "", entries: s.batch.browser.entries))).state
        #expect(inner.batch.browser.selected == 0)
    }

    @Test("a file goes through the header check, then Enter starts scoring")
    func checkAndStart() {
        let (checking, e1) = press(browsing(), .char("j"), .enter)
        #expect(e1 == [.checkHeader("customers.csv")])
        #expect(checking.batch.phase == .checking(file: "customers.csv"))
        let ready = U.update(checking, .headerChecked(HeaderCheck(file: "customers.csv", result: .success(Fixtures.plan)))).state
        #expect(ready.batch.phase == .ready(Fixtures.plan))
        let (running, e2) = press(ready, .enter)
        #expect(e2 == [.startBatch(Fixtures.plan)])
        #expect(running.batch.phase.isRunning)
        // The console stays live: other panels and polling keep working while it runs.
        let (elsewhere, _) = press(running, .char("1"))
        #expect(elsewhere.panel == .overview && elsewhere.batch.phase.isRunning)
        #expect(U.update(running, .tick(Fixtures.t0.addingTimeInterval(5))).effects == [.poll])
    }

    @Test("a failed header check explains and Esc returns to the browser")
    func rejected() {
        let (checking, _) = press(browsing(), .char("j"), .enter)
        let s = U.update(checking, .headerChecked(HeaderCheck(file: "customers.csv", result: .failure(BatchFailure("missing 'tenure'"))))).state
        #expect(s.batch.phase == .rejected(file: "customers.csv", message: "missing 'tenure'"))
        #expect(press(s, .escape).0.batch.phase == .browsing)
    }

    @Test("progress updates the running phase; Esc cancels; the scorer's answer ends it")
    func progressAndCancel() {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .running(Fixtures.plan, nil)
        let p = BatchProgress(rows: 10, bytesRead: 10, totalBytes: 100, elapsed: 1)
        s = U.update(s, .batchProgress(p)).state
        #expect(s.batch.phase == .running(Fixtures.plan, p))
        let (cancelling, e) = press(s, .escape)
        #expect(e == [.cancelBatch])
        #expect(cancelling.batch.phase == .cancelling(Fixtures.plan, p))
        #expect(U.update(cancelling, .batchCancelled).state.batch.phase == .cancelled(Fixtures.plan))
    }

    @Test("results: j/k select, s cycles the sort, / filters ids, Esc goes back")
    func results() {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .running(Fixtures.plan, nil)
        s = U.update(s, .batchFinished(.success(Fixtures.batchSummary()))).state
        guard case .finished = s.batch.phase else { Issue.record("not finished"); return }
        var (r, _) = press(s, .char("j"), .char("j"))
        #expect(r.batch.selected == 2)
        (r, _) = press(r, .char("s"))
        #expect(r.batch.sort == .id && r.batch.selected == 0)
        (r, _) = press(r, .char("/"), .char("0"), .char("0"), .char("3"), .char("7"), .enter)
        #expect(BatchResultRows.rows(Fixtures.batchSummary(), sort: r.batch.sort, filter: r.filter).map(\.id) == ["0037-ABCDE"])
        (r, _) = press(r, .escape)
        #expect(r.filter.isEmpty)
        let (back, e) = press(r, .escape)
        #expect(back.batch.phase == .browsing)
        #expect(e == [.listDirectory("")])
    }

    @Test("a batch that fails reports the reason")
    func failed() {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .running(Fixtures.plan, nil)
        s = U.update(s, .batchFinished(.failure(BatchFailure("disk full")))).state
        #expect(s.batch.phase == .failed(Fixtures.plan, message: "disk full"))
    }
}
