
/// A source that always answers the same snapshot (or the same failure): for tests and for rendering a
/// snapshot file with `churn snapshot --from FILE`.
public struct FixedSnapshotSource: SnapshotSource {
    public let name: String
    private let result: Result<MonitorSnapshot, SourceFailure>

    public init(name: String, result: Result<MonitorSnapshot, SourceFailure>) {
        self.name = name
        self.result = result
    }

    public func snapshot() async throws -> MonitorSnapshot { try result.get() }
}
