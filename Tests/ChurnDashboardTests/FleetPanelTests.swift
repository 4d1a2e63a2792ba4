@testable import ChurnDashboard
import ChurnMonitor
import Foundation
import Testing

/// The console with a Prometheus source: panel 6 lists the replicas, warnings stay visible on every panel.
@Suite("Fleet panel")
struct FleetPanelTests {
    static let version = "logistic-20261128-e18e67bb"

    /// A console watching a fleet of three replicas, one down and one serving another model.
    func fleetState(width: Int = 80, height: Int = 24, panel: Panel = .fleet, charset: Charset = .utf8,
                    color: ColorMode = .color, warnings: [String] = []) -> DashboardState {
        var config = Fixtures.config(charset: charset, color: color)
        config.fleet = true
        var s = DashboardState(config: config, width: width, height: height, now: Fixtures.t0)
        s = DashboardUpdate.start(s).state
        var snap = Fixtures.snapshot()
        snap.replicas = [
            ReplicaStatus(instance: "10.244.1.17:8000", up: true, requestRate: 31.5, p99: 0.0042, residentBytes: 40_000_000,
                          modelVersion: snap.model?.version),
            ReplicaStatus(instance: "10.244.2.9:8000", up: true, requestRate: 12, p99: 0.0061, residentBytes: 52_000_000,
                          modelVersion: "gbt-20270101-deadbeef"),
            ReplicaStatus(instance: "10.244.3.4:8000", up: false),
        ]
        snap.warnings = warnings.isEmpty ? nil : warnings
        s = DashboardUpdate.update(s, .snapshot(.success(snap), at: Fixtures.t0)).state
        s.panel = panel
        return s
    }

    @Test("each replica with state, rate, p99, memory and model; down and mismatched ones marked by symbol and word")
    func replicasTable() {
        let g = Fixtures.render(fleetState(color: .mono))
        #expect(g.row(0).contains("[6 Fleet]"))
        #expect(g.text.contains("2 of 3 up"))
        let live = g.row(g.rowIndex(of: "10.244.1.17:8000")!)
        #expect(live.contains("✓ up") && live.contains("31.5") && live.contains("4.2 ms") && live.contains("38.1 MiB"))
        let other = g.row(g.rowIndex(of: "10.244.2.9:8000")!)
        #expect(other.contains("▲") && other.contains("deadbeef"), "another model is flagged: \(other)")
        let down = g.row(g.rowIndex(of: "10.244.3.4:8000")!)
        #expect(down.contains("✖ DOWN"))
        #expect(!g.hasNonASCII || g.text.contains("│"))
    }

    @Test("a warning shows as a banner above every monitoring panel, with a count of the others", arguments: [Panel.overview, .drift, .model, .alerts, .fleet])
    func banner(_ panel: Panel) {
        let g = Fixtures.render(fleetState(panel: panel, warnings: ["MODEL MISMATCH: 1 of 2 replicas serve gbt-x", "history unavailable"]))
        #expect(g.row(1).contains("▲") && g.row(1).contains("MODEL MISMATCH"))
        #expect(g.row(1).contains("+1 more"))
        #expect(g[1, 1].style.isReverse, "the banner's symbol stands out without colour")
    }

    @Test("no banner and no Fleet tab for a single server; 6 does nothing there")
    func singleServer() {
        var s = Fixtures.state()
        #expect(!Fixtures.render(s).row(0).contains("Fleet"))
        #expect(!Fixtures.render(s).text.contains("▲ MODEL"))
        s = DashboardUpdate.update(s, .key(.char("6"))).state
        #expect(s.panel == .overview)
        s.panel = .batch
        s = DashboardUpdate.update(s, .key(.tab)).state
        #expect(s.panel == .overview, "Tab skips Fleet without a fleet")
    }

    @Test("with a fleet, 6 opens the panel and Tab goes Batch → Fleet → Overview; the key bar says 1-6")
    func fleetKeys() {
        var s = fleetState(panel: .overview)
        s = DashboardUpdate.update(s, .key(.char("6"))).state
        #expect(s.panel == .fleet)
        s.panel = .batch
        s = DashboardUpdate.update(s, .key(.tab)).state
        #expect(s.panel == .fleet)
        s = DashboardUpdate.update(s, .key(.tab)).state
        #expect(s.panel == .overview)
        #expect(Fixtures.render(s).row(23).contains("1-6"))
        #expect(Fixtures.render(s).row(0).contains("6 Fleet"))
    }

    @Test("a kiosk watching a fleet shows the replicas right after the overview")
    func kiosk() {
        var config = Fixtures.config(kiosk: true)
        config.fleet = true
        var s = DashboardState(config: config, width: 80, height: 24, now: Fixtures.t0)
        s = DashboardUpdate.start(s).state
        s = DashboardUpdate.update(s, .snapshot(.success(Fixtures.snapshot()), at: Fixtures.t0)).state
        s = DashboardUpdate.update(s, .tick(Fixtures.t0.addingTimeInterval(15))).state
        #expect(s.panel == .fleet)
        s = DashboardUpdate.update(s, .tick(Fixtures.t0.addingTimeInterval(30))).state
        #expect(s.panel == .drift)
        #expect(!Fixtures.render(s).row(0).contains("Batch"), "a kiosk has no Batch tab")
    }

    @Test("the memory tile of a fleet shows the largest replica and how many are up")
    func memoryTile() {
        let g = Fixtures.render(fleetState(width: 160, height: 48, panel: .overview))
        #expect(g.text.contains("RSS max"))
        #expect(g.text.contains("2/3 replicas up"))
    }

    @Test("panel 6 in ASCII fits 80x24 and stays ASCII")
    func ascii() {
        let g = Fixtures.render(fleetState(charset: .ascii, color: .mono, warnings: ["MODEL MISMATCH: x"]))
        #expect(!g.hasNonASCII)
        #expect(g.text.contains("X DOWN"))
        #expect(g.text.contains("! MODEL MISMATCH") || g.row(1).contains("MODEL MISMATCH"))
    }
}
