import ChurnDashboard
@testable import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// The Batch panel's detail views as a key map: `e` opens the rejects, `/` filters them, Enter opens a customer,
/// Esc closes; answers for views no longer open are dropped. Also `--bell`: one ring per alert that starts firing.
@Suite("Batch detail and bell: update function")
struct BatchDetailTests {
    typealias U = DashboardUpdate


    func finished(_ summary: BatchSummary = Fixtures.batchSummary()) -> DashboardState {
        var s = Fixtures.state(panel: .batch)
        s.batch.phase = .running(Fixtures.plan, nil)
        return U.update(s, .batchFinished(.success(summary))).state
    }

    static let rejects = RejectList(path: "/data/customers.rejects.csv", rows: [
        RejectRow(line: 4, column: 31, field: "tenure", code: "not_a_number", reason: "'abc' is not a number", record: "0002-X,Male,0,abc"),
        RejectRow(line: 9, column: 1, field: "", code: "field_count", reason: "expected 21 fields as in the header, found 3", record: "a,b,c"),
        RejectRow(line: 12, column: 88, field: "Contract", code: "unknown_category", reason: "unknown category 'Weekly'", record: "0010-Y,…"),
    ], total: 3)

    var detail: (DashboardState) -> RejectsView? = { s in
        if case .rejects(let v)? = s.batch.detail { return v }
        return nil
    }

    @Test("e asks for the rejects file of the run; its rows arrive and j/k move through them")
    func openRejects() throws {
        let (opened, e) = press(finished(), .char("e"))
        #expect(e == [.loadRejects("/data/customers.rejects.csv")])
        let loading = try #require(detail(opened))
        #expect(loading.list == nil)
        let loaded = U.update(opened, .rejectsLoaded(.success(Self.rejects))).state
        #expect(detail(loaded)?.list?.rows.count == 3)
        #expect(detail(press(loaded, .char("j"), .char("j"), .char("j")).0)?.selected == 2)
        #expect(detail(press(loaded, .char("G"), .char("k")).0)?.selected == 1)
    }

    @Test("/ types a filter over line, field, reason and record; Esc while typing clears it, Esc again closes")
    func filterRejects() throws {
        let loaded = U.update(press(finished(), .char("e")).0, .rejectsLoaded(.success(Self.rejects))).state
        let (typed, e) = press(loaded, .char("/"), .char("T"), .char("E"), .char("N"))
        #expect(e.isEmpty)
        let v = try #require(detail(typed))
        #expect(v.typing && v.filter == "TEN")
        #expect(v.visible.map(\.line) == [4])
        // Keys that mean something elsewhere are text while typing: q does not quit, 1 does not switch panels.
        let (stillTyping, _) = press(typed, .char("q"), .char("1"))
        #expect(!stillTyping.quitting && stillTyping.panel == .batch && detail(stillTyping)?.filter == "TENq1")
        let kept = press(typed, .enter).0
        #expect(detail(kept)?.typing == false && detail(kept)?.filter == "TEN")
        #expect(detail(press(typed, .backspace, .backspace, .backspace, .char("9")).0)?.visible.map(\.line) == [9])
        let cleared = press(typed, .escape).0
        #expect(detail(cleared)?.filter == "" && detail(cleared)?.typing == false)
        #expect(press(cleared, .escape).0.batch.detail == nil)
        // Closing returns to the results, still finished.
        guard case .finished = press(cleared, .escape).0.batch.phase else { Issue.record("left the results"); return }
    }

    @Test("a run without rejects opens an empty view at once, asking for no file")
    func noRejects() throws {
        var summary = Fixtures.batchSummary()
        summary.rejected = 0
        summary.rejectsPath = nil
        let (s, e) = press(finished(summary), .char("e"))
        #expect(e.isEmpty)
        #expect(detail(s)?.list?.total == 0)
    }

    @Test("a rejects file that cannot be read says why; a late answer after closing is dropped")
    func rejectsFailure() {
        let opened = press(finished(), .char("e")).0
        let failed = U.update(opened, .rejectsLoaded(.failure(SourceFailure("cannot read the rejects: gone")))).state
        #expect(detail(failed)?.error == "cannot read the rejects: gone")
        let closed = press(opened, .escape).0
        #expect(U.update(closed, .rejectsLoaded(.success(Self.rejects))).state.batch.detail == nil)
    }

