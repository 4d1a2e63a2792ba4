/// How a training run measures candidate settings on rows a model did not train on.
///
/// The rule: with at most `crossValidationRows` training rows, stratified k-fold cross-validation (`folds` folds,
/// every row held out exactly once); above that, one stratified holdout of `validationShare` of the rows, which
/// at that size is already large enough to rank settings reliably and keeps training within the time budget.
/// Either way the final model is then refitted on every training row with the settings chosen.
public struct ValidationPlan: Sendable {
    /// Largest training part that is cross-validated.
    public static let crossValidationRows = 50_000
    public static let folds = 5

    /// One fit-and-measure split: indexes (into the training part) to fit on and to hold out.
    public struct Part: Sendable {
        public var fit: [Int]
        public var held: [Int]
    }

    public let parts: [Part]
    public let isCrossValidation: Bool
    public let rows: Int

    public init(labels: [UInt8], validationShare: Double, seed: UInt64) {
        rows = labels.count
        if labels.count <= ValidationPlan.crossValidationRows {
            let assignment = StratifiedFolds(labels: labels, folds: ValidationPlan.folds, seed: seed)
            parts = (0..<ValidationPlan.folds).map { k in
                Part(fit: assignment.indexes { $0 != k }, held: assignment.indexes { $0 == k })
            }
            isCrossValidation = true
        } else {
            let split = StratifiedSplit(labels: labels, share: validationShare, seed: seed)
            parts = [Part(fit: split.first, held: split.second)]
            isCrossValidation = false
        }
    }

    /// Every held-out row once, in the order the parts list them (out-of-fold predictions follow this order).
    public var heldRows: [Int] { parts.flatMap(\.held) }

    /// Mean number of rows a validation model was fitted on.
    public var meanFitRows: Double { Double(parts.reduce(0) { $0 + $1.fit.count }) / Double(max(parts.count, 1)) }

    /// "fold 2/5", or "holdout" for the one part of a holdout plan (progress lines).
    func partName(_ k: Int) -> String { isCrossValidation ? "fold \(k + 1)/\(parts.count)" : "holdout" }

    /// For the training summary: "5-fold cross-validation" or "holdout of 15% (150,000 rows)".
    public var description: String {
        isCrossValidation ? "\(parts.count)-fold cross-validation"
            : "holdout of \(Int((Double(parts[0].held.count) / Double(max(rows, 1)) * 100).rounded()))% (\(parts[0].held.count) rows)"
    }
}
