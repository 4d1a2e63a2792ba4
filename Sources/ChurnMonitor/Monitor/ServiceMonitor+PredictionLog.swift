#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The prediction log waiting for the next flush: its size and the rows dropped because it was full.
extension ServiceMonitor {
    /// Customers whose prediction was not logged because `maxPendingPredictions` rows were already waiting.
    public var droppedPredictions: Int { state.withLock { $0.droppedPredictions } }

    /// Rows waiting for the next flush.
    public var pendingPredictionCount: Int { state.withLock { $0.pendingPredictions.count } }

    /// Rows dropped since the last call (for the server's warning, once per flush that saw drops).
    public func newlyDroppedPredictions() -> Int {
        state.withLock { s in
            defer { s.reportedDropped = s.droppedPredictions }
            return s.droppedPredictions - s.reportedDropped
        }
    }
}
