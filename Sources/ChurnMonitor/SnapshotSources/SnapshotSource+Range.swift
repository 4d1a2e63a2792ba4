extension SnapshotSource {
    /// Sources that keep no history beyond the live one answer every range with their live snapshot (its
    /// `history.range` says which it is).
    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        try await snapshot()
    }
}

extension History {
    /// The range these points cover (nil from older sources, which send live points).
    public var historyRange: HistoryRange? { range.flatMap { HistoryRange(rawValue: $0) } }
}
