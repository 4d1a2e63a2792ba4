import ChurnModel
import Foundation
import Synchronization

/// One prediction as the monitor records it: who, what was predicted, and the row's drift bins.
public struct PredictionEvent: Sendable {
    public var customerID: String?
    public var probability: Double
    public var risk: RiskLevel
    /// Flat drift bin index of each column (`DriftTally.binIndexes`).
    public var bins: [Int]

    public init(customerID: String?, probability: Double, risk: RiskLevel, bins: [Int]) {
        self.customerID = customerID
        self.probability = probability
        self.risk = risk
        self.bins = bins
    }
}

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
        /// Rows the drift window needs before drift is reported (PSI of a handful of rows is noise).
        public var driftMinimumRows = 200
        public var alerts = AlertRule.Settings()
        /// Joined outcomes needed before a live F1 is reported.
        public var minimumLabelled = 20
        public var historyStep = 10
        public var historyPoints = 90
        public init() {}
    }

    struct State {
        var engine: ScoringEngine
        var tally: DriftTally
        var ring = TrafficRing()
        var drift: DriftWindow
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
        var pendingOutcomes: [StoredOutcome] = []
        var pendingTransitions: [AlertTransition] = []
    }

    public let configuration: Configuration
    public let startedAt: Date
    public let store: MetricsStore?
    private let state: Mutex<State>

    public init(engine: ScoringEngine, store: MetricsStore?, configuration: Configuration = Configuration(), now: Date = Date()) throws {
        self.configuration = configuration
        self.startedAt = now
        self.store = store
        let tally = DriftTally(profile: engine.artifact.reference, layout: engine.layout)
        var alerts = AlertEngine(rules: AlertRule.standard(configuration.alerts), now: now)
        var ledger = FeedbackLedger(minimumLabelled: configuration.minimumLabelled)
        if let store {
            let restored = try store.restore()
            alerts.restore(restored.alerts, transitions: restored.transitions)
            ledger.confusion = restored.confusion
            try store.writeModel(engine.artifact, writerStarted: now)
        }
        state = Mutex(State(engine: engine, tally: tally,
                            drift: DriftWindow(binCount: tally.binCount, span: configuration.driftWindowSeconds),
                            ledger: ledger, alerts: alerts))
    }

    public var engine: ScoringEngine { state.withLock { $0.engine } }

    /// Drift bins of an encoded row under the current model (compute outside any lock).
    public func bins(_ row: EncodedRow) -> [Int] {
        let tally = state.withLock { $0.tally }
        return tally.binIndexes(row)
    }

    // MARK: Recording

    /// Records one answered HTTP request.
    public func recordRequest(method: String, path: String, status: Int, seconds: Double, now: Date = Date()) {
        let second = Int(now.timeIntervalSince1970)
        let interval = second - second % 10
        let key = IntervalStats.routeKey(method: method, path: path, status: status)
        state.withLock { s in
            s.ring.record(second: second, status: status, seconds: seconds)
            s.routes[key, default: 0] += 1
            s.latency.record(seconds)
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

    /// Records predictions made by one request.
    public func recordPredictions(_ events: [PredictionEvent], now: Date = Date()) {
        guard !events.isEmpty else { return }
        let second = Int(now.timeIntervalSince1970)
        let interval = second - second % 10
        state.withLock { s in
            let version = s.engine.version
            let decision = s.engine.artifact.decisionThreshold
            s.ring.recordPredictions(second: second, count: events.count)
            var i = s.intervals[interval] ?? IntervalStats()
            if i.driftBins.isEmpty { i.driftBins = [Int](repeating: 0, count: s.tally.binCount) }
            for e in events {
                s.risk[e.risk.rank] += 1
                i.risk[e.risk.rank] += 1
                s.drift.add(bins: e.bins, second: second)
                for b in e.bins { i.driftBins[b] += 1 }
                if let id = e.customerID, !id.isEmpty {
                    s.pendingPredictions[id] = LoggedPrediction(probability: e.probability, predicted: e.probability >= decision,
                                                                risk: e.risk, modelVersion: version, at: now)
                }
            }
            s.intervals[interval] = i
        }
    }

    /// Joins an observed outcome with the latest logged prediction for that customer.
    public func recordFeedback(customerID: String, churned: Bool, now: Date = Date()) throws -> FeedbackMatch {
        var logged = state.withLock { $0.pendingPredictions[customerID] }
        if logged == nil, let store { logged = try store.prediction(for: customerID) }
        guard let logged else { return .unmatched }
        state.withLock { s in
            s.ledger.add(predicted: logged.predicted, churned: churned)
            s.pendingOutcomes.append(StoredOutcome(customerID: customerID, churned: churned, predicted: logged.predicted,
                                                   probability: logged.probability, modelVersion: logged.modelVersion, at: now))
        }
        return .matched(predicted: logged.predicted)
    }

    // MARK: Periodic work

    /// Expires old drift slots, samples drift history and evaluates alert rules (call about once a second).
    @discardableResult
    public func tick(now: Date = Date()) -> [AlertTransition] {
        let second = Int(now.timeIntervalSince1970)
        return state.withLock { s in
            s.drift.expire(now: second)
            let report = driftReport(s)
            let step = configuration.historyStep
            let epoch = second / step
            let score = report.rows >= configuration.driftMinimumRows ? report.score : 0
            if s.driftHistory.last?.epoch != epoch {
                s.driftHistory.append((epoch, score))
                if s.driftHistory.count > configuration.historyPoints + 1 { s.driftHistory.removeFirst() }
            } else {
                s.driftHistory[s.driftHistory.count - 1].score = score
            }
            let five = s.ring.window(now: second, length: 300)
            let f1 = s.ledger.status(threshold: configuration.alerts.f1).value
            let inputs = AlertInputs(errorRate5m: five.requests > 0 ? five.errorRate : nil, p99Latency5m: five.p99,
                                     driftScore: report.rows >= configuration.driftMinimumRows ? report.score : nil, f1: f1)
            let made = s.alerts.evaluate(inputs, now: now)
            s.pendingTransitions += made
            return made
        }
    }

    private func driftReport(_ s: State) -> DriftReport {
        DriftReport(counts: s.tally.driftCounts(fromFlat: s.drift.running), profile: s.engine.artifact.reference,
                    threshold: configuration.driftThreshold)
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
            s.pendingPredictions = [:]
            s.pendingOutcomes = []
            s.pendingTransitions = []
            return batch
        }
        do {
            try store.write(batch)
        } catch {
            // Put the prediction log back so a transient failure loses nothing; counters were taken as deltas
            // and are re-added to the next flush.
            state.withLock { s in
                for (id, p) in batch.predictions where s.pendingPredictions[id] == nil { s.pendingPredictions[id] = p }
                s.pendingOutcomes = batch.outcomes + s.pendingOutcomes
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
            return MonitorSnapshot(
                takenAt: now, source: source, uptimeSeconds: now.timeIntervalSince(startedAt),
                model: ModelSummary(s.engine.artifact),
                windows: [60, 300, 900].map { s.ring.window(now: second, length: $0) },
                totals: Totals(requests: s.requests, errors: s.errors, predictions: s.risk.reduce(0, +),
                               byRisk: ["low": s.risk[0], "medium": s.risk[1], "high": s.risk[2]]),
                f1: s.ledger.status(threshold: configuration.alerts.f1),
                drift: DriftStatus(score: report.rows >= configuration.driftMinimumRows ? report.score : 0,
                                   threshold: report.threshold, alertThreshold: configuration.alerts.driftScore,
                                   rows: report.rows, minimumRows: configuration.driftMinimumRows, features: report.features),
                resources: Resources(residentBytes: ProcessStats.residentBytes(), cpuSeconds: ProcessStats.cpuSeconds()),
                alerts: s.alerts.states, alertTransitions: Array(s.alerts.transitions.prefix(20)),
                history: History(step: step, requestRate: series.rate, p95: series.p95, p99: series.p99,
                                 errorRate: series.errorRate, driftScore: driftSeries))
        }
    }

    /// The Prometheus text exposition of everything this process counts.
    public func prometheusText(now: Date = Date()) -> String {
        let (routes, latency, risk, report, f1, cumulative, tally, model) = state.withLock { s in
            (s.routes, s.latency, s.risk, driftReport(s), s.ledger.status(threshold: configuration.alerts.f1).value,
             s.drift.cumulative, s.tally, s.engine.artifact)
        }
        var text = PrometheusText()
        text.family("http_requests_total", type: "counter", help: "HTTP requests answered, by method, route and status.")
        for (key, count) in routes.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: " ", maxSplits: 2).map(String.init)
            text.sample("http_requests_total", ["method": parts[0], "path": parts[1], "status": parts[2]], Double(count))
        }
        text.family("http_request_duration_seconds", type: "histogram", help: "Time from request received to response ready.")
        let cum = latency.cumulative()
        for (bound, count) in zip(LatencyHistogram.exportedBounds, cum) {
            text.sample("http_request_duration_seconds_bucket", ["le": PrometheusText.number(bound)], Double(count))
        }
        text.sample("http_request_duration_seconds_bucket", ["le": "+Inf"], Double(latency.total))
        text.sample("http_request_duration_seconds_sum", [:], latency.sum)
        text.sample("http_request_duration_seconds_count", [:], Double(latency.total))
        text.family("predictions_total", type: "counter", help: "Predictions made, by risk level.")
        for (i, level) in RiskLevel.allCases.enumerated() {
            text.sample("predictions_total", ["risk_level": level.rawValue], Double(risk[i]))
        }
        text.family("model_f1_score", type: "gauge", help: "Live F1 of churn predictions against observed outcomes (NaN until enough feedback).")
        text.sample("model_f1_score", [:], f1 ?? .nan)
        text.family("data_drift_score", type: "gauge", help: "Share of features whose PSI against the training data is at least \(configuration.driftThreshold), over recent traffic (NaN until \(configuration.driftMinimumRows) rows).")
        text.sample("data_drift_score", [:], report.rows >= configuration.driftMinimumRows ? report.score : .nan)
        text.family("churn_feature_drift_psi", type: "gauge", help: "Population stability index of each feature over recent traffic.")
        for f in report.features { text.sample("churn_feature_drift_psi", ["feature": f.name], f.psi) }
        text.family("churn_feature_bin_total", type: "counter", help: "Predictions by feature and reference-profile bin (sum over replicas to compute fleet drift).")
        let split = tally.driftCounts(fromFlat: cumulative)
        for (c, column) in model.reference.columns.enumerated() where c < split.bins.count {
            for (b, n) in split.bins[c].enumerated() {
                text.sample("churn_feature_bin_total", ["feature": column.name, "bin": String(b)], Double(n))
            }
        }
        text.family("churn_model_info", type: "gauge", help: "The model being served (value is always 1).")
        text.sample("churn_model_info", ["version": model.version, "learner": model.learner], 1)
        text.family("process_resident_memory_bytes", type: "gauge", help: "Resident memory size in bytes.")
        text.sample("process_resident_memory_bytes", [:], Double(ProcessStats.residentBytes() ?? 0))
        text.family("process_cpu_seconds_total", type: "counter", help: "Total user and system CPU time spent in seconds.")
        text.sample("process_cpu_seconds_total", [:], ProcessStats.cpuSeconds() ?? 0)
        text.family("process_start_time_seconds", type: "gauge", help: "Start time of the process since unix epoch in seconds.")
        text.sample("process_start_time_seconds", [:], startedAt.timeIntervalSince1970.rounded())
        return text.output
    }
}
