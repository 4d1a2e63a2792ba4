import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Following the models a running service scores with (the router decides them; the monitor keeps a track per
/// model), and the record of reloads that were refused.
///
/// On a production swap the monitor keeps what describes the service (request counters, windows, alerts, the
/// prediction log and the service-wide F1) and starts afresh what describes the model: the drift window (the
/// reference profile changed with the model), its risk mix and its own F1. The swapped-out model's counters
/// stay exported with its `model_version` so Prometheus sees no counter go backwards.
extension ServiceMonitor {
    /// Retired models whose counters stay exported.
    static let retiredKept = 4

    /// Follows the lineup the router decided (production, canary and its share): a model new to the lineup gets a
    /// track (continuing the counters of its retired track, if this process served it before); a model that left
    /// it is retired. A canary promoted to production keeps its track and its statistics.
    public func follow(_ lineup: ModelLineup, now: Date = Date()) {
        let second = Int(now.timeIntervalSince1970)
        let productionChanged: Bool = state.withLock { s in
            let changed = lineup.production.version != s.production.version
            if changed {
                let next: ModelTrack
                if let canary = s.canary, canary.version == lineup.production.version {
                    next = canary
                    s.canary = nil
                } else {
                    next = s.track(for: lineup.production, role: .production, since: now, configuration: configuration)
                }
                s.retire(s.production)
                s.production = next
                s.swapInterval = second - second % 10
            }
            let canary = lineup.canary.flatMap { $0.version == s.production.version ? nil : $0 }
            if canary?.version != s.canary?.version {
                if let old = s.canary { s.retire(old) }
                s.canary = canary.map { s.track(for: $0, role: .canary, since: now, configuration: configuration) }
            }
            s.canary?.share = lineup.canaryShare
            s.production.role = .production
            s.production.share = 1 - (s.canary?.share ?? 0)
            return changed
        }
        if productionChanged, let store {
            try? store.recordProductionModel(lineup.production.artifact, referenceSince: second - second % 10 + 10)
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

extension MonitorState {
    /// A new track for `model`, continuing the counters of its retired track if it has one.
    mutating func track(for model: LoadedModel, role: ModelRole, since: Date, configuration: ServiceMonitor.Configuration) -> ModelTrack {
        var track = ModelTrack(model: model, role: role, share: role == .production ? 1 : 0, since: since,
                               driftSpan: configuration.driftWindowSeconds, minimumLabelled: configuration.minimumLabelled)
        if let k = retired.firstIndex(where: { $0.version == model.version }) {
            track.inheritCounters(from: retired.remove(at: k))
        }
        return track
    }

    /// Moves a track that left the lineup to the retired ones (newest last, at most `retiredKept`).
    mutating func retire(_ track: ModelTrack) {
        var old = track
        old.retire()
        retired.removeAll { $0.version == old.version }
        retired.append(old)
        if retired.count > ServiceMonitor.retiredKept { retired.removeFirst(retired.count - ServiceMonitor.retiredKept) }
    }

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
