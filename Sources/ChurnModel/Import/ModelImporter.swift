import Foundation

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
        var forest: ForeignForest
        switch options.library {
        case .xgboost: forest = try XGBoostReader.read(data, file: file)
        case .lightgbm: forest = try LightGBMReader.read(data, file: file)
        }
        var notes = forest.notes
        if let rounds = options.rounds {
            guard rounds >= 1 else { throw ModelImportError(file: file, reason: "--rounds must be at least 1") }
            let keep = rounds * forest.treesPerRound
            if keep < forest.trees.count {
                notes.append("kept the first \(rounds) of \(forest.trees.count / forest.treesPerRound) boosting rounds (--rounds)")
                forest.trees = Array(forest.trees.prefix(keep))
                forest.parameters["trees"] = String(keep)
            }
        }

        // The schema the features are matched against.
        let sourceSchema: Schema
        var referencePath = options.referencePath
        switch options.schema {
        case .telco:
            sourceSchema = TelcoSchema.schema
        case .dataFile(let path, let tableOptions):
            do {
                sourceSchema = try TrainingTable.load(path: path, options: tableOptions).schema
            } catch {
                throw ModelImportError(file: path, reason: "cannot infer a schema from it: \(error)")
            }
            referencePath = referencePath ?? path
        }
        let explicit = try options.mappingPath.map { path throws(ModelImportError) in try FeatureMapping.loadEntries(path: path) } ?? [:]
        let mapping = try FeatureMapping.resolve(forest, schema: sourceSchema, explicit: explicit, modelFile: file,
                                                 mappingFile: options.mappingPath)
        notes += mapping.notes

        let translated = try TreeTranslator(forest: forest, mapping: mapping, file: file).translate()
        let schema = mapping.schema
        let layout = FeatureLayout(schema: schema)

        // Drift needs the distribution of the data the model learned from.
        guard let referencePath else {
            throw ModelImportError(file: file, reason: "drift monitoring needs a reference profile of the data the model was trained on: pass --reference TRAINING.csv (customer columns as scoring reads them), or --schema-from TRAINING.csv, which is then used for both")
        }
        let reference: EncodedCustomers
        do {
            reference = try EncodedCustomers.load(path: referencePath, schema: schema)
        } catch {
            throw ModelImportError(file: referencePath, reason: "cannot build the drift reference from it: \(error)")
        }
        guard reference.rows > 0 else {
            let why = reference.issues.first.map { ": line \($0.line), \($0.message)" } ?? ""
            throw ModelImportError(file: referencePath, reason: "no usable rows for the drift reference (\(reference.rejected) rejected\(why))")
        }
        if reference.rejected > 0 {
            notes.append("reference: \(reference.rejected) of \(reference.rows + reference.rejected) rows of \(referencePath) rejected (first: line \(reference.issues[0].line), \(reference.issues[0].message))")
        }

        var perColumn = [Double](repeating: 0, count: schema.features.count)
        for (j, feature) in layout.features.enumerated() { perColumn[feature.column] += translated.gain[j] }
        let total = max(perColumn.reduce(0, +), 1e-300)
        let importance = zip(schema.features, perColumn)
            .map { FeatureImportance(column: $0.name, importance: $1 / total) }
            .sorted { $0.importance > $1.importance }

        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in data { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        let fingerprint = "fnv1a64:" + String(hash, radix: 16)
        var parameters = forest.parameters
        parameters["reference"] = (referencePath as NSString).lastPathComponent
        let info = TrainingInfo(source: (file as NSString).lastPathComponent, rows: 0, positives: 0, skippedRows: 0,
                                fingerprint: fingerprint, parameters: parameters,
                                seconds: (ContinuousClock.now - start).inSeconds, candidates: [:])
        let artifact = ModelArtifact(
            version: ModelTrainer.versionID(learner: forest.library, date: now, fingerprint: fingerprint, parameters: parameters),
            createdAt: now, learner: forest.library, schema: schema, predictor: .trees(translated.ensemble),
            riskThresholds: options.riskThresholds, decisionThreshold: options.decisionThreshold, metrics: nil,
            training: info, reference: ReferenceProfile(table: reference.table), importance: importance)
        if let problem = artifact.validate() {
            throw ModelImportError(file: file, reason: "the translated model is inconsistent (\(problem)); please report this")
        }
        return ImportResult(artifact: artifact, mapping: mapping, libraryFeatures: forest.featureNames,
                            referencePath: referencePath, referenceRows: reference.rows,
                            referenceRejected: reference.rejected, notes: notes)
    }
}
