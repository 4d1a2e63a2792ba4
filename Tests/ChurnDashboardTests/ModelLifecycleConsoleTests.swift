import ChurnDashboard
import ChurnModel
import ChurnMonitor
import Foundation
import Testing

/// The Model panel with a canary: live and candidate side by side, and promote / roll back behind a yes.
@Suite("Console: model lifecycle")
struct ModelLifecycleConsoleTests {
    static func models() -> [ModelStatus] {
        let live = ModelStatus(
            version: "gbt-20261128-3f9a1c2e", learner: "gbt", role: .production, share: 0.9, since: Fixtures.t0.addingTimeInterval(-3600),
            windows: [TrafficWindow(seconds: 60, requests: 1350, requestRate: 22.5, p95: 0.004, p99: 0.009, predictions: 1350),
                      TrafficWindow(seconds: 300, requests: 6000, requestRate: 20, p95: 0.004, p99: 0.009, predictions: 6000)],
            predictions: 10_000, byRisk: ["low": 7000, "medium": 2000, "high": 1000],
            drift: DriftStatus(score: 0.1, rows: 5000), f1: F1Status(value: 0.61, labelled: 400),
            trainingF1: 0.63, trainingAUC: 0.84)
        let canary = ModelStatus(
            version: "gbt-20261201-77aa0b1c", learner: "gbt", role: .canary, share: 0.1, since: Fixtures.t0.addingTimeInterval(-600),
            windows: [TrafficWindow(seconds: 60, requests: 150, requestRate: 2.5, p95: 0.005, p99: 0.011, predictions: 150),
                      TrafficWindow(seconds: 300, requests: 700, requestRate: 2.3, p95: 0.005, p99: 0.011, predictions: 700)],
            predictions: 1100, byRisk: ["low": 660, "medium": 330, "high": 110],
            drift: DriftStatus(score: 0, rows: 120), f1: F1Status(value: nil, labelled: 7),
            trainingF1: 0.66, trainingAUC: 0.86)
        return [live, canary]
    }

    static func state(width: Int = 80, height: Int = 24, control: String? = "registry /var/lib/churn/registry",
                      models: [ModelStatus] = models()) -> DashboardState {
        var config = Fixtures.config()
        config.modelControl = control
        var s = DashboardState(config: config, width: width, height: height, now: Fixtures.t0)
        s = DashboardUpdate.start(s).state
        var snap = Fixtures.snapshot()
        snap.models = models
        snap.reloads = ModelReloads(ok: 2, refused: 1, last: ModelReload(at: Fixtures.t0, version: "gbt-bad", result: .refused,
                                                                         reason: "checksum mismatch"))
        s = DashboardUpdate.update(s, .snapshot(.success(snap), at: Fixtures.t0)).state
        s.panel = .model
        return s
    }


    @Test("live and canary side by side: share, rate, latency, risk mix, drift, live F1, test metrics", arguments: Fixtures.sizes)
    func sideBySide(_ size: (Int, Int)) {
        let g = DashboardView.render(Self.state(width: size.0, height: size.1))
        let title = g.rowIndex(of: "Live vs canary")!
        #expect(g.row(title).contains("reloads 2 ok, 1 refused"))
        let header = g.rowIndex(of: "LIVE ")!
        #expect(g.row(header).contains("CANARY"))
        let version = g.rowIndex(of: "gbt-20261201-77aa0b1c")!
        #expect(version == header + 1 && g.row(version).contains("gbt-20261128-3f9a1c2e"))
        #expect(g.row(g.rowIndex(of: "share")!).contains("90%") && g.row(g.rowIndex(of: "share")!).contains("10%"))
        #expect(g.row(g.rowIndex(of: "req/s 1m")!).contains("22.5"))
        #expect(g.row(g.rowIndex(of: "risk l/m/h")!).contains("70% 20% 10%"))
        #expect(g.row(g.rowIndex(of: "risk l/m/h")!).contains("60% 30% 10%"))
        #expect(g.row(g.rowIndex(of: "drift")!).contains("warming 120/200"))
        #expect(g.row(g.rowIndex(of: "live F1")!).contains("0.610 on 400"))
        #expect(g.row(g.rowIndex(of: "live F1")!).contains("7 outcomes (needs 20)"))
        #expect(g.row(g.rowIndex(of: "test F1/AUC")!).contains("0.660 / 0.860"))
        // The last refused reload is on screen with its reason.
        #expect(g.text.contains("refused gbt-bad: checksum mismatch"))
        // The model's own facts still follow below.
        #expect(g.text.contains("learner"))
    }

    @Test("P asks before promoting the canary; y promotes, n does nothing")
    func promote() {
        let s = Self.state()
        let (asking, none) = press(s, .char("P"))
        #expect(asking.overlay == .confirmModel(.promote(version: "gbt-20261201-77aa0b1c")))
        #expect(none.isEmpty)
        #expect(DashboardView.render(asking).text.contains("Promote gbt-20261201-77aa0b1c to production?"))
        #expect(KeyBar.keys(asking).map(\.0) == ["y", "n"])
        let (cancelled, noEffects) = press(asking, .char("n"))
        #expect(cancelled.overlay == nil && noEffects.isEmpty)
        let (running, effects) = press(asking, .char("y"))
        #expect(effects == [.modelAction(.promote(version: "gbt-20261201-77aa0b1c"))])
        #expect(DashboardView.render(running).text.contains("promote in progress"))
        // A second P while it runs does nothing.
        #expect(press(running, .char("P")).0.overlay == nil)

        let (done, after) = DashboardUpdate.update(running, .modelActionFinished(.promote(version: "gbt-20261201-77aa0b1c"),
                                                                                 .success("promoted gbt-20261201-77aa0b1c"), at: Fixtures.t0))
        #expect(after == [.poll])
        #expect(DashboardView.render(done).text.contains("promoted gbt-20261201-77aa0b1c"))
    }

    @Test("B asks before rolling back; a failure is shown with its reason")
    func rollback() {
        let (asking, _) = press(Self.state(), .char("B"))
        #expect(asking.overlay == .confirmModel(.rollback(current: "gbt-20261128-3f9a1c2e")))
        let (running, effects) = press(asking, .char("y"))
        #expect(effects == [.modelAction(.rollback(current: "gbt-20261128-3f9a1c2e"))])
        let failed = DashboardUpdate.update(running, .modelActionFinished(.rollback(current: "gbt-20261128-3f9a1c2e"),
                                                                          .failure(SourceFailure("nothing to roll back to")), at: Fixtures.t0)).state
        #expect(DashboardView.render(failed).text.contains("nothing to roll back to"))
    }

    @Test("without a canary P explains; without a way to change models P and B explain instead of asking")
    func unavailable() {
        let noCanary = press(Self.state(models: [Self.models()[0]]), .char("P")).0
        #expect(noCanary.overlay == nil)
        #expect(DashboardView.render(noCanary).text.contains("no canary to promote"))
        #expect(!KeyBar.keys(Self.state(models: [Self.models()[0]])).contains { $0.0 == "P" })

        let noControl = press(Self.state(control: nil), .char("B")).0
        #expect(noControl.overlay == nil)
        #expect(DashboardView.render(noControl).text.contains("cannot change models"))
        #expect(!KeyBar.keys(Self.state(control: nil)).contains { $0.0 == "B" })
    }
}
