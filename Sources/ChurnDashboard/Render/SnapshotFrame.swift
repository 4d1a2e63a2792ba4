import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One frame for `churn snapshot`: the console's own renderer on a state holding just this snapshot, as text.
public enum SnapshotFrame {
    public static func state(_ snap: MonitorSnapshot, sourceName: String, panel: Panel, width: Int, height: Int,
                             charset: Charset, now: Date, timeZone: ClockZone = .local) -> DashboardState {
        var config = DashboardConfig(sourceName: sourceName, theme: Theme(charset: charset, color: .mono), timeZone: timeZone)
        config.fleet = !snap.replicas.isEmpty
        config.range = snap.history.historyRange ?? .live
        var s = DashboardState(config: config, width: width, height: height, now: now)
        s.panel = panel
        s = DashboardUpdate.update(s, .snapshot(.success(snap), at: now)).state
        return s
    }

    public static func render(_ snap: MonitorSnapshot, sourceName: String, panel: Panel, width: Int, height: Int,
                              charset: Charset, now: Date, timeZone: ClockZone = .local) -> String {
        DashboardView.render(state(snap, sourceName: sourceName, panel: panel, width: width, height: height,
                                   charset: charset, now: now, timeZone: timeZone)).text
    }
}
