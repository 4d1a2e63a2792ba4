import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Live monitoring of a scoring service: request and latency metrics, predictions by risk, sliding-window drift,
/// live F1 from feedback, and alert rules; persisted to a `MetricsStore` by `flush`. Thread-safe; recording is a
/// few counter updates under one lock, so it stays on during load.
///
/// Its jobs live in one file each: recording (`+Recording`), the alert tick (`+AlertTick`), the store flusher
/// (`+StoreFlush`), feedback (`+Feedback`), following the router's models (`+Models`), the snapshot
/// (`MonitorSnapshotBuilder`) and the Prometheus exposition (`PrometheusExposition`, names in `MetricFamily`).
public final class ServiceMonitor: Sendable {
    /// Tunables of the monitor.
    public struct Configuration: Sendable {
        /// PSI from which a feature counts as drifted.
        public var driftThreshold = DriftReport.defaultThreshold
        /// Seconds of recent traffic the live drift is computed on.
        public var driftWindowSeconds = 900
        /// Rows the drift window needs before drift is reported (PSI of a handful of rows is noise); nil applies
        /// `DriftReport.minimumRows(for:)` to the model's reference profile, the rule batch scoring uses too.
        public var driftMinimumRows: Int?
        public var alerts = AlertRule.Settings()
        /// Joined outcomes needed before a live F1 is reported.
        public var minimumLabelled = 20
        public var historyStep = 10
        public var historyPoints = 90
        /// Prediction-log rows held for the next flush; beyond it new customers are dropped (and counted) until the
        /// store catches up, so a stalled store cannot grow memory without bound.
        public var maxPendingPredictions = 500_000
        public init() {}
    }

    public let configuration: Configuration
    public let startedAt: Date
    public let store: MetricsStore?
    let state: Mutex<MonitorState>

    /// A monitor of `model` as production (the router tells it of later changes through `follow`).
    public init(model: LoadedModel, store: MetricsStore?, configuration: Configuration = Configuration(), now: Date = Date()) throws {
        self.configuration = configuration
        self.startedAt = now
        self.store = store
        var alerts = AlertEngine(rules: AlertRule.standard(configuration.alerts), now: now)
        var ledger = FeedbackLedger(minimumLabelled: configuration.minimumLabelled)
        if let store {
            let restored = try store.restore()
            alerts.restore(restored.alerts, transitions: restored.transitions)
            ledger.confusion = restored.confusion
            try store.writeModel(model.artifact, writerStarted: now)
        }
        let production = ModelTrack(model: model, role: .production, share: 1, since: now,
                                    driftSpan: configuration.driftWindowSeconds, minimumLabelled: configuration.minimumLabelled)
        state = Mutex(MonitorState(production: production, ledger: ledger, alerts: alerts))
    }

    /// A monitor of `engine` as production.
    public convenience init(engine: ScoringEngine, store: MetricsStore?, configuration: Configuration = Configuration(),
                            now: Date = Date()) throws {
        try self.init(model: LoadedModel(engine: engine), store: store, configuration: configuration, now: now)
    }

    /// The production model.
    public var engine: ScoringEngine { state.withLock { $0.production.engine } }

    /// Drift bins of an encoded row under the production model (compute outside any lock).
    public func bins(_ row: EncodedRow) -> [Int] {
        let tally = state.withLock { $0.production.tally }
        return tally.binIndexes(row)
    }

    /// The live view, as the console and `GET /api/v1/stats` present it.
    public func snapshot(now: Date = Date(), source: String = "embedded") -> MonitorSnapshot {
        let builder = MonitorSnapshotBuilder(configuration: configuration, startedAt: startedAt)
        return state.withLock { builder.build(from: $0, now: now, source: source) }
    }

    /// The Prometheus text exposition of everything this process counts (`GET /metrics`).
    public func prometheusText() -> String {
        let exposition = state.withLock { s in
            PrometheusExposition(configuration: configuration, startedAt: startedAt, routes: s.routes, latency: s.latency,
                                 tracks: [s.production] + (s.canary.map { [$0] } ?? []) + s.retired,
                                 f1: s.ledger.status(threshold: configuration.alerts.f1).value, reloads: s.reloads,
                                 droppedPredictions: s.droppedPredictions, pendingPredictions: s.pendingPredictions.count)
        }
        return exposition.render()
    }
}
