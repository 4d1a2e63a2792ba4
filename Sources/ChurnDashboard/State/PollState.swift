import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What the console knows about its data source: the latest snapshot and when it came, the polling schedule,
/// and failures. All times are the console's own clock, so a remote source's clock skew cannot fake freshness.
public struct PollState: Sendable, Equatable {
    public var snapshot: MonitorSnapshot?
    /// Seconds between polls.
    public var interval: Double
    public var paused = false
    public var pausedAt: Date?
    /// A poll has been started and has not answered yet (at most one at a time).
    public var inFlight = false
    /// When the next poll is due (nil: as soon as possible).
    public var nextPollAt: Date?
    /// Failures in a row since the last success.
    public var failures = 0
    public var lastSuccess: Date?
    /// When the data last moved on (the snapshot's `takenAt` changed): a store file nobody writes any more
    /// answers every poll, but with the same old snapshot.
    public var lastAdvance: Date?
    public var lastError: String?

    public init(interval: Double) {
        self.interval = interval
    }

    /// Data older than this (since it last moved on) is stale.
    public var staleAfter: Double { max(3 * interval, 3) }

    /// Seconds to wait before the next attempt after `failures` failures in a row: the interval, doubling per
    /// further failure, capped.
    public static func backoff(interval: Double, failures: Int, cap: Double) -> Double {
        guard failures > 1 else { return interval }
        return min(cap, max(interval, interval * pow(2, Double(min(failures - 1, 16)))))
    }
}
