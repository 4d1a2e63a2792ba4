#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Progress of validation parts fitted side by side, told to one reporter: the share done is the mean of the
/// parts' shares, and calls reach the reporter one at a time, whichever thread a part runs on.
final class PartProgress: @unchecked Sendable {
    private let done: Mutex<[Double]>
    private let report: (Double, String) -> Void

    init(parts: Int, report: @escaping (Double, String) -> Void) {
        done = Mutex([Double](repeating: 0, count: max(parts, 1)))
        self.report = report
    }

    /// Part `k` is `fraction` (0...1) of the way through; `detail` says what it last did.
    func update(_ k: Int, _ fraction: Double, _ detail: String) {
        done.withLock { done in
            done[k] = min(max(fraction, done[k]), 1)
            report(done.reduce(0, +) / Double(done.count), detail)
        }
    }
}
