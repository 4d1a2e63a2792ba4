import ArgumentParser
import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring your own model: turn an XGBoost or LightGBM model into a ChurnOps model artifact.",
        discussion: """
        The artifact scores, serves, explains and monitors like one that
        churn train wrote: use it with churn score --model, churn serve --model
        and churn dashboard --model. Predictions match the library's own to
        rounding (docs/import.md); churn import verify checks that on your data.

        Examples:
          churn import xgboost model.json --reference train.csv -o churn.json
          churn import lightgbm model.txt --reference train.csv -o churn.json
          churn import xgboost model.json --schema-from train.csv -o churn.json
          churn import verify churn.json customers.csv --expected proba.csv \\
            --column xgboost
        """,
        subcommands: [XGBoost.self, LightGBM.self, Verify.self]
    )

    struct XGBoost: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "xgboost",
            abstract: "Import an XGBoost model saved as JSON (booster.save_model(\"model.json\")).",
            discussion: """
            Objective binary:logistic, booster gbtree; numeric and categorical
            (enable_categorical) splits; base_score in every form XGBoost
            1.x-3.x writes.

            \(ImportOptionGroup.mappingHelp)

            Examples:
              churn import xgboost model.json --reference train.csv -o churn.json
              churn import xgboost model.json --schema-from train.csv \\
                --mapping names.json -o churn.json
            """
        )

        @Argument(help: "XGBoost model file (JSON).")
        var model: String

        @OptionGroup var options: ImportOptionGroup

        func validate() throws { try options.check() }

        func run() throws { try options.run(.xgboost, model: model) }
    }

    struct LightGBM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lightgbm",
            abstract: "Import a LightGBM model in its text format (booster.save_model(\"model.txt\")).",
            discussion: """
            Objective binary (any sigmoid scale) or cross_entropy; numeric splits
            with every missing-value type (none, zero, NaN) and categorical
            splits.

            \(ImportOptionGroup.mappingHelp)

            Examples:
              churn import lightgbm model.txt --reference train.csv -o churn.json
              churn import lightgbm model.txt --schema-from train.csv -o churn.json
            """
        )

        @Argument(help: "LightGBM model file (text).")
        var model: String

        @OptionGroup var options: ImportOptionGroup

        func validate() throws { try options.check() }

        func run() throws { try options.run(.lightgbm, model: model) }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Score customers with a model and compare with another tool's probabilities; time the predictor.",
            discussion: """
            Encodes CUSTOMERS.csv under the model's schema (rejected rows are
            left out), scores every row with the block predictor on --threads
            threads and, with --expected, compares row by row with a column of
            probabilities: data row i of one file with data row i of the other,
            e.g. the library's predict_proba for the same customers. Exit status
            1 when a row differs by more than --tolerance. --repeat N times the
            scoring N times (encoding excluded) and reports the median.

            Examples:
              churn import verify churn.json customers.csv --expected proba.csv \\
                --column xgboost
              churn import verify churn.json big.csv --repeat 5 --threads 2 --json
            """
        )

        @Argument(help: "Model artifact (written by churn import or churn train).")
        var model: String

        @Argument(help: "Customer CSV file, with the model's columns.")
        var customers: String

        @Option(help: "CSV file of expected probabilities, one data row per customer row.")
        var expected: String?

        @Option(help: "Column of --expected to compare with (default: its only column).")
        var column: String?

        @Option(help: "Largest accepted absolute difference.")
        var tolerance: Double = 1e-6

        @Option(name: .customLong("repeat"), help: "How many times to time the scoring.")
        var runs: Int = 1

        @Option(help: "Scoring threads (default: all cores).")
        var threads: Int?

        @Option(help: "Tree kernel: auto (leaf bitvectors for trees of up to 64 leaves, sixteen rows at a time for trees of up to 16; walks for larger trees), walk or bitvector.")
        var kernel: CompiledPredictor.TreeKernel = .automatic

        @Flag(help: "Print the result as JSON.")
        var json = false

        func validate() throws {
            guard runs >= 1 else { throw ValidationError("--repeat must be at least 1") }
            guard tolerance >= 0 else { throw ValidationError("--tolerance must be at least 0") }
            if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        }

        func run() throws {
            let artifact = try loadModel(model)
            var verifier = ImportVerifier()
            verifier.tolerance = tolerance
            verifier.runs = runs
            verifier.threads = threads ?? ProcessInfo.processInfo.activeProcessorCount
            verifier.kernel = kernel
            let report: VerifyReport
            do {
                report = try verifier.verify(artifact, customers: customers, expected: expected, column: column)
            } catch {
                throw fail("\(error)")
            }
            if json {
                print(String(decoding: try JSONOutput.encode(report), as: UTF8.self))
            } else {
                print(report.text(model: model, customers: customers, tolerance: tolerance))
            }
            if report.overTolerance > 0 { throw ExitCode(ExitStatus.failure) }
        }
    }
}

extension VerifyReport {
    /// The report as `churn import verify` prints it.
    func text(model: String, customers: String, tolerance: Double) -> String {
        var out: [String] = []
        out.append("Scored     \(rows) rows of \(customers) with \(model)" + (rejected > 0 ? " (\(rejected) rejected, left out)" : ""))
        let runs = seconds.map { String(cFormat: "%.3f", $0) }.joined(separator: " ")
        out.append(String(cFormat: "Time       median %.3f s on %ld thread", median, threads) + (threads == 1 ? "" : "s")
                   + String(cFormat: " (%.0f rows/s); runs: ", median > 0 ? Double(rows) / median : 0) + runs)
        if let worst = maxAbsDifference {
            out.append(String(cFormat: "Compared   %ld rows: largest difference %.3g, %ld over %.0e", compared, worst, overTolerance, tolerance))
            out += examples.map { "  \($0)" }
        }
        return out.joined(separator: "\n")
    }
}

