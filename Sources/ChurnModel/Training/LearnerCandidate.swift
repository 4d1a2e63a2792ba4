/// One learner as validation measured it, and how to refit it on every training row with the settings chosen.
struct LearnerCandidate {
    var name: String
    /// Mean AUC over the validation parts (the folds, or the one holdout).
    var validationAUC: Double
    /// Margins predicted for `ValidationPlan.heldRows`, each by a model that did not train on that row.
    var heldMargins: [Double]
    /// Settings chosen by validation, as recorded in the artifact.
    var parameters: [String: String]
    /// Fits the final model on every training row (reporting its share done and a detail line); returns it with,
    /// per encoded feature, what the importance table is built from (|weight| or split gain). Run only for the
    /// learner kept.
    var refit: (_ report: (Double, String) -> Void) -> (predictor: Predictor, gain: [Double])
}