    @Test("Enter explains the selected customer in the table's order; the answer for another line is dropped")
    func openCustomer() throws {
        let s = press(finished(), .char("s")).0 // sorted by id
        let rows = BatchResultRows.rows(Fixtures.batchSummary(), sort: .id, filter: "")
        let (opened, e) = press(s, .char("j"), .enter)
        #expect(e == [.explainCustomer(rows[1], Fixtures.plan)])
        guard case .customer(let v)? = opened.batch.detail else { Issue.record("no customer view"); return }
        #expect(v.customer == rows[1] && v.explanation == nil)
        let explanation = CustomerExplanation(
            id: rows[1].id, file: "customers.csv", line: rows[1].line, modelVersion: "gbt-test", method: "tree_shap",
            probability: rows[1].probability, risk: rows[1].risk, baseValue: -1, margin: 0.5,
            inputs: [.init(column: "tenure", value: "2", readAs: "2", contribution: 1.0),
                     .init(column: "Contract", value: "Month-to-month", readAs: "Month-to-month", contribution: 0.5)])
        #expect(U.update(opened, .customerExplained(line: rows[0].line, .success(explanation))).state == opened)
        let shown = U.update(opened, .customerExplained(line: rows[1].line, .success(explanation))).state
        guard case .customer(let done)? = shown.batch.detail else { Issue.record("closed"); return }
        #expect(done.explanation == explanation)
        #expect(press(shown, .char("j"), .char("j"), .char("j")).0.batch.detail == .customer({ var d = done; d.scroll = 1; return d }()))
        #expect(press(shown, .escape).0.batch.detail == nil)
        // q still quits from a detail view (it is not a text field).
        #expect(press(shown, .char("q")).0.quitting)
    }

    @Test("a new run closes any detail view of the previous one")
    func newRunCloses() {
        var s = press(finished(), .char("e")).0
        s.batch.phase = .running(Fixtures.plan, nil)
        #expect(U.update(s, .batchFinished(.success(Fixtures.batchSummary()))).state.batch.detail == nil)
    }

    func withBell(_ bell: Bool) -> DashboardState {
        var config = Fixtures.config()
        config.bell = bell
        return DashboardUpdate.start(DashboardState(config: config, width: 80, height: 24, now: Fixtures.t0)).state
    }

    func snapshot(firing names: [String], at t: Double) -> MonitorSnapshot {
        var snap = Fixtures.snapshot(at: Fixtures.t0.addingTimeInterval(t))
        snap.alerts = ["DataDrift", "HighErrorRate", "HighLatencyP99"].map { name in
            AlertStatus(name: name, state: names.contains(name) ? .firing : .ok, value: 1, threshold: 0.5,
                        since: Fixtures.t0, summary: name)
        }
        return snap
    }

    @Test("--bell rings once when an alert starts firing, not again while it fires, again when it fires anew")
    func bell() {
        var s = withBell(true)
        var rings: [Int] = []
        let sequence: [[String]] = [[], ["DataDrift"], ["DataDrift"], ["DataDrift", "HighErrorRate"], ["HighErrorRate"],
                                    ["HighErrorRate"], ["DataDrift", "HighErrorRate"], []]
        for (i, names) in sequence.enumerated() {
            let out = U.update(s, .snapshot(.success(snapshot(firing: names, at: Double(i))), at: Fixtures.t0.addingTimeInterval(Double(i))))
            s = out.state
            if out.effects.contains(.bell) { rings.append(i) }
            #expect(out.effects.filter { $0 == .bell }.count <= 1)
        }
        #expect(rings == [1, 3, 6])
        // A failed poll changes nothing: no ring, and the alert is still known to fire.
        let failed = U.update(s, .snapshot(.failure(SourceFailure("down")), at: Fixtures.t0.addingTimeInterval(20)))
        #expect(!failed.effects.contains(.bell))
    }

    @Test("without --bell nothing rings")
    func noBell() {
        let s = withBell(false)
        let out = U.update(s, .snapshot(.success(snapshot(firing: ["DataDrift"], at: 1)), at: Fixtures.t0.addingTimeInterval(1)))
        #expect(!out.effects.contains(.bell))
        #expect(out.state.firing == ["DataDrift"])
    }
}
