import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How and on what a model was trained.
public struct TrainingInfo: Codable, Sendable, Equatable {
    public var source: String
    public var rows: Int
    public var positives: Int
    public var skippedRows: Int
    /// Fingerprint of the training rows (see `TrainingTable.fingerprint`).
    public var fingerprint: String
    /// The learner's settings as given or chosen (e.g. "l2": "0.01", "rounds": "212").
    public var parameters: [String: String]
    public var seconds: Double
    /// Validation AUC of every learner tried, when `auto` compared several.
    public var candidates: [String: Double]
    /// Rows the final model was fitted on: every row of the training part, after validation chose the settings
    /// (absent in artifacts written before the refit, and for imported models).
    public var fitRows: Int?
    /// How the settings were chosen, e.g. "5-fold cross-validation" or "holdout of 15% (1,200,000 rows)".
    public var validation: String?
    /// Metrics of predictions made for rows the predicting model had not trained on (out-of-fold or holdout).
    public var validationMetrics: EvaluationMetrics?
    /// The probability recalibration tried on those predictions, and whether it was kept.
    public var calibration: CalibrationRecord?

    public init(source: String, rows: Int, positives: Int, skippedRows: Int, fingerprint: String,
                parameters: [String: String], seconds: Double, candidates: [String: Double]) {
        self.source = source
        self.rows = rows
        self.positives = positives
        self.skippedRows = skippedRows
        self.fingerprint = fingerprint
        self.parameters = parameters
        self.seconds = seconds
        self.candidates = candidates
    }
}

/// A column's weight in the model's decisions, summed over its encoded features.
public struct FeatureImportance: Codable, Sendable, Equatable {
    public var column: String
    public var importance: Double
}

/// Everything needed to score, explain and monitor with a trained model, as one JSON document.
/// The format is described in docs/model-format.md.
public struct ModelArtifact: Codable, Sendable, Equatable {
    public static let formatName = "churnops-model"
    public static let currentFormatVersion = 1

    public var format: String
    public var formatVersion: Int
    /// Model version id, e.g. "gbt-20261128-3f9a1c2e".
    public var version: String
    public var createdAt: Date
    /// "logistic", "gbt", or the library an imported model came from.
    public var learner: String
    public var schema: Schema
    /// Names of the encoded features, in the order the predictor reads them.
    public var features: [String]
    public var predictor: Predictor
    public var riskThresholds: RiskThresholds
    /// The probability at or above which the model predicts churn (maximises F1 on the training part).
    public var decisionThreshold: Double
    /// Metrics on the held-out test part.
    public var metrics: EvaluationMetrics?
    public var training: TrainingInfo?
    public var reference: ReferenceProfile
    public var importance: [FeatureImportance]

    public init(version: String, createdAt: Date, learner: String, schema: Schema, predictor: Predictor,
                riskThresholds: RiskThresholds, decisionThreshold: Double, metrics: EvaluationMetrics?,
                training: TrainingInfo?, reference: ReferenceProfile, importance: [FeatureImportance]) {
        self.format = ModelArtifact.formatName
        self.formatVersion = ModelArtifact.currentFormatVersion
        self.version = version
        self.createdAt = createdAt
        self.learner = learner
        self.schema = schema
        self.features = FeatureLayout(schema: schema).features.map(\.name)
        self.predictor = predictor
        self.riskThresholds = riskThresholds
        self.decisionThreshold = decisionThreshold
        self.metrics = metrics
        self.training = training
        self.reference = reference
        self.importance = importance
    }

    public var layout: FeatureLayout { FeatureLayout(schema: schema) }

    // MARK: Reading and writing

    /// Loads and checks an artifact; every failure is a `ModelLoadError` naming the file and the problem.
    public static func load(path: String) throws(ModelLoadError) -> ModelArtifact {
        if let kind = FileKind.notAFile(path: path) {
            throw ModelLoadError(file: path, reason: "it is \(kind), not a model file; give the path of the JSON file `churn train` wrote")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelLoadError(file: path, reason: "cannot read the file (\(IOErrorText.describe(error, file: path)))")
        }
        return try decode(data, file: path)
    }

