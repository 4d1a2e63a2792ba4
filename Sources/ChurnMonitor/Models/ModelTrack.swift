import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the monitor keeps for one model version: its own traffic, latency, risk mix, drift window (against its
/// own reference profile) and F1 from feedback, so a canary can be compared with production. Not thread-safe;
/// `ServiceMonitor` guards it.
struct ModelTrack {
    /// The model itself, shared with the router (not a copy).
    let model: LoadedModel
    var role: ModelRole
    /// Share of customers routed to this model (1 − canary share for production).
    var share: Double
    let since: Date
    var ring = TrafficRing()
    var drift: DriftWindow
    /// Requests this model answered, by "METHOD path status" (for `http_requests_total{model_version}`).
    var routes: [String: Int] = [:]
    var latency = LatencyHistogram()
    var requests = 0
    var errors = 0
    var risk = [0, 0, 0]
    var ledger: FeedbackLedger

    init(model: LoadedModel, role: ModelRole, share: Double, since: Date, driftSpan: Int, minimumLabelled: Int) {
        self.model = model
        self.role = role
        self.share = share
        self.since = since
        drift = DriftWindow(binCount: model.tally.binCount, span: driftSpan)
        ledger = FeedbackLedger(minimumLabelled: minimumLabelled)
    }

    var engine: ScoringEngine { model.engine }
    var tally: DriftTally { model.tally }
    var version: String { model.version }

    /// Drops what only live models need (the per-second ring and the drift window), keeping the counters that
    /// Prometheus has already seen so they do not go backwards.
    mutating func retire() {
        role = .retired
        share = 0
        ring = TrafficRing()
        drift = DriftWindow(binCount: 0, span: 10)
    }

    mutating func recordRequest(key: String, second: Int, status: Int, seconds: Double) {
        routes[key, default: 0] += 1
        latency.record(seconds)
        requests += 1
        if status >= 500 { errors += 1 }
        if role != .retired { ring.record(second: second, status: status, seconds: seconds) }
    }

    func driftReport(threshold: Double) -> DriftReport {
        DriftReport(counts: tally.driftCounts(fromFlat: drift.running), profile: engine.artifact.reference, threshold: threshold)
    }
}
