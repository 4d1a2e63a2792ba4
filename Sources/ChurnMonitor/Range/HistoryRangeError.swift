/// A range name that is not one of `HistoryRange.accepted`.
public struct HistoryRangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public var text: String
    public var description: String { "unknown range '\(text)': use one of \(HistoryRange.accepted)" }
}
