import ChurnModel
import Foundation
import Synchronization

/// The outcome of joining one observed outcome with the prediction log.
public enum FeedbackMatch: Sendable, Equatable {
    case matched(predicted: Bool)
    case unmatched
}

/// Live monitoring of a scoring service: request and latency metrics, predictions by risk, sliding-window drift,
/// live F1 from feedback, and alert rules; persisted to a `MetricsStore` by `flush`. Thread-safe; recording is a
/// few counter updates under one lock, so it stays on during load.
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

    struct State {
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

    public let configuration: Configuration
    public let startedAt: Date
    public let store: MetricsStore?
    let state: Mutex<State>

    public init(engine: ScoringEngine, store: MetricsStore?, configuration: Configuration = Configuration(), now: Date = Date()) throws {
        self.configuration = configuration
        self.startedAt = now
        self.store = store
        var alerts = AlertEngine(rules: AlertRule.standard(configuration.alerts), now: now)
        var ledger = FeedbackLedger(minimumLabelled: configuration.minimumLabelled)
        if let store {
            let restored = try store.restore()
            alerts.restore(restored.alerts, transitions: restored.transitions)
            ledger.confusion = restored.confusion
            try store.writeModel(engine.artifact, writerStarted: now)
        }
        let production = ModelTrack(engine: engine, role: .production, share: 1, since: now,
                                    driftSpan: configuration.driftWindowSeconds, minimumLabelled: configuration.minimumLabelled)
        state = Mutex(State(production: production, ledger: ledger, alerts: alerts))
    }

    /// The production model.
    public var engine: ScoringEngine { state.withLock { $0.production.engine } }

    /// Drift bins of an encoded row under the production model (compute outside any lock).
    public func bins(_ row: EncodedRow) -> [Int] {
        let tally = state.withLock { $0.production.tally }
        return tally.binIndexes(row)
    }

    // MARK: Recording

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

    // MARK: Periodic work

    /// Expires old drift slots, samples drift history and evaluates alert rules (call about once a second).
    @discardableResult
    public func tick(now: Date = Date()) -> [AlertTransition] {
        let second = Int(now.timeIntervalSince1970)
        return state.withLock { s in
            s.production.drift.expire(now: second)
            s.canary?.drift.expire(now: second)
            let report = driftReport(s)
            let step = configuration.historyStep
            let epoch = second / step
            let score = (isWarm(report) ? report.score : 0)
            if s.driftHistory.last?.epoch != epoch {
                s.driftHistory.append((epoch, score))
                if s.driftHistory.count > configuration.historyPoints + 1 { s.driftHistory.removeFirst() }
            } else {
                s.driftHistory[s.driftHistory.count - 1].score = score
            }
            let five = s.ring.window(now: second, length: 300)
            let f1 = s.ledger.status(threshold: configuration.alerts.f1).value
            let inputs = AlertInputs(errorRate5m: five.requests > 0 ? five.errorRate : nil, p99Latency5m: five.p99,
                                     driftScore: isWarm(report) ? report.score : nil, f1: f1)
            let made = s.alerts.evaluate(inputs, now: now)
            s.pendingTransitions += made
            return made
        }
    }

    private func driftReport(_ s: State) -> DriftReport {
        s.production.driftReport(threshold: configuration.driftThreshold)
    }

    /// Writes what changed since the last flush to the store (metrics intervals, prediction log, outcomes,
    /// alert states). At most one flush interval of data is lost if the process dies.
    public func flush(now: Date = Date()) throws {
        guard let store else { return }
        let second = Int(now.timeIntervalSince1970)
        let current = second - second % 10
        let batch: StoreBatch = state.withLock { s in
            var deltas: [Int: IntervalStats] = [:]
            for (start, stats) in s.intervals {
                let delta = stats.subtracting(s.flushed[start] ?? IntervalStats())
                if !delta.isEmpty || !delta.routes.isEmpty { deltas[start] = delta }
                s.flushed[start] = stats
            }
            for start in s.intervals.keys where start < current {
                s.intervals[start] = nil
                s.flushed[start] = nil
            }
            let batch = StoreBatch(intervals: deltas, predictions: s.pendingPredictions, outcomes: s.pendingOutcomes,
                                   alerts: s.alerts.states, transitions: s.pendingTransitions,
                                   residentBytes: ProcessStats.residentBytes(), cpuSeconds: ProcessStats.cpuSeconds(),
                                   at: now)
            // Sized for as many customers as the last interval brought: growing a dictionary of 100,000 entries
            // by doubling copies it several times per interval, and each copy raised the resident high-water mark.
            s.pendingPredictions = Dictionary(minimumCapacity: s.pendingPredictions.count)
            s.pendingOutcomes = []
            s.pendingOutcomeIndex = [:]
            s.pendingTransitions = []
            return batch
        }
        do {
            try store.write(batch)
        } catch {
            // Put the prediction log back so a transient failure loses nothing; counters were taken as deltas
            // and are re-added to the next flush.
            state.withLock { s in
                for (id, p) in batch.predictions where s.pendingPredictions[id] == nil {
                    if s.pendingPredictions.count < configuration.maxPendingPredictions { s.pendingPredictions[id] = p } else { s.droppedPredictions += 1 }
                }
                s.pendingOutcomes = batch.outcomes + s.pendingOutcomes
                s.pendingOutcomeIndex = [:]
                for (k, o) in s.pendingOutcomes.enumerated() { s.pendingOutcomeIndex[o.customerID] = k }
                s.pendingTransitions = batch.transitions + s.pendingTransitions
                for (start, delta) in batch.intervals {
                    if var f = s.flushed[start] { f = f.subtracting(delta); s.flushed[start] = f } else {
                        s.intervals[start, default: IntervalStats()].add(delta)
                    }
                }
            }
            throw error
        }
    }

    // MARK: Reading

    /// The live view, as the console and `GET /api/v1/stats` present it.
    public func snapshot(now: Date = Date(), source: String = "embedded") -> MonitorSnapshot {
        let second = Int(now.timeIntervalSince1970)
        return state.withLock { s in
            let report = driftReport(s)
            let step = configuration.historyStep
            let series = s.ring.history(now: second, step: step, points: configuration.historyPoints)
            var driftSeries = [Double](repeating: 0, count: configuration.historyPoints)
            let lastEpoch = second / step - 1
            for h in s.driftHistory {
                let k = configuration.historyPoints - 1 - (lastEpoch - h.epoch)
                if k >= 0 && k < driftSeries.count { driftSeries[k] = h.score }
            }
            var snap = MonitorSnapshot(
                takenAt: now, source: source, uptimeSeconds: now.timeIntervalSince(startedAt),
                model: ModelSummary(s.production.engine.artifact),
                windows: [60, 300, 900].map { s.ring.window(now: second, length: $0) },
                totals: Totals(requests: s.requests, errors: s.errors, predictions: s.risk.reduce(0, +),
                               byRisk: ["low": s.risk[0], "medium": s.risk[1], "high": s.risk[2]]),
                f1: s.ledger.status(threshold: configuration.alerts.f1),
                drift: DriftStatus(score: (isWarm(report) ? report.score : 0),
                                   threshold: report.threshold, alertThreshold: configuration.alerts.driftScore,
                                   rows: report.rows, minimumRows: minimumRows(report), features: report.features),
                resources: Resources(residentBytes: ProcessStats.residentBytes(), cpuSeconds: ProcessStats.cpuSeconds()),
                alerts: s.alerts.states, alertTransitions: Array(s.alerts.transitions.prefix(20)),
                history: History(step: step, requestRate: series.rate, p95: series.p95, p99: series.p99,
                                 errorRate: series.errorRate, driftScore: driftSeries))
            snap.models = ([s.production] + (s.canary.map { [$0] } ?? [])).map { modelStatus($0, now: second) }
            snap.reloads = s.reloads
            return snap
        }
    }

    private func modelStatus(_ t: ModelTrack, now second: Int) -> ModelStatus {
        let report = t.driftReport(threshold: configuration.driftThreshold)
        let warm = isWarm(report)
        return ModelStatus(
            version: t.version, learner: t.engine.artifact.learner, role: t.role, share: t.share, since: t.since,
            windows: [60, 300].map { t.ring.window(now: second, length: $0) }, predictions: t.risk.reduce(0, +),
            byRisk: ["low": t.risk[0], "medium": t.risk[1], "high": t.risk[2]],
            drift: DriftStatus(score: warm ? report.score : 0, threshold: report.threshold,
                               alertThreshold: configuration.alerts.driftScore, rows: report.rows,
                               minimumRows: minimumRows(report), features: report.features),
            f1: t.ledger.status(threshold: configuration.alerts.f1),
            trainingF1: t.engine.artifact.metrics?.f1, trainingAUC: t.engine.artifact.metrics?.auc)
    }

    /// The Prometheus text exposition of everything this process counts.
    ///
    /// Requests a model answered (the predict routes) and predictions carry a `model_version` label; sums over
    /// labels (the Grafana board, the alert rules) are unchanged by it.
    public func prometheusText(now: Date = Date()) -> String {
        let (routes, latency, report, f1, tracks, reloads) = state.withLock { s in
            (s.routes, s.latency, driftReport(s), s.ledger.status(threshold: configuration.alerts.f1).value,
             [s.production] + (s.canary.map { [$0] } ?? []) + s.retired, s.reloads)
        }
        let production = tracks[0]
        var text = PrometheusText()
        text.family("http_requests_total", type: "counter", help: "HTTP requests answered, by method, route and status (and model_version when a model answered).")
        func requestSamples(_ routes: [String: Int], _ extra: [String: String]) {
            for (key, count) in routes.sorted(by: { $0.key < $1.key }) {
                let parts = key.split(separator: " ", maxSplits: 2).map(String.init)
                text.sample("http_requests_total", ["method": parts[0], "path": parts[1], "status": parts[2]].merging(extra) { a, _ in a },
                            Double(count))
            }
        }
        requestSamples(routes, [:])
        for t in tracks { requestSamples(t.routes, ["model_version": t.version]) }
        text.family("http_request_duration_seconds", type: "histogram", help: "Time from request received to response ready (model_version on requests a model answered).")
        func histogram(_ latency: LatencyHistogram, _ labels: [String: String]) {
            for (bound, count) in zip(LatencyHistogram.exportedBounds, latency.cumulative()) {
                text.sample("http_request_duration_seconds_bucket", labels.merging(["le": PrometheusText.number(bound)]) { a, _ in a }, Double(count))
            }
            text.sample("http_request_duration_seconds_bucket", labels.merging(["le": "+Inf"]) { a, _ in a }, Double(latency.total))
            text.sample("http_request_duration_seconds_sum", labels, latency.sum)
            text.sample("http_request_duration_seconds_count", labels, Double(latency.total))
        }
        histogram(latency, [:])
        for t in tracks where t.requests > 0 || t.role != .retired { histogram(t.latency, ["model_version": t.version]) }
        text.family("predictions_total", type: "counter", help: "Predictions made, by risk level and the model that made them.")
        for t in tracks {
            for (i, level) in RiskLevel.allCases.enumerated() {
                text.sample("predictions_total", ["risk_level": level.rawValue, "model_version": t.version], Double(t.risk[i]))
            }
        }
        text.family("model_f1_score", type: "gauge", help: "Live F1 of churn predictions against observed outcomes (NaN until enough feedback).")
        text.sample("model_f1_score", [:], f1 ?? .nan)
        text.family("data_drift_score", type: "gauge", help: "Share of features whose PSI against the production model's training data is at least \(configuration.driftThreshold), over recent traffic (NaN until \(minimumRows(report)) rows, so alert rules on it cannot fire).")
        text.sample("data_drift_score", [:], isWarm(report) ? report.score : .nan)
        text.family("churn_feature_drift_psi", type: "gauge", help: "Population stability index of each feature over recent traffic.")
        for f in report.features { text.sample("churn_feature_drift_psi", ["feature": f.name], f.psi) }
        text.family("churn_feature_bin_total", type: "counter", help: "Production predictions by feature and reference-profile bin (sum over replicas of one model_version to compute fleet drift).")
        let split = production.tally.driftCounts(fromFlat: production.drift.cumulative)
        for (c, column) in production.engine.artifact.reference.columns.enumerated() where c < split.bins.count {
            for (b, n) in split.bins[c].enumerated() {
                text.sample("churn_feature_bin_total", ["feature": column.name, "bin": String(b), "model_version": production.version], Double(n))
            }
        }
        text.family("churn_model_info", type: "gauge", help: "The models being served (value is always 1); role is production or canary.")
        for t in tracks where t.role != .retired {
            text.sample("churn_model_info", ["version": t.version, "learner": t.engine.artifact.learner, "role": t.role.rawValue], 1)
        }
        text.family("churn_model_traffic_share", type: "gauge", help: "Share of customers routed to each served model.")
        for t in tracks where t.role != .retired { text.sample("churn_model_traffic_share", ["model_version": t.version], t.share) }
        text.family("churn_model_f1_score", type: "gauge", help: "Live F1 from feedback on each served model's own predictions (NaN until enough feedback).")
        for t in tracks where t.role != .retired {
            text.sample("churn_model_f1_score", ["model_version": t.version], t.ledger.status(threshold: configuration.alerts.f1).value ?? .nan)
        }
        text.family("churn_model_drift_score", type: "gauge", help: "data_drift_score of the rows each served model scored, against its own reference profile.")
        for t in tracks where t.role != .retired {
            let r = t.driftReport(threshold: configuration.driftThreshold)
            text.sample("churn_model_drift_score", ["model_version": t.version], isWarm(r) ? r.score : .nan)
        }
        text.family("churn_model_reload_total", type: "counter", help: "Attempts to load a new model into this server: ok (swapped in) or refused (the old one kept serving).")
        text.sample("churn_model_reload_total", ["result": "ok"], Double(reloads.ok))
        text.sample("churn_model_reload_total", ["result": "refused"], Double(reloads.refused))
        text.family("process_resident_memory_bytes", type: "gauge", help: "Resident memory size in bytes.")
        text.sample("process_resident_memory_bytes", [:], Double(ProcessStats.residentBytes() ?? 0))
        text.family("process_cpu_seconds_total", type: "counter", help: "Total user and system CPU time spent in seconds.")
        text.sample("process_cpu_seconds_total", [:], ProcessStats.cpuSeconds() ?? 0)
        text.family("process_start_time_seconds", type: "gauge", help: "Start time of the process since unix epoch in seconds.")
        text.sample("process_start_time_seconds", [:], startedAt.timeIntervalSince1970.rounded())
        return text.output + predictionLogText()
    }
}
