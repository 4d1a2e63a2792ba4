import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which library wrote a model file.
public enum ModelLibrary: String, Sendable, CaseIterable {
    case xgboost
    case lightgbm
}

/// Where the customer columns of an imported model come from.
public enum SchemaSource: Sendable {
    /// The Telco schema (`TelcoSchema`), the default.
    case telco
    /// Inferred from a labelled data file, as `churn train` infers it (`TrainingTable`).
    case dataFile(String, TableOptions)
}

/// What `churn import` is asked to do.
public struct ImportOptions: Sendable {
    public var library: ModelLibrary
    public var modelPath: String
    public var schema: SchemaSource = .telco
    /// A JSON mapping file from library feature name to column (and category or codes).
    public var mappingPath: String?
    /// The data whose distribution drift is measured against (normally the training data). Defaults to the
    /// `--schema-from` file when there is one.
    public var referencePath: String?
    public var riskThresholds = RiskThresholds.standard
    public var decisionThreshold = 0.5
    /// Keep only the first `rounds` trees (e.g. XGBoost's best_iteration + 1).
    public var rounds: Int?

    public init(library: ModelLibrary, modelPath: String) {
        self.library = library
        self.modelPath = modelPath
    }
}

/// An imported model and what the import noticed on the way.
public struct ImportResult: Sendable {
    public var artifact: ModelArtifact
    public var mapping: FeatureMapping
    /// The library's feature names, in its order (`mapping.bindings` lines up with them).
    public var libraryFeatures: [String]
    public var referencePath: String
    public var referenceRows: Int
    public var referenceRejected: Int
    public var notes: [String]
}

/// Turns an XGBoost or LightGBM model file into a ChurnOps model artifact: reads the library's trees, maps its
/// features onto customer columns, translates the trees onto this project's encoding (bit-for-bit the same
/// decisions), and profiles reference data for drift monitoring.
public enum ModelImporter {
    public static func run(_ options: ImportOptions, now: Date = Date()) throws(ModelImportError) -> ImportResult {
        let start = ContinuousClock.now
        let file = options.modelPath
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw ModelImportError(file: file, reason: "cannot read the model file (\(ModelLoadError.describe(error)))")
        }
        var forest = try readForest(data, options: options)
        var notes = forest.notes
        if let note = try keepRounds(&forest, options: options) { notes.append(note) }

        let (sourceSchema, inferredReference) = try matchingSchema(options.schema)
        let explicit = try options.mappingPath.map { path throws(ModelImportError) in try FeatureMapping.loadEntries(path: path) } ?? [:]
        let mapping = try FeatureMapping.resolve(forest, schema: sourceSchema, explicit: explicit, modelFile: file,
                                                 mappingFile: options.mappingPath)
        notes += mapping.notes
        let translated = try TreeTranslator(forest: forest, mapping: mapping, file: file).translate()
        let schema = mapping.schema

        // Drift needs the distribution of the data the model learned from.
        guard let referencePath = options.referencePath ?? inferredReference else {
            throw ModelImportError(file: file, reason: "drift monitoring needs a reference profile of the data the model was trained on: pass --reference TRAINING.csv (customer columns as scoring reads them), or --schema-from TRAINING.csv, which is then used for both")
        }
        let reference = try referenceRows(referencePath, schema: schema)
        if reference.rejected > 0 {
            notes.append("reference: \(reference.rejected) of \(reference.rows + reference.rejected) rows of \(referencePath) rejected (first: line \(reference.issues[0].line), \(reference.issues[0].message))")
        }

