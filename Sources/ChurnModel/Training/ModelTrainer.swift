import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which learner `churn train` fits.
public enum LearnerChoice: String, Sendable, CaseIterable {
    /// Fit both, keep the one with the better validation AUC.
    case auto
    case logistic
    case gbt
}

/// Settings of a training run.
public struct TrainingOptions: Sendable {
    public var learner: LearnerChoice = .auto
    /// Share of rows held out for the final test metrics; 0 trains on every row and reports no test metrics
    /// (for when the test set lives in another file, as in benchmarks).
    public var testShare = 0.2
    /// Share of the training part held out for validation when it is too large to cross-validate
    /// (see `ValidationPlan`).
    public var validationShare = 0.15
    public var seed: UInt64 = 42
    public var riskThresholds = RiskThresholds.standard
    public var gbt = GradientBoostingParameters()
    /// Fixed L2 penalty for the logistic model; nil searches a grid on validation log loss.
    public var l2: Double?
    /// Whether a Platt recalibration may be folded into the model when validation says it helps.
    public var calibrate = true
    public var threads = ProcessInfo.processInfo.activeProcessorCount
    /// Told what the run is doing (see `TrainingProgress`); nil reports nothing.
    public var progress: TrainingProgressHandler?

    public init() {}
}

/// What a training run produced and what it measured along the way.
public struct TrainingReport: Sendable {
    public var artifact: ModelArtifact
    /// Validation AUC of each learner tried.
    public var validationAUC: [String: Double]
    /// Metrics of the chosen model on the training part, at the decision threshold.
    public var trainMetrics: EvaluationMetrics
    /// Metrics of out-of-fold (or holdout) predictions of the chosen learner, after any recalibration.
    public var validationMetrics: EvaluationMetrics
    /// Metrics on the held-out part (nil with `testShare` 0).
    public var testMetrics: EvaluationMetrics?
    public var notes: [String]
    public var seconds: Double
}