    /// Decodes and checks an artifact from JSON bytes.
    public static func decode(_ data: Data, file: String = "model") throws(ModelLoadError) -> ModelArtifact {
        // A file of ours, of a version this build reads, decodes in one pass. Reading the envelope first costs a
        // second pass over the whole document (JSONDecoder scans all of it even for two members): about 6 ms of
        // the 46 ms CPU `churn score` took to start with a 300-tree model. Anything else takes the checks below,
        // which decode again to say what is wrong.
        if let artifact = try? ModelArtifact.decoder.decode(ModelArtifact.self, from: data),
           artifact.format == formatName, artifact.formatVersion <= currentFormatVersion {
            if let problem = artifact.validate() { throw ModelLoadError(file: file, reason: problem) }
            return artifact
        }
        // Check the envelope first so a foreign JSON file gets a plain answer rather than a decoding path.
        guard let envelope = FormatEnvelope.read(data) else {
            if data.isEmpty {
                throw ModelLoadError(file: file, reason: "the file is empty, not a JSON object; a model artifact is the JSON file written by `churn train` or `churn import`")
            }
            if JSONTruncation.isTruncated(data) {
                throw ModelLoadError(file: file, reason: "the model file is truncated: its JSON stops after \(data.count) bytes, in the middle of a value (an interrupted copy or a full disk?); copy it again or retrain")
            }
            if let failure = ModelDiagnosis.syntaxError(data) {
                throw ModelLoadError(file: file, reason: "not valid JSON at \(failure); the model file is damaged: copy it again or retrain")
            }
            throw ModelLoadError(file: file, reason: "not a JSON object; a model artifact is the JSON file written by `churn train` or `churn import`")
        }
        guard envelope.format == formatName else {
            throw ModelLoadError(file: file, reason: "not a ChurnOps model (no \"format\": \"\(formatName)\"); import foreign models with `churn import`")
        }
        guard let version = envelope.formatVersion else {
            throw ModelLoadError(file: file, reason: "field 'formatVersion' is missing or not an integer")
        }
        guard version <= currentFormatVersion else {
            throw ModelLoadError(file: file, reason: "format version \(version) is newer than this build reads (\(currentFormatVersion)); upgrade churn")
        }
        let artifact: ModelArtifact
        do {
            artifact = try ModelArtifact.decoder.decode(ModelArtifact.self, from: data)
        } catch {
            // JSONDecoder reports a number its field's type cannot hold as invalid JSON, with no path: find it.
            if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty,
               let misfit = ModelDiagnosis.misfitNodeIndex(data) {
                throw ModelLoadError(file: file, reason: "field '\(misfit.path)' is \(misfit.text), not a node index (a whole number from -1 to 2147483647)")
            }
            throw ModelLoadError(file: file, reason: ModelLoadError.describe(error))
        }
        if let problem = artifact.validate() { throw ModelLoadError(file: file, reason: problem) }
        return artifact
    }