        let fingerprint = ModelImporter.fingerprint(data)
        var parameters = forest.parameters
        parameters["reference"] = PathText.lastComponent(referencePath)
        let info = TrainingInfo(source: PathText.lastComponent(file), rows: 0, positives: 0, skippedRows: 0,
                                fingerprint: fingerprint, parameters: parameters,
                                seconds: (ContinuousClock.now - start).inSeconds, candidates: [:])
        let artifact = ModelArtifact(
            version: ModelTrainer.versionID(learner: forest.library, date: now, fingerprint: fingerprint, parameters: parameters),
            createdAt: now, learner: forest.library, schema: schema, predictor: .trees(translated.ensemble),
            riskThresholds: options.riskThresholds, decisionThreshold: options.decisionThreshold, metrics: nil,
            training: info, reference: ReferenceProfile(table: reference.table),
            importance: importance(gain: translated.gain, schema: schema))
        if let problem = artifact.validate() {
            throw ModelImportError(file: file, reason: "the translated model is inconsistent (\(problem)); please report this")
        }
        return ImportResult(artifact: artifact, mapping: mapping, libraryFeatures: forest.featureNames,
                            referencePath: referencePath, referenceRows: reference.rows,
                            referenceRejected: reference.rejected, notes: notes)
    }

    /// The library's trees, as its own reader understands them.
    static func readForest(_ data: Data, options: ImportOptions) throws(ModelImportError) -> ForeignForest {
        switch options.library {
        case .xgboost: try XGBoostReader.read(data, file: options.modelPath)
        case .lightgbm: try LightGBMReader.read(data, file: options.modelPath)
        }
    }

    /// Keeps the first `--rounds` boosting rounds; returns the note saying so when trees were dropped.
    static func keepRounds(_ forest: inout ForeignForest, options: ImportOptions) throws(ModelImportError) -> String? {
        guard let rounds = options.rounds else { return nil }
        guard rounds >= 1 else { throw ModelImportError(file: options.modelPath, reason: "--rounds must be at least 1") }
        let keep = rounds * forest.treesPerRound
        guard keep < forest.trees.count else { return nil }
        let note = "kept the first \(rounds) of \(forest.trees.count / forest.treesPerRound) boosting rounds (--rounds)"
        forest.trees = Array(forest.trees.prefix(keep))
        forest.parameters["trees"] = String(keep)
        return note
    }

    /// The schema the features are matched against, and the data file it came from (the default reference).
    static func matchingSchema(_ source: SchemaSource) throws(ModelImportError) -> (Schema, referencePath: String?) {
        switch source {
        case .telco:
            return (TelcoSchema.schema, nil)
        case .dataFile(let path, let tableOptions):
            do {
                return (try TrainingTable.load(path: path, options: tableOptions).schema, path)
            } catch {
                throw ModelImportError(file: path, reason: "cannot infer a schema from it: \(error)")
            }
        }
    }

    /// The reference data encoded under the model's schema; it must keep at least one row.
    static func referenceRows(_ path: String, schema: Schema) throws(ModelImportError) -> EncodedCustomers {
        let reference: EncodedCustomers
        do {
            reference = try EncodedCustomers.load(path: path, schema: schema)
        } catch {
            throw ModelImportError(file: path, reason: "cannot build the drift reference from it: \(error)")
        }
        guard reference.rows > 0 else {
            let why = reference.issues.first.map { ": line \($0.line), \($0.message)" } ?? ""
            throw ModelImportError(file: path, reason: "no usable rows for the drift reference (\(reference.rejected) rejected\(why))")
        }
        return reference
    }

    /// Split gain per encoded feature, summed per customer column and normalised, largest first.
    static func importance(gain: [Double], schema: Schema) -> [FeatureImportance] {
        let layout = FeatureLayout(schema: schema)
        var perColumn = [Double](repeating: 0, count: schema.features.count)
        for (j, feature) in layout.features.enumerated() { perColumn[feature.column] += gain[j] }
        let total = max(perColumn.reduce(0, +), 1e-300)
        return zip(schema.features, perColumn)
            .map { FeatureImportance(column: $0.name, importance: $1 / total) }
            .sorted { $0.importance > $1.importance }
    }

    /// FNV-1a (64-bit) of the model file's bytes: the artifact's fingerprint of its source.
    static func fingerprint(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return "fnv1a64:" + String(hash, radix: 16)
    }
}
