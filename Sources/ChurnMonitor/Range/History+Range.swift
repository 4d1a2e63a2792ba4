extension History {
    /// The range these points cover (nil from older sources, which send live points).
    public var historyRange: HistoryRange? { range.flatMap { HistoryRange(rawValue: $0) } }
}
