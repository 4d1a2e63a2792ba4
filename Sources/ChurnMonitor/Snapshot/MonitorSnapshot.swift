import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything the console shows at one moment, whatever the source (embedded engine, remote API, store file,
/// Prometheus). It is also the body of `GET /api/v1/stats` and the output of `churn snapshot --json`.
public struct MonitorSnapshot: Codable, Sendable, Equatable {
    /// When the source produced this snapshot.
    public var takenAt: Date
    /// Where it came from, e.g. "embedded", "api http://10.0.0.5:8000", "store /var/lib/churn/metrics.sqlite".
    public var source: String
    /// Seconds since the scoring process started (nil when unknown, e.g. a fleet).
    public var uptimeSeconds: Double?
    public var model: ModelSummary?
    /// Traffic over the last 1, 5 and 15 minutes (in that order).
    public var windows: [TrafficWindow]
    /// Counts since the process (or store) started.
    public var totals: Totals
    public var f1: F1Status
    public var drift: DriftStatus
    public var resources: Resources
    public var alerts: [AlertStatus]
    /// Most recent alert state changes, newest first.
    public var alertTransitions: [AlertTransition]
    /// Recent history at a fixed step, oldest first, for sparklines.
    public var history: History
    /// Per-replica view (Prometheus source only).
    public var replicas: [ReplicaStatus]
    /// The models serving traffic: production first, then a canary when one runs (nil from sources that do
    /// not know, such as older servers and store files).
    public var models: [ModelStatus]?
    /// Model reloads of the scoring process (nil when the source does not know).
    public var reloads: ModelReloads?
    /// Things the operator must know to read the numbers right, e.g. that the fleet serves another model than the
    /// one drift is measured against (Prometheus source only; absent from the JSON when there are none).
    public var warnings: [String]?

    public init(takenAt: Date, source: String, uptimeSeconds: Double? = nil, model: ModelSummary? = nil,
                windows: [TrafficWindow] = [], totals: Totals = Totals(), f1: F1Status = F1Status(),
                drift: DriftStatus = DriftStatus(), resources: Resources = Resources(), alerts: [AlertStatus] = [],
                alertTransitions: [AlertTransition] = [], history: History = History(), replicas: [ReplicaStatus] = [],
                warnings: [String] = []) {
        self.takenAt = takenAt
        self.source = source
        self.uptimeSeconds = uptimeSeconds
        self.model = model
        self.windows = windows
        self.totals = totals
        self.f1 = f1
        self.drift = drift
        self.resources = resources
        self.alerts = alerts
        self.alertTransitions = alertTransitions
        self.history = history
        self.replicas = replicas
        self.warnings = warnings.isEmpty ? nil : warnings
    }

    /// The window covering `seconds` (60, 300 or 900), if present.
    public func window(_ seconds: Int) -> TrafficWindow? { windows.first { $0.seconds == seconds } }
}

/// The model serving traffic, as the console describes it.
public struct ModelSummary: Codable, Sendable, Equatable {
    public var version: String
    public var learner: String
    public var createdAt: Date
    public var riskThresholds: RiskThresholds
    public var decisionThreshold: Double
    /// Held-out test metrics from training.
    public var trainingMetrics: EvaluationMetrics?
    public var trainingRows: Int?
    /// Input columns by importance, largest first.
    public var importance: [FeatureImportance]
    public var features: Int

    public init(version: String, learner: String, createdAt: Date, riskThresholds: RiskThresholds, decisionThreshold: Double,
                trainingMetrics: EvaluationMetrics?, trainingRows: Int?, importance: [FeatureImportance], features: Int) {
        self.version = version
        self.learner = learner
        self.createdAt = createdAt
        self.riskThresholds = riskThresholds
        self.decisionThreshold = decisionThreshold
        self.trainingMetrics = trainingMetrics
        self.trainingRows = trainingRows
        self.importance = importance
        self.features = features
    }

    public init(_ a: ModelArtifact) {
        self.init(version: a.version, learner: a.learner, createdAt: a.createdAt, riskThresholds: a.riskThresholds,
                  decisionThreshold: a.decisionThreshold, trainingMetrics: a.metrics, trainingRows: a.training?.rows,
                  importance: a.importance, features: a.schema.features.count)
    }
}

/// Request traffic over one trailing window.
public struct TrafficWindow: Codable, Sendable, Equatable {
    public var seconds: Int
    public var requests: Int
    /// Requests per second over the window.
    public var requestRate: Double
    /// Responses with status 5xx.
    public var errors: Int
    /// errors / requests (0 when there were no requests).
    public var errorRate: Double
    /// Latency quantiles in seconds (nil without requests).
    public var p50: Double?
    public var p95: Double?
    public var p99: Double?
    /// Predictions made in the window.
    public var predictions: Int

    public init(seconds: Int, requests: Int = 0, requestRate: Double = 0, errors: Int = 0, errorRate: Double = 0,
                p50: Double? = nil, p95: Double? = nil, p99: Double? = nil, predictions: Int = 0) {
        self.seconds = seconds
        self.requests = requests
        self.requestRate = requestRate
        self.errors = errors
        self.errorRate = errorRate
        self.p50 = p50
        self.p95 = p95
        self.p99 = p99
        self.predictions = predictions
    }
}

/// Counters since start.
public struct Totals: Codable, Sendable, Equatable {
    public var requests: Int
    public var errors: Int
    public var predictions: Int
    /// Predictions by risk level ("low", "medium", "high").
    public var byRisk: [String: Int]

    public init(requests: Int = 0, errors: Int = 0, predictions: Int = 0, byRisk: [String: Int] = ["low": 0, "medium": 0, "high": 0]) {
        self.requests = requests
        self.errors = errors
        self.predictions = predictions
        self.byRisk = byRisk
    }

    public var highRisk: Int { byRisk["high"] ?? 0 }
}

/// Live F1 from feedback joined with logged predictions.
public struct F1Status: Codable, Sendable, Equatable {
    /// nil until enough outcomes are known.
    public var value: Double?
    public var precision: Double?
    public var recall: Double?
    /// Outcomes joined with a prediction.
    public var labelled: Int
    /// The alert threshold (ModelF1Low fires below it).
    public var threshold: Double

    public init(value: Double? = nil, precision: Double? = nil, recall: Double? = nil, labelled: Int = 0, threshold: Double = 0.5) {
        self.value = value
        self.precision = precision
        self.recall = recall
        self.labelled = labelled
        self.threshold = threshold
    }
}

/// Live data drift over the recent-traffic window.
public struct DriftStatus: Codable, Sendable, Equatable {
    /// Share of features with PSI at or over `threshold` (0–1).
    public var score: Double
    /// PSI from which a feature counts as drifted.
    public var threshold: Double
    /// The DataDrift alert fires when `score` exceeds this.
    public var alertThreshold: Double
    /// Rows in the window drift is computed on.
    public var rows: Int
    /// Rows needed before `score` means anything (it is 0 below that).
    public var minimumRows: Int
    /// PSI per feature, in schema order.
    public var features: [DriftReport.Feature]

    public init(score: Double = 0, threshold: Double = DriftReport.defaultThreshold, alertThreshold: Double = 0.3,
                rows: Int = 0, minimumRows: Int = 200, features: [DriftReport.Feature] = []) {
        self.score = score
        self.threshold = threshold
        self.alertThreshold = alertThreshold
        self.rows = rows
        self.minimumRows = minimumRows
        self.features = features
    }

    /// Whether enough rows have been seen for the score to be meaningful.
    public var isWarm: Bool { rows >= minimumRows }
}

/// Process resources.
public struct Resources: Codable, Sendable, Equatable {
    public var residentBytes: Int?
    public var cpuSeconds: Double?

    public init(residentBytes: Int? = nil, cpuSeconds: Double? = nil) {
        self.residentBytes = residentBytes
        self.cpuSeconds = cpuSeconds
    }
}

/// One alert rule's current state.
public struct AlertStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable { case ok, pending, firing }

    public var name: String
    public var state: State
    /// The rule's measured value now (nil when it cannot be computed, e.g. no traffic).
    public var value: Double?
    public var threshold: Double
    /// When the rule entered its current state.
    public var since: Date
    /// What the rule watches, for a person.
    public var summary: String

    public init(name: String, state: State, value: Double?, threshold: Double, since: Date, summary: String) {
        self.name = name
        self.state = state
        self.value = value
        self.threshold = threshold
        self.since = since
        self.summary = summary
    }
}

