import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// An observed outcome joined with the prediction it answers.
public struct StoredOutcome: Codable, Sendable, Equatable {
    public var customerID: String
    public var churned: Bool
    public var predicted: Bool
    public var probability: Double
    public var modelVersion: String
    public var at: Date
}

/// What one flush writes: metric deltas per 10-second interval, the prediction log, outcomes and alert states.
public struct StoreBatch: Sendable {
    public var intervals: [Int: IntervalStats]
    public var predictions: [String: LoggedPrediction]
    public var outcomes: [StoredOutcome]
    public var alerts: [AlertStatus]
    public var transitions: [AlertTransition]
    public var residentBytes: Int?
    public var cpuSeconds: Double?
    public var at: Date
}

/// What a restarting writer takes back from the store.
public struct RestoredState: Sendable {
    public var alerts: [AlertStatus]
    public var transitions: [AlertTransition]
    public var confusion: ConfusionMatrix
}

/// How long the store keeps what, so it stays bounded.
public struct StoreRetention: Sendable {
    /// 10-second intervals are kept this long, then merged into 5-minute intervals.
    public var fineSeconds: Double = 24 * 3600
    /// 5-minute intervals (and the prediction log and outcomes) are kept this long.
    public var coarseSeconds: Double = 30 * 24 * 3600
    /// At most this many logged predictions (the oldest go first).
    public var maxPredictions = 2_000_000
    public var keptTransitions = 1000

    public init() {}
}