/// The options `churn import xgboost` and `churn import lightgbm` share.
struct ImportOptionGroup: ParsableArguments {
    static let mappingHelp = """
    Each model feature is matched to a customer column of the schema (the
    Telco schema, or --schema-from DATA.csv): a column of that name, or a
    category indicator named column_category (pandas get_dummies) or
    column=category; --mapping FILE overrides any of them. Every feature must
    match, or the import stops and lists those that do not. Drift monitoring
    needs the training data's profile: give --reference (or --schema-from).
    """

    @Option(name: .shortAndLong, help: "Where to write the model artifact (JSON).")
    var output: String

    @Option(help: "Data the model was trained on (customer columns), for the drift reference profile.")
    var reference: String?

    @Option(help: "Infer the schema from this labelled data file (as churn train does) instead of the Telco schema; also the drift reference unless --reference is given.")
    var schemaFrom: String?

    @Option(help: "With --schema-from: the label column (default: Churn when present).")
    var target: String?

    @Option(help: "With --schema-from: the customer id column (default: customerID when present).")
    var id: String?

    @Option(parsing: .upToNextOption, help: "With --schema-from: columns to read as categorical even if numeric.")
    var categorical: [String] = []

    @Option(help: "JSON file mapping model feature names to columns: {\"feature\": {\"column\": \"Contract\", \"category\": \"One year\"}, …}.")
    var mapping: String?

    @Option(help: "Probability from which a customer is medium risk.")
    var mediumRisk: Double = 0.4

    @Option(help: "Probability from which a customer is high risk.")
    var highRisk: Double = 0.7

    @Option(help: "Probability at or above which the model predicts churn (for precision, recall and live F1).")
    var decisionThreshold: Double = 0.5

    @Option(help: "Keep only the first N boosting rounds (e.g. XGBoost's best_iteration + 1).")
    var rounds: Int?

    @Flag(help: "Print only the output path.")
    var quiet = false

    func check() throws {
        guard RiskThresholds(medium: mediumRisk, high: highRisk).isValid else {
            throw ValidationError("risk thresholds must satisfy 0 < --medium-risk < --high-risk < 1")
        }
        guard decisionThreshold >= 0 && decisionThreshold <= 1 else {
            throw ValidationError("--decision-threshold must be within [0, 1]")
        }
        if let rounds, rounds < 1 { throw ValidationError("--rounds must be at least 1") }
        if schemaFrom == nil && (target != nil || id != nil || !categorical.isEmpty) {
            throw ValidationError("--target, --id and --categorical describe the --schema-from file; give --schema-from too")
        }
    }

    func run(_ library: ModelLibrary, model: String) throws {
        let resolved = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        if resolved(output) == resolved(model) {
            throw fail("-o \(output) is the model file itself; write the artifact somewhere else")
        }
        var options = ImportOptions(library: library, modelPath: model)
        if let schemaFrom {
            var table = TableOptions(target: target, id: id)
            table.forceCategorical = categorical
            options.schema = .dataFile(schemaFrom, table)
        }
        options.mappingPath = mapping
        options.referencePath = reference
        options.riskThresholds = RiskThresholds(medium: mediumRisk, high: highRisk)
        options.decisionThreshold = decisionThreshold
        options.rounds = rounds
        let result: ImportResult
        do {
            result = try ModelImporter.run(options)
            try result.artifact.write(to: output)
        } catch {
            throw fail("\(error)")
        }
        if quiet {
            print(output)
            return
        }
        print(ImportSummary(result: result, model: model, output: output).text)
    }
}

/// What `churn import` prints: the model, how its features were matched, the reference, and any notes.
struct ImportSummary {
    let result: ImportResult
    let model: String
    let output: String

    var text: String {
        let a = result.artifact
        var out: [String] = []
        let trees: Int
        let nodes: Int
        if case .trees(let e) = a.predictor {
            trees = e.trees.count
            nodes = e.trees.reduce(0) { $0 + $1.nodeCount }
        } else {
            (trees, nodes) = (0, 0)
        }
        let parameters = a.training?.parameters ?? [:]
        out.append("Imported   \(model): \(a.learner) \(parameters["libraryVersion"] ?? ""), \(parameters["objective"] ?? ""), \(trees) trees (\(nodes) nodes)")
        out.append("Model      \(a.version)")
        out.append("Schema     \(a.schema.features.count) columns -> \(a.features.count) encoded features; \(result.libraryFeatures.count) model features matched:")
        let pairs = zip(result.libraryFeatures, result.mapping.bindings).map { name, binding in
            name == binding.text ? name : "\(name) -> \(binding.text)"
        }
        for pair in pairs.prefix(12) { out.append("  \(pair)") }
        if pairs.count > 12 { out.append("  … and \(pairs.count - 12) more (churn model show \(output) lists the schema)") }
        out.append("Reference  \(result.referencePath): \(result.referenceRows) rows profiled for drift" +
                   (result.referenceRejected > 0 ? " (\(result.referenceRejected) rejected)" : ""))
        out.append("Risk       low < \(a.riskThresholds.medium) <= medium < \(a.riskThresholds.high) <= high; churn predicted at p >= \(a.decisionThreshold)")
        for note in result.notes { out.append("Note       \(note)") }
        out.append("")
        out.append("Wrote \(output). Check it against the library's own predictions with churn import verify.")
        return out.joined(separator: "\n")
    }
}

extension CompiledPredictor.TreeKernel: ExpressibleByArgument {}
