import ChurnMonitor

/// How the Overview judges each tile: from the value against the usual operating limits, raised to the state
/// of any alert rule about the same thing (an alert whose name contains one of the tile's keywords: firing is
/// critical, pending a warning).
public enum TileSeverity {
    public static func errors(_ snap: MonitorSnapshot) -> Severity {
        guard let w = snap.window(60) else { return .unknown }
        let local: Severity = w.errorRate > 0.05 ? .crit : w.errorRate > 0.01 ? .warn : .ok
        return max(local, alerts(snap, ["error"]))
    }

    public static func latency(_ snap: MonitorSnapshot) -> Severity {
        guard let w = snap.window(60) else { return .unknown }
        guard let p99 = w.p99 else { return max(.ok, alerts(snap, ["latency"])) }
        let local: Severity = p99 >= 1 ? .crit : p99 >= 0.5 ? .warn : .ok
        return max(local, alerts(snap, ["latency"]))
    }

    public static func f1(_ snap: MonitorSnapshot) -> Severity {
        guard let f1 = snap.f1.value else { return max(.unknown, alerts(snap, ["f1"])) }
        let local: Severity = f1 < snap.f1.threshold ? .crit : f1 < snap.f1.threshold + 0.05 ? .warn : .ok
        return max(local, alerts(snap, ["f1"]))
    }

    public static func drift(_ snap: MonitorSnapshot) -> Severity {
        guard !snap.drift.features.isEmpty, snap.drift.isWarm else { return max(.unknown, alerts(snap, ["drift"])) }
        let d = snap.drift
        let local: Severity = d.score > d.alertThreshold ? .crit : d.score > 0 ? .warn : .ok
        return max(local, alerts(snap, ["drift"]))
    }

    public static func memory(_ snap: MonitorSnapshot) -> Severity {
        snap.resources.residentBytes == nil ? .unknown : max(.ok, alerts(snap, ["memory"]))
    }

    public static func traffic(_ snap: MonitorSnapshot) -> Severity {
        snap.window(60) == nil ? .unknown : max(.ok, alerts(snap, ["traffic", "request"]))
    }

    /// A PSI value: at or over the drift threshold is critical, from 0.1 (moderate shift) a warning.
    public static func psi(_ psi: Double, threshold: Double) -> Severity {
        psi >= threshold ? .crit : psi >= 0.1 ? .warn : .ok
    }

    public static func alert(_ state: AlertStatus.State) -> Severity {
        switch state {
        case .ok: .ok
        case .pending: .warn
        case .firing: .crit
        }
    }

    static func alerts(_ snap: MonitorSnapshot, _ keywords: [String]) -> Severity {
        snap.alerts
            .filter { a in keywords.contains { a.name.lowercased().contains($0) } }
            .map { alert($0.state) }
            .max() ?? .unknown
    }
}
