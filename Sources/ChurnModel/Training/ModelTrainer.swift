import Foundation

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
    /// Share of the training part used for early stopping, the L2 search and learner choice.
    public var validationShare = 0.15
    public var seed: UInt64 = 42
    public var riskThresholds = RiskThresholds.standard
    public var gbt = GradientBoostingParameters()
    /// Fixed L2 penalty for the logistic model; nil searches a grid on validation log loss.
    public var l2: Double?
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}
}

/// What a training run produced and what it measured along the way.
public struct TrainingReport: Sendable {
    public var artifact: ModelArtifact
    /// Validation AUC of each learner tried.
    public var validationAUC: [String: Double]
    /// Metrics of the chosen model on the training part, at the decision threshold.
    public var trainMetrics: EvaluationMetrics
    /// Metrics on the held-out part (nil with `testShare` 0).
    public var testMetrics: EvaluationMetrics?
    public var notes: [String]
    public var seconds: Double
}

/// Splits a labelled table, fits the chosen learner(s), evaluates on held-out rows, and assembles the artifact.
public enum ModelTrainer {
    /// L2 penalties tried for the logistic model, strongest first (so each fit warm-starts the next).
    public static let logisticGrid: [Double] = [1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 3e-4, 1e-4, 3e-5, 1e-5, 1e-6]
    /// The penalty is chosen by 5-fold cross-validation on at most this many training rows (a seeded stratified
    /// sample of larger files: with that much data the choice hardly moves, and the search stays a few seconds).
    public static let penaltySearchRows = 50_000
    /// A held-out part with fewer rows than this of either class gets a warning: its AUC and F1 swing by chance.
    public static let minimumTestClassRows = 20