    /// The first internal inconsistency, if any (wrong array lengths, indexes out of range, bad thresholds).
    public func validate() -> String? {
        let layout = self.layout
        if features != layout.features.map(\.name) {
            return "field 'features' does not match the encoding the schema implies (\(features.count) listed, \(layout.count) implied)"
        }
        if schema.features.isEmpty { return "schema lists no feature columns" }
        if !riskThresholds.isValid {
            return "riskThresholds must satisfy 0 < medium < high < 1 (got medium \(riskThresholds.medium), high \(riskThresholds.high))"
        }
        if !(decisionThreshold >= 0 && decisionThreshold <= 1) { return "decisionThreshold must be within [0, 1]" }
        switch predictor {
        case .logistic(let m):
            let n = layout.count
            guard m.weights.count == n, m.center.count == n, m.scale.count == n, m.fill.count == n else {
                return "logistic weights, center, scale and fill must each have \(n) entries (one per encoded feature)"
            }
            if m.scale.contains(where: { !($0 > 0) || !$0.isFinite }) { return "logistic scale entries must be positive" }
            if let missing = m.missingWeights, missing.count != n {
                return "logistic missingWeights must have \(n) entries (one per encoded feature)"
            }
            if (m.weights + m.center + m.fill + (m.missingWeights ?? []) + [m.intercept]).contains(where: { !$0.isFinite }) {
                return "logistic coefficients must be finite numbers"
            }
            // Scoring folds the standardisation into the weights (w / scale, with the centre and the fill moved into
            // the bias and the missing terms); a tiny scale can overflow those to infinity, and ∞ · 0 is NaN.
            var bias = m.intercept
            for j in 0..<n {
                let folded = m.weights[j] / m.scale[j]
                bias -= folded * m.center[j]
                if !folded.isFinite || !(folded * m.fill[j] + m.missingTerm(j)).isFinite {
                    return "logistic weight \(j) ('\(features[j])') divided by its scale is not a finite number; the scale is too small"
                }
            }
            if !bias.isFinite { return "logistic intercept, weights and centres overflow when combined; the scales are too small" }
        case .trees(let ensemble):
            if !ensemble.baseMargin.isFinite { return "trees.baseMargin must be a finite number" }
            // The margin is a sum of one leaf per tree: bound it so that no row can overflow it to ±∞ (or NaN).
            var largest = abs(ensemble.baseMargin)
            for (t, tree) in ensemble.trees.enumerated() {
                if let problem = tree.validate(featureCount: layout.count) { return "tree \(t): \(problem)" }
                if tree.value.contains(where: { !$0.isFinite }) { return "tree \(t): node values must be finite numbers" }
                largest += tree.value.reduce(0) { max($0, abs($1)) }
            }
            // Twice: explanations take differences of node values, which must not overflow either.
            if !(2 * largest).isFinite { return "tree values are so large that a margin can overflow; they must be finite and sum to a finite number" }
        }
        if reference.columns.count != schema.features.count {
            return "reference profile has \(reference.columns.count) columns, schema has \(schema.features.count)"
        }
        for (profile, column) in zip(reference.columns, schema.features) {
            let expected = column.kind == .numeric ? profile.edges.count + 2 : column.categories.count + 2
            if profile.name != column.name || profile.kind != column.kind || profile.proportions.count != expected {
                return "reference profile of '\(column.name)' does not match its schema column"
            }
        }
        return nil
    }

    /// Writes the artifact as pretty JSON, atomically (a temporary file renamed into place).
    public func write(to path: String) throws {
        let data = try ModelArtifact.encoder.encode(self)
        try AtomicFile.write(data, to: path)
    }

    public func jsonData() throws -> Data { try ModelArtifact.encoder.encode(self) }

    /// ISO 8601 dates; pretty, key-sorted output so files diff well. Shared with the registry's index.
    static let decoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }()

    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    // MARK: Prediction

    /// The risk level of a probability under this model's thresholds.
    @inline(__always)
    public func riskLevel(_ probability: Double) -> RiskLevel { riskThresholds.level(for: probability) }

    /// Loads the model that ships with the package (trained by scripts/train-default-model.sh).
    public static func bundledDefault() throws(ModelLoadError) -> ModelArtifact {
        try decode(Data(DefaultModelJSON.text.utf8), file: "the built-in default model")
    }
}

/// A model file that cannot be used, and why.
public struct ModelLoadError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "field '\(path(context.codingPath + [key]))' is missing"
        case DecodingError.typeMismatch(let type, let context):
            return "field '\(path(context.codingPath))' has the wrong type (expected \(type))"
        case DecodingError.valueNotFound(let type, let context):
            return "field '\(path(context.codingPath))' is null (expected \(type))"
        case DecodingError.dataCorrupted(let context):
            let at = context.codingPath.isEmpty ? "" : "field '\(path(context.codingPath))': "
            return at + context.debugDescription
        case let error as CocoaError:
            return IOErrorText.describe(error)
        default:
            return "\(error)"
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimming(where: { $0 == "." })
    }
}
