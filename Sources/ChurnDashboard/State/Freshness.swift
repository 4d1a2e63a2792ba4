#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Whether the numbers on screen are live; the status line says so and stale numbers are dimmed.
public enum Freshness: Sendable, Equatable {
    /// No snapshot yet; `error` says why when the first polls failed.
    case waiting(error: String?)
    case live
    /// Polling is paused by the operator; the numbers are from `since`.
    case paused(since: Date)
    /// No fresh data since `since`; `error` is the last failure, if any.
    case stale(since: Date, error: String?)

    public var isStale: Bool { if case .stale = self { true } else { false } }
}