    public static func train(_ table: TrainingTable, options: TrainingOptions = TrainingOptions(), now: Date = Date()) -> TrainingReport {
        let clock = ContinuousClock.now
        let outer = StratifiedSplit(labels: table.labels, share: options.testShare, seed: options.seed)
        let trainPart = table.subset(outer.first)
        let testPart = table.subset(outer.second)
        let inner = StratifiedSplit(labels: trainPart.labels, share: options.validationShare, seed: options.seed &+ 1)
        let fitPart = trainPart.subset(inner.first)
        let validPart = trainPart.subset(inner.second)

        let trainMatrix = FeatureMatrix(table: trainPart)
        let fitMatrix = FeatureMatrix(table: fitPart)
        let validMatrix = FeatureMatrix(table: validPart)
        let testMatrix = FeatureMatrix(table: testPart)
        var notes = table.notes
        var candidates: [(name: String, auc: Double, predictor: Predictor, parameters: [String: String], gain: [Double])] = []

        if options.learner != .gbt {
            var trainer = LogisticRegressionTrainer(l2: options.l2 ?? logisticGrid[0])
            trainer.threads = options.threads
            let fitDesign = LogisticRegressionTrainer.Design(matrix: fitMatrix)
            let bestL2 = options.l2 ?? chooseL2(trainPart, trainer: trainer, seed: options.seed)
            trainer.l2 = bestL2
            let fitted = trainer.fit(fitDesign, labels: fitPart.labels)
            let auc = EvaluationMetrics.auc(predict(.logistic(fitted.model), validMatrix), validPart.labels)
            // Refit on the whole training part with the chosen penalty: cheap, and uses every labelled row.
            let final = trainer.fit(LogisticRegressionTrainer.Design(matrix: trainMatrix), labels: trainPart.labels,
                                    start: fitted.coefficients).model
            candidates.append(("logistic", auc, .logistic(final), ["l2": String(bestL2)],
                               final.weights.map { abs($0) }))
        }
        if options.learner != .logistic {
            var parameters = options.gbt
            parameters.threads = options.threads
            let result = GradientBoostingTrainer(parameters: parameters)
                .fit(fitMatrix, labels: fitPart.labels, validation: validMatrix, validationLabels: validPart.labels)
            let auc = EvaluationMetrics.auc(predict(.trees(result.ensemble), validMatrix), validPart.labels)
            var strings = parameters.asStrings
            strings["bestRound"] = String(result.bestRound)
            candidates.append(("gbt", auc, .trees(result.ensemble), strings, result.featureGain))
        }
        // An undefined validation AUC (a validation part of one class) ranks below any number.
        let chosen = candidates.max { ($0.auc.isNaN ? -1 : $0.auc) < ($1.auc.isNaN ? -1 : $1.auc) }!
        if candidates.count > 1 {
            notes.append("kept \(chosen.name): validation AUC " + candidates.map { "\($0.name) \(String(format: "%.4f", $0.auc))" }.joined(separator: ", "))
        }

        let trainProbabilities = predict(chosen.predictor, trainMatrix)
        let threshold = EvaluationMetrics.bestF1Threshold(trainProbabilities, trainPart.labels)
        let trainMetrics = EvaluationMetrics(probabilities: trainProbabilities, labels: trainPart.labels, threshold: threshold)
        let testMetrics = testPart.rowCount == 0 ? nil
            : EvaluationMetrics(probabilities: predict(chosen.predictor, testMatrix), labels: testPart.labels, threshold: threshold)

        if let testMetrics {
            let negatives = testMetrics.rows - testMetrics.positives
            if min(testMetrics.positives, negatives) < minimumTestClassRows {
                notes.append("warning: the test part has \(testMetrics.positives) churned and \(negatives) retained rows; with fewer than \(minimumTestClassRows) of either its metrics are too noisy to trust (use more data or a larger --test-share)")
            }
        }
        let layout = FeatureLayout(schema: table.schema)
        var perColumn = [Double](repeating: 0, count: table.schema.features.count)
        for (j, feature) in layout.features.enumerated() where j < chosen.gain.count { perColumn[feature.column] += chosen.gain[j] }
        let total = max(perColumn.reduce(0, +), 1e-300)
        let importance = zip(table.schema.features, perColumn)
            .map { FeatureImportance(column: $0.name, importance: $1 / total) }
            .sorted { $0.importance > $1.importance }

        let seconds = (ContinuousClock.now - clock).inSeconds
        let info = TrainingInfo(source: (table.file as NSString).lastPathComponent, rows: table.rowCount, positives: table.positives,
                                skippedRows: table.skippedCount, fingerprint: table.fingerprint, parameters: chosen.parameters,
                                seconds: seconds, candidates: Dictionary(uniqueKeysWithValues: candidates.filter { $0.auc.isFinite }.map { ($0.name, $0.auc) }))
        let artifact = ModelArtifact(
            version: versionID(learner: chosen.name, date: now, fingerprint: table.fingerprint, parameters: chosen.parameters),
            createdAt: now, learner: chosen.name, schema: table.schema, predictor: chosen.predictor,
            riskThresholds: options.riskThresholds, decisionThreshold: threshold, metrics: testMetrics, training: info,
            reference: ReferenceProfile(table: table), importance: importance)
        return TrainingReport(artifact: artifact, validationAUC: info.candidates, trainMetrics: trainMetrics,
                              testMetrics: testMetrics, notes: notes, seconds: seconds)
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
        let n = matrix.rows
        let width = matrix.columns.count
        let chunks = max(1, min(threads * 4, n / 4096))
        let out = ResultSlots<[Double]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = n * c / chunks
            let hi = n * (c + 1) / chunks
            var row = [Double](repeating: 0, count: width)
            var part = [Double](repeating: 0, count: hi - lo)
            for i in lo..<hi {
                for j in 0..<width { row[j] = matrix.columns[j][i] }
                part[i - lo] = row.withUnsafeBufferPointer { compiled.probability($0.baseAddress!) }
            }
            out[c] = part
        }
        return (0..<chunks).flatMap { out[$0]! }
    }

    /// "<learner>-<yyyymmdd>-<8 hex>", the hex a hash of the data fingerprint, settings and time.
    static func versionID(learner: String, date: Date, fingerprint: String, parameters: [String: String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let text = fingerprint + parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + String(date.timeIntervalSince1970)
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyyMMdd"
        let hex = String(hash & 0xFFFF_FFFF, radix: 16)
        return "\(learner)-\(f.string(from: date))-" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
