
/// The console's default source: the monitor of the scoring API running in this same process.
public struct EmbeddedSnapshotSource: SnapshotSource {
    public let monitor: ServiceMonitor
    public let name: String

    /// `name` says where real clients can reach the embedded API, e.g. "embedded, API on 127.0.0.1:8000".
    public init(monitor: ServiceMonitor, name: String) {
        self.monitor = monitor
        self.name = name
    }

    public func snapshot() async throws -> MonitorSnapshot {
        monitor.snapshot(source: name)
    }

    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        monitor.snapshot(range: range, source: name)
    }
}
