import ChurnMonitor

extension DashboardUpdate {
    /// Notes which alerts fire after a successful poll; with `--bell`, rings once when any alert starts firing
    /// that was not firing at the previous poll (an alert that stays firing never rings again; one that resolves
    /// and fires again does).
    static func noteFiring(_ snap: MonitorSnapshot, _ s: inout DashboardState, _ effects: inout [DashboardEffect]) {
        let firing = Set(snap.alerts.filter { $0.state == .firing }.map(\.name))
        if s.config.bell && !firing.subtracting(s.firing).isEmpty { effects.append(.bell) }
        s.firing = firing
    }
}
