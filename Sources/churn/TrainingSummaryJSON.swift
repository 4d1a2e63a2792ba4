import ChurnModel

/// `churn train --json`: what the text summary says, as one object (metrics include Brier score and reliability).
struct TrainingSummaryJSON: Encodable {
    var output: String
    var version: String
    var learner: String
    var seconds: Double
    var rows: Int
    var skippedRows: Int
    /// Rows the final model was fitted on (the training part, after validation).
    var fitRows: Int?
    /// How settings were chosen, e.g. "5-fold cross-validation".
    var validation: String?
    /// Validation AUC of each learner tried.
    var candidates: [String: Double]
    var parameters: [String: String]
    var notes: [String]
    var decisionThreshold: Double
    var calibration: CalibrationRecord?
    var train: EvaluationMetrics
    var validationMetrics: EvaluationMetrics
    var test: EvaluationMetrics?

    enum CodingKeys: String, CodingKey {
        case output, version, learner, seconds, rows, skippedRows, fitRows, validation, candidates, parameters, notes,
             decisionThreshold, calibration, train, test
        case validationMetrics = "validationPredictions"
    }
}
