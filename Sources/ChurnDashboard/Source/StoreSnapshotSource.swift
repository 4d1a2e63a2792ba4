import ChurnMonitor
import Foundation

/// Reads snapshots from a metrics store file that another process (`churn serve --store PATH`) writes.
///
/// The store's read side lives in ChurnMonitor with the store itself; this source only adapts it. Until that
/// reader is linked in, `read` is the seam: a function from the store path to a snapshot.
public struct StoreSnapshotSource: SnapshotSource {
    public let path: String
    private let read: @Sendable (String) async throws -> MonitorSnapshot

    public init(path: String, read: @escaping @Sendable (String) async throws -> MonitorSnapshot = StoreSnapshotSource.unavailable) {
        self.path = path
        self.read = read
    }

    public var name: String { "store \(path)" }

    public func snapshot() async throws -> MonitorSnapshot {
        guard FileManager.default.fileExists(atPath: path) else {
            throw SourceFailure("store file \(path) does not exist (is `churn serve --store \(path)` running?)")
        }
        return try await read(path)
    }

    /// The reader used while this build has no metrics store.
    public static let unavailable: @Sendable (String) async throws -> MonitorSnapshot = { path in
        throw SourceFailure("this build cannot read metrics stores yet (\(path)); use --api URL")
    }
}