/// Splits a labelled table, chooses a learner and its settings by validation, refits on every training row,
/// recalibrates when that helps, evaluates on held-out rows, and assembles the artifact.
public enum ModelTrainer {
    /// L2 penalties tried for the logistic model, strongest first (so each fit warm-starts the next).
    public static let logisticGrid: [Double] = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5, 1e-5, 1e-6]
    /// With a holdout (large files), the penalty is chosen by 5-fold cross-validation on at most this many training
    /// rows (a seeded stratified sample: with that much data the choice hardly moves, and the search stays short).
    public static let penaltySearchRows = 50_000
    /// A held-out part with fewer rows than this of either class gets a warning: its AUC and F1 swing by chance.
    public static let minimumTestClassRows = 20
    /// Recalibration is kept only when it lowers cross-validated log loss by at least this share.
    public static let calibrationGain = 0.002

    public static func train(_ table: TrainingTable, options: TrainingOptions = TrainingOptions(), now: Date = Date()) -> TrainingReport {
        let clock = ContinuousClock.now
        let outer = StratifiedSplit(labels: table.labels, share: options.testShare, seed: options.seed)
        let given = table.subset(outer.first)
        let testPart = table.subset(outer.second)
        let plan = ValidationPlan(labels: given.labels, validationShare: options.validationShare, seed: options.seed &+ 1)
        let phase: TrainingProgress.Phase = plan.isCrossValidation ? .crossValidation : .holdout
        let tell = options.progress ?? { _ in }
        var notes = table.notes

        // Validation: each learner measured on the same held-out rows. The logistic fits are a small share of the
        // time next to the trees, which the progress shares reflect.
        var candidates: [LearnerCandidate] = []
        let both = options.learner == .auto
        if options.learner != .gbt {
            candidates.append(logisticCandidate(given, plan: plan, options: options) { f, detail in
                tell(TrainingProgress(phase: phase, fraction: both ? 0.1 * f : f, detail: detail))
            })
        }
        if options.learner != .logistic {
            candidates.append(gbtCandidate(given, plan: plan, options: options) { f, detail in
                tell(TrainingProgress(phase: phase, fraction: both ? 0.1 + 0.9 * f : f, detail: detail))
            })
        }
        // An undefined validation AUC (a validation part of one class) ranks below any number.
        let chosen = candidates.max { ($0.validationAUC.isNaN ? -1 : $0.validationAUC) < ($1.validationAUC.isNaN ? -1 : $1.validationAUC) }!
        tell(TrainingProgress(phase: phase, fraction: 1, detail: "kept \(chosen.name), validation AUC "
                              + String(cFormat: "%.4f", chosen.validationAUC), finished: true))
        if candidates.count > 1 {
            notes.append("kept \(chosen.name): \(plan.description) AUC " + candidates.map { "\($0.name) \(String(cFormat: "%.4f", $0.validationAUC))" }.joined(separator: ", "))
        }

        let refitted = chosen.refit { f, detail in tell(TrainingProgress(phase: .refit, fraction: f, detail: detail)) }
        tell(TrainingProgress(phase: .refit, fraction: 1, detail: "\(chosen.name) on \(given.rowCount) rows", finished: true))

        // Recalibration, judged on the validation predictions (each row scored by a model that never saw it).
        let heldLabels = plan.heldRows.map { given.labels[$0] }
        let platt = PlattScaling.crossValidated(margins: chosen.heldMargins, labels: heldLabels, seed: options.seed &+ 3)
        let keep = options.calibrate && platt.after < platt.before * (1 - calibrationGain)
        let scaling = keep ? platt.scaling : .identity
        let predictor = keep ? scaling.apply(to: refitted.predictor) : refitted.predictor
        let calibration = CalibrationRecord(method: keep ? "platt" : "none", slope: platt.scaling.slope, offset: platt.scaling.offset,
                                            logLossBefore: platt.before, logLossAfter: platt.after)
        if keep {
            notes.append("recalibrated (Platt): validation log loss " + String(cFormat: "%.4f -> %.4f", platt.before, platt.after))
        }
        tell(TrainingProgress(phase: .calibration, fraction: 1, detail: keep ? "Platt scaling kept" : "not needed", finished: true))

        // The decision threshold maximises F1 on the validation predictions: honest, where the final model's own
        // training predictions would be overconfident (trees especially).
        let heldProbabilities = chosen.heldMargins.map { sigmoid(scaling.slope * $0 + scaling.offset) }
        let threshold = EvaluationMetrics.bestF1Threshold(heldProbabilities, heldLabels)
        let validationMetrics = EvaluationMetrics(probabilities: heldProbabilities, labels: heldLabels, threshold: threshold)
        let trainMetrics = EvaluationMetrics(probabilities: predict(predictor, FeatureMatrix(table: given)), labels: given.labels, threshold: threshold)
        let testMetrics = testPart.rowCount == 0 ? nil
            : EvaluationMetrics(probabilities: predict(predictor, FeatureMatrix(table: testPart)), labels: testPart.labels, threshold: threshold)

        if let testMetrics {
            let negatives = testMetrics.rows - testMetrics.positives
            if min(testMetrics.positives, negatives) < minimumTestClassRows {
                notes.append("warning: the test part has \(testMetrics.positives) churned and \(negatives) retained rows; with fewer than \(minimumTestClassRows) of either its metrics are too noisy to trust (use more data or a larger --test-share)")
            }
        }
        let layout = FeatureLayout(schema: table.schema)
        var perColumn = [Double](repeating: 0, count: table.schema.features.count)
        for (j, feature) in layout.features.enumerated() where j < refitted.gain.count { perColumn[feature.column] += refitted.gain[j] }
        let total = max(perColumn.reduce(0, +), 1e-300)
        let importance = zip(table.schema.features, perColumn)
            .map { FeatureImportance(column: $0.name, importance: $1 / total) }
            .sorted { $0.importance > $1.importance }

        let seconds = (ContinuousClock.now - clock).inSeconds
        var info = TrainingInfo(source: PathText.lastComponent(table.file), rows: table.rowCount, positives: table.positives,
                                skippedRows: table.skippedCount, fingerprint: table.fingerprint, parameters: chosen.parameters,
                                seconds: seconds, candidates: Dictionary(uniqueKeysWithValues: candidates.filter { $0.validationAUC.isFinite }.map { ($0.name, $0.validationAUC) }))
        info.fitRows = given.rowCount
        info.validation = plan.description
        info.validationMetrics = validationMetrics
        info.calibration = calibration
        let artifact = ModelArtifact(
            version: versionID(learner: chosen.name, date: now, fingerprint: table.fingerprint, parameters: chosen.parameters),
            createdAt: now, learner: chosen.name, schema: table.schema, predictor: predictor,
            riskThresholds: options.riskThresholds, decisionThreshold: threshold, metrics: testMetrics, training: info,
            reference: ReferenceProfile(table: table), importance: importance)
        return TrainingReport(artifact: artifact, validationAUC: info.candidates, trainMetrics: trainMetrics,
                              validationMetrics: validationMetrics, testMetrics: testMetrics, notes: notes, seconds: seconds)
    }

    /// The L2 penalty with the lowest cross-validated log loss (5 folds over the training part, or over a
    /// stratified sample of `penaltySearchRows` rows of a larger one).
    static func chooseL2(_ trainPart: TrainingTable, trainer: LogisticRegressionTrainer, seed: UInt64) -> Double {
        var trainer = trainer
        var sample = trainPart
        if trainPart.rowCount > penaltySearchRows {
            let split = StratifiedSplit(labels: trainPart.labels, share: Double(penaltySearchRows) / Double(trainPart.rowCount), seed: seed &+ 11)
            sample = trainPart.subset(split.second)
        }
        var folds: [(LogisticRegressionTrainer.Design, [UInt8], FeatureMatrix, [UInt8])] = []
        let assignment = StratifiedFolds(labels: sample.labels, folds: 5, seed: seed &+ 7)
        for k in 0..<5 {
            let fit = sample.subset(assignment.indexes { $0 != k })
            let held = sample.subset(assignment.indexes { $0 == k })
            folds.append((LogisticRegressionTrainer.Design(matrix: FeatureMatrix(table: fit)), fit.labels,
                          FeatureMatrix(table: held), held.labels))
        }
        var loss = [Double](repeating: 0, count: logisticGrid.count)
        for (design, labels, held, heldLabels) in folds {
            var warm: [Double]?
            for (g, l2) in logisticGrid.enumerated() {
                trainer.l2 = l2
                let fit = trainer.fit(design, labels: labels, start: warm)
                warm = fit.coefficients
                let p = predict(.logistic(fit.model), held)
                loss[g] += EvaluationMetrics(probabilities: p, labels: heldLabels, threshold: 0.5).logLoss * Double(heldLabels.count)
            }
        }
        return logisticGrid[loss.indices.min { loss[$0] < loss[$1] }!]
    }

    /// Probabilities for every row of a matrix, computed on every core.
    public static func predict(_ predictor: Predictor, _ matrix: FeatureMatrix, threads: Int = ProcessInfo.processInfo.activeProcessorCount) -> [Double] {
        let compiled = CompiledPredictor(predictor)
        return mapRows(matrix, threads: threads) { compiled.probability($0) }
    }

    /// "<learner>-<yyyymmdd>-<8 hex>", the hex a hash of the data fingerprint, settings and time.
    static func versionID(learner: String, date: Date, fingerprint: String, parameters: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let text = fingerprint + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + String(date.timeIntervalSince1970)
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(hash & 0xFFFF_FFFF, radix: 16)
        return "\(learner)-\(clockTime(date.timeIntervalSince1970, "%Y%m%d", utc: true))-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
