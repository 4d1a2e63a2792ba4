import ChurnModel
import Foundation

/// Changing the models a running service scores with: a new production model, a canary beside it, and the
/// record of reloads that were refused.
///
/// On a production swap the monitor keeps what describes the service (request counters, windows, alerts, the
/// prediction log and the service-wide F1) and starts afresh what describes the model: the drift window (the
/// reference profile changed with the model), its risk mix and its own F1. The swapped-out model's counters
/// stay exported with its `model_version` so Prometheus sees no counter go backwards.
extension ServiceMonitor {
    /// Retired models whose counters stay exported.
    static let retiredKept = 4

    /// Makes `engine` the production model. When it is the current canary, the canary's track (and its
    /// statistics) becomes production and there is no canary any more.
    public func replaceProduction(with engine: ScoringEngine, now: Date = Date()) {
        let second = Int(now.timeIntervalSince1970)
        let changed: Bool = state.withLock { s in
            guard engine.version != s.production.version else { return false }
            var next: ModelTrack
            if let canary = s.canary, canary.version == engine.version {
                next = canary
                s.canary = nil
            } else {
                next = ModelTrack(engine: engine, role: .production, share: 1, since: now,
                                  driftSpan: configuration.driftWindowSeconds, minimumLabelled: configuration.minimumLabelled)
                if let k = s.retired.firstIndex(where: { $0.version == engine.version }) {
                    next.inheritCounters(from: s.retired.remove(at: k))
                }
            }
            next.role = .production
            next.share = 1 - (s.canary?.share ?? 0)
            var old = s.production
            old.retire()
            s.retired.removeAll { $0.version == old.version }
            s.retired.append(old)
            if s.retired.count > ServiceMonitor.retiredKept { s.retired.removeFirst(s.retired.count - ServiceMonitor.retiredKept) }
            s.production = next
            s.swapInterval = second - second % 10
            return true
        }
        if changed, let store {
            try? store.recordProductionModel(engine.artifact, referenceSince: second - second % 10 + 10)
        }
    }

    /// Routes `share` of customers to `engine` beside production; nil removes the canary.
    public func setCanary(_ engine: ScoringEngine?, share: Double, now: Date = Date()) {
        state.withLock { s in
            if let engine, engine.version != s.production.version {
                if s.canary?.version != engine.version {
                    if var old = s.canary {
                        old.retire()
                        s.retired.append(old)
                    }
                    var track = ModelTrack(engine: engine, role: .canary, share: share, since: now,
                                           driftSpan: configuration.driftWindowSeconds, minimumLabelled: configuration.minimumLabelled)
                    if let k = s.retired.firstIndex(where: { $0.version == engine.version }) {
                        track.inheritCounters(from: s.retired.remove(at: k))
                    }
                    s.canary = track
                }
                s.canary?.share = share
                s.production.share = 1 - share
            } else {
                if var old = s.canary {
                    old.retire()
                    s.retired.append(old)
                }
                s.canary = nil
                s.production.share = 1
            }
            if s.retired.count > ServiceMonitor.retiredKept { s.retired.removeFirst(s.retired.count - ServiceMonitor.retiredKept) }
        }
    }

    /// The canary model, if one is served.
    public var canaryEngine: ScoringEngine? { state.withLock { $0.canary?.engine } }

    /// Counts a reload attempt (`churn_model_reload_total`) and remembers it for the console.
    public func recordReload(_ reload: ModelReload) {
        state.withLock { s in
            switch reload.result {
            case .ok: s.reloads.ok += 1
            case .refused: s.reloads.refused += 1
            }
            s.reloads.last = reload
        }
    }

    public var reloads: ModelReloads { state.withLock { $0.reloads } }
}

extension ServiceMonitor.State {
    /// Runs `body` on the track of `version` (production, canary or retired); false when no track has it.
    @discardableResult
    mutating func withTrack(_ version: String, _ body: (inout ModelTrack) -> Void) -> Bool {
        if production.version == version {
            body(&production)
            return true
        }
        if canary?.version == version {
            body(&canary!)
            return true
        }
        if let k = retired.lastIndex(where: { $0.version == version }) {
            body(&retired[k])
            return true
        }
        return false
    }
}

extension ModelTrack {
    /// Continues the cumulative counters of an earlier track of the same version (a rollback to a model this
    /// process served before), so its Prometheus series do not restart from zero.
    mutating func inheritCounters(from old: ModelTrack) {
        for (k, v) in old.routes { routes[k, default: 0] += v }
        latency.add(old.latency)
        requests += old.requests
        errors += old.errors
        for i in 0..<3 { risk[i] += old.risk[i] }
    }
}
