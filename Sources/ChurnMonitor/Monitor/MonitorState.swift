import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything a `ServiceMonitor` counts, guarded by its one lock: the models' tracks, the service's traffic
/// and counters, the feedback ledger, the alert engine, and what waits for the next store flush.
struct MonitorState {
    /// The model scoring every customer not sent to the canary; its drift window is the service's drift.
    var production: ModelTrack
    var canary: ModelTrack?
    /// Models swapped out in this process, newest last (at most `retiredKept`), for their counters.
    var retired: [ModelTrack] = []
    var ring = TrafficRing()
    /// Requests no model answered (health, metrics, 401s, …); model-answered ones are in their track.
    var routes: [String: Int] = [:]
    var latency = LatencyHistogram()
    var requests = 0
    var errors = 0
    var risk = [0, 0, 0]
    var ledger: FeedbackLedger
    var alerts: AlertEngine
    var driftHistory: [(epoch: Int, score: Double)] = []
    /// 10-second intervals for the store: accumulated, and the part already written.
    var intervals: [Int: IntervalStats] = [:]
    var flushed: [Int: IntervalStats] = [:]
    var pendingPredictions: [String: LoggedPrediction] = [:]
    var droppedPredictions = 0
    var reportedDropped = 0
    var pendingOutcomes: [StoredOutcome] = []
    /// Where each customer's latest outcome sits in `pendingOutcomes` (one outcome per customer counts).
    var pendingOutcomeIndex: [String: Int] = [:]
    var pendingTransitions: [AlertTransition] = []
    var reloads = ModelReloads()
    /// The 10-second interval in which production last changed: its drift bins would mix two models' bin
    /// layouts, so none are stored for it.
    var swapInterval: Int?
}
