/// Anything the console can watch: it yields a fresh `MonitorSnapshot` on request.
///
/// Implementations: the embedded engine (in-process), a remote `churn serve` (`/api/v1/stats`), a metrics
/// store file, and a Prometheus server. `snapshot()` may block on I/O; callers run it off the UI thread.
public protocol SnapshotSource: Sendable {
    /// A short description for the status line ("embedded", "api http://host:8000", …).
    var name: String { get }
    /// The current snapshot, or an error explaining why the source cannot be read right now.
    func snapshot() async throws -> MonitorSnapshot
    /// The snapshot with histories covering `range` (see `HistoryRange`); sources without stored history answer
    /// with their live one.
    func snapshot(range: HistoryRange) async throws -> MonitorSnapshot
}