/// A change of an alert's state.
public struct AlertTransition: Codable, Sendable, Equatable {
    public var name: String
    public var from: AlertStatus.State
    public var to: AlertStatus.State
    public var at: Date
    public var value: Double?

    public init(name: String, from: AlertStatus.State, to: AlertStatus.State, at: Date, value: Double?) {
        self.name = name
        self.from = from
        self.to = to
        self.at = at
        self.value = value
    }
}

/// Recent samples at a fixed step, oldest first; the last point is the most recent complete step.
public struct History: Codable, Sendable, Equatable {
    public var step: Int
    public var requestRate: [Double]
    /// Latency quantiles in seconds; nil for a step without requests.
    public var p95: [Double?]
    public var p99: [Double?]
    public var errorRate: [Double]
    public var driftScore: [Double]
    /// Share of each step's predictions at high risk; nil for a step without predictions (absent from sources
    /// that do not count it).
    public var highRiskShare: [Double?]?
    /// The `HistoryRange` label these points cover ("live", "24h", …); absent from older sources (live).
    public var range: String?
    /// Exclusive end of the last point (absent from older sources: the last complete step before `takenAt`).
    public var end: Date?

    public init(step: Int = 10, requestRate: [Double] = [], p95: [Double?] = [], p99: [Double?] = [],
                errorRate: [Double] = [], driftScore: [Double] = []) {
        self.step = step
        self.requestRate = requestRate
        self.p95 = p95
        self.p99 = p99
        self.errorRate = errorRate
        self.driftScore = driftScore
    }
}

/// One scoring replica seen through Prometheus.
public struct ReplicaStatus: Codable, Sendable, Equatable {
    public var instance: String
    public var up: Bool
    public var requestRate: Double?
    public var p99: Double?
    public var residentBytes: Int?
    /// The model version the replica reports in `churn_model_info` (nil when down or not reported).
    public var modelVersion: String?

    public init(instance: String, up: Bool, requestRate: Double? = nil, p99: Double? = nil, residentBytes: Int? = nil,
                modelVersion: String? = nil) {
        self.instance = instance
        self.up = up
        self.requestRate = requestRate
        self.p99 = p99
        self.residentBytes = residentBytes
        self.modelVersion = modelVersion
    }
}
