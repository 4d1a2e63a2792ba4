import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Recording: what the request path calls, a few counter updates under the lock per request.
extension ServiceMonitor {
    /// Records one answered HTTP request; `modelVersion` is the model that answered it (predict routes).
    public func recordRequest(method: String, path: String, status: Int, seconds: Double, modelVersion: String? = nil,
                              now: Date = Date()) {
        let second = Int(now.timeIntervalSince1970)
        let interval = second - second % 10
        let key = IntervalStats.routeKey(method: method, path: path, status: status)
        state.withLock { s in
            s.ring.record(second: second, status: status, seconds: seconds)
            let answered = modelVersion.map { v in
                s.withTrack(v) { $0.recordRequest(key: key, second: second, status: status, seconds: seconds) }
            } ?? false
            if !answered {
                s.routes[key, default: 0] += 1
                s.latency.record(seconds)
            }
            s.requests += 1
            if status >= 500 { s.errors += 1 }
            var i = s.intervals[interval] ?? IntervalStats()
            i.requests += 1
            if status >= 500 { i.errors += 1 }
            i.latency.record(seconds)
            i.routes[key, default: 0] += 1
            s.intervals[interval] = i
        }
    }

    /// Records predictions made by one request. Each row counts for the model that scored it (its risk mix, drift
    /// window and prediction log); only production rows feed the stored drift bins.
    public func recordPredictions(_ events: [PredictionEvent], now: Date = Date()) {
        guard !events.isEmpty else { return }
        let second = Int(now.timeIntervalSince1970)
        let interval = second - second % 10
        state.withLock { s in
            s.ring.recordPredictions(second: second, count: events.count)
            var i = s.intervals[interval] ?? IntervalStats()
            let binCount = s.production.tally.binCount
            let storeDrift = s.swapInterval != interval
            if storeDrift && i.driftBins.isEmpty { i.driftBins = [Int](repeating: 0, count: binCount) }
            for e in events {
                s.risk[e.risk.rank] += 1
                i.risk[e.risk.rank] += 1
                let version = e.modelVersion ?? s.production.version
                // "Predicted churn" is judged by the decision threshold of the model that scored the row.
                var decision = s.production.engine.artifact.decisionThreshold
                s.withTrack(version) { t in
                    t.risk[e.risk.rank] += 1
                    decision = t.engine.artifact.decisionThreshold
                    // A row of a model retired meanwhile (a request that began before a swap) counts for that
                    // model, but its bins are in that model's layout: they stay out of every drift window.
                    guard t.role != .retired else { return }
                    t.ring.recordPredictions(second: second, count: 1)
                    t.drift.add(bins: e.bins, second: second)
                }
                if version == s.production.version && storeDrift && i.driftBins.count == binCount {
                    for b in e.bins { i.driftBins[b] += 1 }
                }
                if let id = e.customerID, !id.isEmpty {
                    guard s.pendingPredictions.count < configuration.maxPendingPredictions || s.pendingPredictions[id] != nil else {
                        s.droppedPredictions += 1
                        continue
                    }
                    s.pendingPredictions[id] = LoggedPrediction(probability: e.probability, predicted: e.probability >= decision,
                                                                risk: e.risk, modelVersion: version, at: now)
                }
            }
            s.intervals[interval] = i
        }
    }
}
