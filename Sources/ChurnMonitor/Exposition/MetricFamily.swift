/// Every metric family `GET /metrics` exports, in the order it exports them, with its type and labels.
///
/// These names and labels are an interface: infrastructure/monitoring (alert rules, promtool tests, recording
/// queries), the Grafana dashboards and the console's fleet source (`FleetQueries`) read them. Renaming one here
/// breaks them; `MetricFamilyTests` checks every name they use is in this table.
public enum MetricFamily: String, CaseIterable, Sendable {
    case httpRequests = "http_requests_total"
    case httpRequestDuration = "http_request_duration_seconds"
    case predictions = "predictions_total"
    case modelF1 = "model_f1_score"
    case dataDrift = "data_drift_score"
    case featureDriftPSI = "churn_feature_drift_psi"
    case featureBins = "churn_feature_bin_total"
    case modelInfo = "churn_model_info"
    case modelTrafficShare = "churn_model_traffic_share"
    case modelF1ByModel = "churn_model_f1_score"
    case modelDrift = "churn_model_drift_score"
    case modelReloads = "churn_model_reload_total"
    case residentMemory = "process_resident_memory_bytes"
    case cpuSeconds = "process_cpu_seconds_total"
    case startTime = "process_start_time_seconds"
    case predictionLogDropped = "churn_prediction_log_dropped_total"
    case predictionLogPending = "churn_prediction_log_pending"

    /// The Prometheus type, the labels every sample has, and those only some samples have (`model_version` on
    /// requests a model answered; `le` on histogram buckets).
    public var spec: (type: String, labels: [String], optional: [String]) {
        switch self {
        case .httpRequests: ("counter", ["method", "path", "status"], ["model_version"])
        case .httpRequestDuration: ("histogram", [], ["model_version", "le"])
        case .predictions: ("counter", ["model_version", "risk_level"], [])
        case .modelF1: ("gauge", [], [])
        case .dataDrift: ("gauge", [], [])
        case .featureDriftPSI: ("gauge", ["feature"], [])
        case .featureBins: ("counter", ["bin", "feature", "model_version"], [])
        case .modelInfo: ("gauge", ["learner", "role", "version"], [])
        case .modelTrafficShare: ("gauge", ["model_version"], [])
        case .modelF1ByModel: ("gauge", ["model_version"], [])
        case .modelDrift: ("gauge", ["model_version"], [])
        case .modelReloads: ("counter", ["result"], [])
        case .residentMemory: ("gauge", [], [])
        case .cpuSeconds: ("counter", [], [])
        case .startTime: ("gauge", [], [])
        case .predictionLogDropped: ("counter", [], [])
        case .predictionLogPending: ("gauge", [], [])
        }
    }

    /// The HELP text; a few name the monitor's settings, which `settings` supplies.
    func help(_ settings: HelpSettings) -> String {
        switch self {
        case .httpRequests: "HTTP requests answered, by method, route and status (and model_version when a model answered)."
        case .httpRequestDuration: "Time from request received to response ready (model_version on requests a model answered)."
        case .predictions: "Predictions made, by risk level and the model that made them."
        case .modelF1: "Live F1 of churn predictions against observed outcomes (NaN until enough feedback)."
        case .dataDrift: "Share of features whose PSI against the production model's training data is at least \(settings.driftThreshold), over recent traffic (NaN until \(settings.minimumRows) rows, so alert rules on it cannot fire)."
        case .featureDriftPSI: "Population stability index of each feature over recent traffic."
        case .featureBins: "Production predictions by feature and reference-profile bin (sum over replicas of one model_version to compute fleet drift)."
        case .modelInfo: "The models being served (value is always 1); role is production or canary."
        case .modelTrafficShare: "Share of customers routed to each served model."
        case .modelF1ByModel: "Live F1 from feedback on each served model's own predictions (NaN until enough feedback)."
        case .modelDrift: "data_drift_score of the rows each served model scored, against its own reference profile."
        case .modelReloads: "Attempts to load a new model into this server: ok (swapped in) or refused (the old one kept serving)."
        case .residentMemory: "Resident memory size in bytes."
        case .cpuSeconds: "Total user and system CPU time spent in seconds."
        case .startTime: "Start time of the process since unix epoch in seconds."
        case .predictionLogDropped: "Predictions left out of the prediction log because \(settings.maxPendingPredictions) rows were already waiting for the store."
        case .predictionLogPending: "Prediction-log rows waiting for the next store flush."
        }
    }

    /// The settings some HELP texts state.
    struct HelpSettings {
        var driftThreshold: Double
        var minimumRows: Int
        var maxPendingPredictions: Int
    }
}
