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
    /// Share of rows held out for the final test metrics.
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
    public var testMetrics: EvaluationMetrics
    public var notes: [String]
    public var seconds: Double
}

/// Splits a labelled table, fits the chosen learner(s), evaluates on held-out rows, and assembles the artifact.
public enum ModelTrainer {
    public static let logisticGrid: [Double] = [1e-5, 1e-4, 1e-3, 1e-2, 1e-1]

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
            var bestL2 = trainer.l2
            var bestLoss = Double.infinity
            var warm: (Double, [Double])?
            for l2 in options.l2.map({ [$0] }) ?? logisticGrid {
                trainer.l2 = l2
                let model = trainer.fit(fitDesign, labels: fitPart.labels, start: warm)
                warm = (model.intercept, model.weights)
                let p = predict(.logistic(model), validMatrix)
                let loss = EvaluationMetrics(probabilities: p, labels: validPart.labels, threshold: 0.5).logLoss
                if loss < bestLoss { bestLoss = loss; bestL2 = l2 }
            }
            trainer.l2 = bestL2
            let fitted = trainer.fit(fitDesign, labels: fitPart.labels)
            let auc = EvaluationMetrics.auc(predict(.logistic(fitted), validMatrix), validPart.labels)
            // Refit on the whole training part with the chosen penalty: cheap, and uses every labelled row.
            let final = trainer.fit(LogisticRegressionTrainer.Design(matrix: trainMatrix), labels: trainPart.labels,
                                    start: (fitted.intercept, fitted.weights))
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
        let chosen = candidates.max { $0.auc < $1.auc }!
        if candidates.count > 1 {
            notes.append("kept \(chosen.name): validation AUC " + candidates.map { "\($0.name) \(String(format: "%.4f", $0.auc))" }.joined(separator: ", "))
        }

        let trainProbabilities = predict(chosen.predictor, trainMatrix)
        let threshold = EvaluationMetrics.bestF1Threshold(trainProbabilities, trainPart.labels)
        let trainMetrics = EvaluationMetrics(probabilities: trainProbabilities, labels: trainPart.labels, threshold: threshold)
        let testMetrics = EvaluationMetrics(probabilities: predict(chosen.predictor, testMatrix), labels: testPart.labels, threshold: threshold)

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
                                seconds: seconds, candidates: Dictionary(uniqueKeysWithValues: candidates.map { ($0.name, $0.auc) }))
        let artifact = ModelArtifact(
            version: versionID(learner: chosen.name, date: now, fingerprint: table.fingerprint, parameters: chosen.parameters),
            createdAt: now, learner: chosen.name, schema: table.schema, predictor: chosen.predictor,
            riskThresholds: options.riskThresholds, decisionThreshold: threshold, metrics: testMetrics, training: info,
            reference: ReferenceProfile(table: table), importance: importance)
        return TrainingReport(artifact: artifact, validationAUC: info.candidates, trainMetrics: trainMetrics,
                              testMetrics: testMetrics, notes: notes, seconds: seconds)
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
