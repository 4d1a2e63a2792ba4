#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Reads snapshots from a metrics store file that another process (`churn serve --store PATH`) writes.
///
/// The store is opened read-only on the first poll that finds the file and kept open. Its `takenAt` is the
/// writer's last flush, so a writer that stops shows as stale in the console.
public final class StoreSnapshotSource: SnapshotSource {
    public let path: String
    private let store = Mutex<MetricsStore?>(nil)

    public init(path: String) {
        self.path = path
    }

    public var name: String { "store \(path)" }

    public func snapshot() async throws -> MonitorSnapshot {
        try await snapshot(range: .live)
    }

    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        let opened: MetricsStore
        do {
            opened = try store.withLock { s in
                if let s { return s }
                let fresh = try MetricsStore(readingAt: path)
                s = fresh
                return fresh
            }
        } catch {
            throw SourceFailure("cannot open the metrics store: \(error)")
        }
        do {
            return try opened.snapshot(source: name, range: range)
        } catch {
            throw SourceFailure("cannot read the metrics store \(path): \(error)")
        }
    }
}
