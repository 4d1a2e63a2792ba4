import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The one owner of which models serve: holds the current `ModelRouting` (production, canary, share) and
/// swaps a new one in (`install`). Each request takes the routing once; the monitor follows every change.
public final class ModelRouter: Sendable {
    private let current: Mutex<ModelRouting>
    private let monitor: ServiceMonitor

    init(_ routing: ModelRouting, monitor: ServiceMonitor) {
        current = Mutex(routing)
        self.monitor = monitor
    }

    /// The models requests are scored with right now.
    public var routing: ModelRouting { current.withLock { $0 } }

    /// Replaces the routing in one step: requests that already took the old routing finish on its models;
    /// every later request gets the new one. Called by one writer at a time (the `ModelFollower`, or start-up).
    public func install(_ next: ModelRouting, now: Date = Date()) {
        // The monitor learns of the new models first, so rows the old ones still score in the meantime are
        // already counted as the retired model's, and none of the new model's rows is missed.
        monitor.follow(next.lineup, now: now)
        current.withLock { $0 = next }
    }
}
