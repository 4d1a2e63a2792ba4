extension SnapshotSource {
    /// Sources that keep no history beyond the live one answer every range with their live snapshot (its
    /// `history.range` says which it is).
    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        try await snapshot()
    }
}
