import ChurnBase
import ArgumentParser
import ChurnModel
import ChurnTracking
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Train: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Fit a churn model on a labelled customer file and write the model artifact.",
        discussion: """
        Reads DATA.csv (Telco schema or your own), infers numeric and categorical columns, holds out a stratified
        test part (20%), chooses settings by validation on the rest, refits on all of it, and prints evaluation:
        AUC, log loss, Brier score, calibration (a reliability table), precision, recall and F1 at the threshold
        that maximises F1 on the validation predictions, and the confusion matrix.

        Validation: 5-fold cross-validation when the training part has at most 50,000 rows, a stratified 15%
        holdout above. It chooses the logistic penalty, the number of boosting rounds (early stopping; the refit
        grows the best round count scaled by the extra rows, at most 1.5x) and, with auto, the learner. The final
        model is fitted on every training row. A Platt recalibration is folded into the model when it lowers the
        cross-validated log loss (--no-calibrate to never do so).

        Blank lines are skipped and counted; rows without a usable label are skipped and shown with their line.
        A ';'- or tab-separated file needs --delimiter; a gzip, UTF-16 or non-UTF-8 file is refused, naming the
        fix (exit 65, as for any header problem).

        Learners:
          logistic   L2-regularised logistic regression (Newton/IRLS; L2 chosen on validation log loss)
          gbt        gradient-boosted trees with histogram binning; rounds chosen by early stopping in validation
          auto       both; keeps the one with the better validation AUC (default)

        On a terminal, progress shows each phase (reading, validation folds, boosting rounds with the
        validation loss, refit) and the time left; otherwise one line per phase goes to stderr; --quiet
        prints only the output path. --json prints the summary as JSON.

        Examples:
          churn train customers.csv -o model.json
          churn train data.csv --target churned --id account_id -o model.json
          churn train data.csv --learner gbt --learning-rate 0.1 --max-depth 4 -o model.json
          churn train data.csv --categorical region_code --exclude signup_date,RowNumber -o model.json
          churn train bank.csv --target Exited --id CustomerId --na unknown -o model.json
          churn train export.csv --delimiter ';' -o model.json
          churn train customers.csv -o model.json --register          (a candidate in the registry)
          churn train customers.csv -o model.json --mlflow-uri http://127.0.0.1:5000 --experiment churn

        Column options (--target, --id, --exclude, --categorical, --keep) take comma lists and may repeat;
        a name not in the header is an error (exit 64) that lists the file's columns. A column is numeric when
        at most 5% of its non-missing values are not numbers (those are read as missing and reported);
        ?, -, NA, N/A, null, NaN, None and empty cells (any case) are missing, and --na adds more (kept in the
        model, so scoring reads them the same way). A column with a value per row (an id) is left out unless
        --keep names it. A categorical column of more than 64 values keeps the 64 most frequent seen in at least
        5 rows; the rest fold into an "other" level that scoring also uses for values it has not seen.
        The output model is not replaced unless --force is given.

        --register adds the model to the registry (--registry DIR) as a candidate for
        `churn model promote`. --mlflow-uri logs a run to MLflow (experiment created if
        missing): parameters, held-out metrics and model/model.json; --mlflow-model NAME
        also makes it a version of that registered model (MLFLOW_TRACKING_TOKEN is sent
        as a bearer token when set).
        """
    )

    @Argument(help: "Labelled customer CSV file.")
    var data: String

    @Option(name: .shortAndLong, help: "Where to write the model artifact (JSON).")
    var output: String

    @Option(help: "Learner: auto, logistic or gbt.")
    var learner: String = "auto"

    @Option(help: "Label column (default: Churn when present).")
    var target: String?

    @Option(help: "Customer id column, never used as a feature (default: customerID when present).")
    var id: String?

    @Option(help: "The label value that means churned, if not Yes/1/true.")
    var positive: String?

    @Option(parsing: .upToNextOption, help: "Columns to read as categorical even if numeric or id-like (comma lists allowed).")
    var categorical: [String] = []

    @Option(parsing: .upToNextOption, help: "Columns to leave out (comma lists allowed).")
    var exclude: [String] = []

    @Option(help: DelimiterArgument.help)
    var delimiter: DelimiterArgument = .comma

    @Option(parsing: .upToNextOption, help: "Columns to keep even though they look like an identifier (comma lists allowed).")
    var keep: [String] = []

    @Option(name: .customLong("na"), help: ArgumentHelp("Another text that means a missing value (repeatable, comma lists allowed).", valueName: "VALUE"))
    var na: [String] = []

    @Flag(help: "Replace the output model if it exists.")
    var force = false

    @Option(help: "Share of rows held out for testing (0: train on all rows, no test metrics).")
    var testShare: Double = 0.2

    @Option(help: "Random seed for the splits and sampling.")
    var seed: UInt64 = 42

    @Option(help: "Probability from which a customer is medium risk.")
    var mediumRisk: Double = 0.4

    @Option(help: "Probability from which a customer is high risk.")
    var highRisk: Double = 0.7

    @Option(help: "Fixed L2 penalty for the logistic model (default: chosen on validation).")
    var l2: Double?

    @Option(help: "GBT: maximum boosting rounds.")
    var rounds: Int = GradientBoostingParameters().rounds

    @Option(help: "GBT: learning rate.")
    var learningRate: Double = GradientBoostingParameters().learningRate

    @Option(help: "GBT: maximum tree depth.")
    var maxDepth: Int = GradientBoostingParameters().maxDepth

    @Option(help: "GBT: maximum leaves per tree.")
    var maxLeaves: Int = GradientBoostingParameters().maxLeaves

    @Option(help: "GBT: minimum hessian sum per child.")
    var minChildWeight: Double = GradientBoostingParameters().minChildWeight

    @Option(help: "GBT: L2 penalty on leaf values.")
    var leafL2: Double = GradientBoostingParameters().l2

    @Option(help: "GBT: row subsampling share per tree.")
    var subsample: Double = GradientBoostingParameters().subsample

    @Option(help: "GBT: feature subsampling share per tree.")
    var colsample: Double = GradientBoostingParameters().colsample

    @Option(help: "GBT: rounds without validation improvement before stopping.")
    var earlyStopping: Int = GradientBoostingParameters().earlyStoppingRounds

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Flag(help: "Print only the output path (no progress, no summary).")
    var quiet = false

    @Flag(help: "Print the training summary as JSON (metrics, calibration, validation) instead of text.")
    var json = false

    @Flag(help: "Never fold a Platt recalibration into the model, even when validation says it helps.")
    var noCalibrate = false

    @Flag(help: "Add the model to the registry as a candidate version.")
    var register = false

    @OptionGroup var registry: RegistryOption

    @Option(help: ArgumentHelp("Log the run to this MLflow tracking server.", valueName: "URL"))
    var mlflowURI: String?

    @Option(help: ArgumentHelp("MLflow experiment (created if missing).", valueName: "NAME"))
    var experiment: String = "churn"

    @Option(help: ArgumentHelp("Also register the logged model as a new version of this MLflow model.", valueName: "NAME"))
    var mlflowModel: String?

    func validate() throws {
        guard LearnerChoice(rawValue: learner) != nil else {
            throw ValidationError("--learner must be one of auto, logistic, gbt (got '\(learner)')")
        }
        guard testShare >= 0 && testShare < 0.9 else { throw ValidationError("--test-share must be at least 0 and below 0.9 (got \(testShare))") }
        guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        guard maxLeaves >= 2 else { throw ValidationError("--max-leaves must be at least 2") }
        guard minChildWeight >= 0 && minChildWeight.isFinite else { throw ValidationError("--min-child-weight must be a finite number >= 0") }
        guard earlyStopping >= 1 else { throw ValidationError("--early-stopping must be at least 1") }
        if let l2, !(l2 >= 0 && l2.isFinite) { throw ValidationError("--l2 must be a finite number >= 0") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard RiskThresholds(medium: mediumRisk, high: highRisk).isValid else {
            throw ValidationError("risk thresholds must satisfy 0 < --medium-risk < --high-risk < 1")
        }
        guard learningRate > 0 && learningRate <= 1 else { throw ValidationError("--learning-rate must be in (0, 1]") }
        guard maxDepth >= 1 && maxDepth <= 16 else { throw ValidationError("--max-depth must be between 1 and 16") }
        guard subsample > 0 && subsample <= 1, colsample > 0 && colsample <= 1 else {
            throw ValidationError("--subsample and --colsample must be in (0, 1]")
        }
        if let mlflowURI, MLflowClient.parse(mlflowURI) == nil {
            throw ValidationError("--mlflow-uri needs an http:// or https:// URL, e.g. http://127.0.0.1:5000 (got '\(mlflowURI)')")
        }
        if mlflowModel != nil && mlflowURI == nil { throw ValidationError("--mlflow-model needs --mlflow-uri") }
    }

    func run() async throws {
        var tableOptions = TableOptions(target: target, id: id)
        tableOptions.positiveLabel = positive
        tableOptions.forceCategorical = categorical
        tableOptions.exclude = exclude
        tableOptions.keep = keep
        tableOptions.missingValues = na
        tableOptions.delimiter = delimiter.byte
        if !force && FileManager.default.fileExists(atPath: output) {
            throw fail("\(output) already exists; pass --force to replace it")
        }
        // Progress on stderr: a live line on a terminal, a line per phase otherwise, nothing with --quiet.
        let progress = quiet ? nil : TrainingProgressView(interactive: Terminal.stderrIsTerminal)
        progress?.update(TrainingProgress(phase: .reading, fraction: 0, detail: PathText.lastComponent(data)))
        let table: TrainingTable
        do {
            table = try TrainingTable.load(path: data, options: tableOptions)
        } catch let error as CSVError where error.isHeaderProblem {
            throw fail("\(error)", code: ExitStatus.badHeader)
        } catch let error as TrainingTable.LoadError {
            throw fail(error.description, code: error.isUsage ? ExitStatus.usage : ExitStatus.failure)
        } catch {
            throw fail("\(error)")
        }
        progress?.update(TrainingProgress(phase: .reading, fraction: 1, detail: "\(table.rowCount) rows, \(table.schema.features.count) columns", finished: true))
        var options = TrainingOptions()
        options.learner = LearnerChoice(rawValue: learner)!
        options.testShare = testShare
        options.seed = seed
        options.riskThresholds = RiskThresholds(medium: mediumRisk, high: highRisk)
        options.l2 = l2
        options.gbt.rounds = rounds
        options.gbt.learningRate = learningRate
        options.gbt.maxDepth = maxDepth
        options.gbt.maxLeaves = maxLeaves
        options.gbt.minChildWeight = minChildWeight
        options.gbt.l2 = leafL2
        options.gbt.subsample = subsample
        options.gbt.colsample = colsample
        options.gbt.earlyStoppingRounds = earlyStopping
        options.gbt.seed = seed
        if let threads { options.threads = max(1, threads) }
        options.calibrate = !noCalibrate
        options.progress = progress?.handler
        let report = ModelTrainer.train(table, options: options)
        do {
            try report.artifact.write(to: output)
        } catch {
            throw fail("\(error)")
        }
        // The artifact is on disk before anything remote is tried, so a tracking failure loses no training.
        var run: MLflowTracking.LoggedRun?
        if let mlflowURI {
            do {
                run = try await MLflowTracking(client: mlflowClient(mlflowURI))
                    .logTraining(report.artifact, experiment: experiment, registeredModel: mlflowModel)
            } catch {
                throw fail("\(error) (the model itself was written to \(output))")
            }
        }
        var entry: RegistryEntry?
        if register {
            let reg = registry.open()
            entry = try withRegistry { () throws(RegistryError) in
                try reg.register(report.artifact, source: "train \(PathText.lastComponent(data))", mlflowRun: run?.runID)
            }
        }
        if quiet {
            print(output)
            return
        }
        let summary = TrainingSummary(table: table, report: report, output: output)
        if json {
            print(String(decoding: try JSONOutput.encode(summary.json), as: UTF8.self))
            return
        }
        print(summary.text)
        if let run {
            print("MLflow: run \(run.runID) in experiment '\(experiment)' (\(run.experimentID)); model at \(run.modelURI)"
                + (run.registeredVersion.map { "; registered as models:/\(mlflowModel!)/\($0)" } ?? ""))
        }
        if let entry {
            print("Registry: #\(entry.number) \(entry.version) is a \(entry.stage.rawValue) in \(registry.path); promote it with `churn model promote \(entry.number)`")
        }
    }
}
