import ArgumentParser
import ChurnModel

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Measure a model on a labelled customer file (AUC, log loss, precision, recall, F1).",
        discussion: """
        Scores every row of DATA.csv with the model and compares with the label column named in the model's
        schema. F1, precision and recall use the model's decision threshold unless --threshold is given.
        Rows that cannot be scored or have no usable label are skipped and counted; blank lines are not rows
        (skipped and counted apart). Exit status 65 when the header is unusable (lacks the model's columns,
        or the file is not comma-separated UTF-8 text: use --delimiter for ';' or tab files).

        Examples:
          churn evaluate model.json holdout.csv
          churn evaluate model.json holdout.csv --threshold 0.35 --json
        """
    )

    @Argument(help: "Model artifact (JSON).")
    var model: String

    @Argument(help: "Labelled customer CSV file.")
    var data: String

    @Option(help: "Decide churn at this probability instead of the model's threshold.")
    var threshold: Double?

    @Option(help: DelimiterArgument.help)
    var delimiter: DelimiterArgument = .comma

    @Flag(help: "Print the metrics as JSON.")
    var json = false

    func validate() throws {
        if let threshold, !(threshold >= 0 && threshold <= 1) {
            throw ValidationError("--threshold must be a probability between 0 and 1 (got \(threshold))")
        }
    }

    func run() throws {
        let artifact = try loadModel(model)
        let result: ModelEvaluation
        do {
            result = try ModelEvaluation.run(artifact, path: data, threshold: threshold, delimiter: delimiter.byte)
        } catch let error as HeaderError {
            throw fail("\(error)", code: ExitStatus.badHeader)
        } catch let error as CSVError where error.isHeaderProblem {
            throw fail("\(error)", code: ExitStatus.badHeader)
        } catch {
            throw fail("\(error)")
        }
        if json {
            print(String(decoding: try JSONOutput.encode(result.metrics), as: UTF8.self))
            return
        }
        var t = TextTable(["metric", "value"], rightAligned: [1])
        let m = result.metrics
        t.add(["rows scored", String(m.rows)])
        t.add(["rows skipped", String(result.skipped)])
        if result.blankLines > 0 { t.add(["blank lines skipped", String(result.blankLines)]) }
        t.add(["churned", String(m.positives)])
        t.add(["AUC", fixed(m.auc)])
        t.add(["log loss", fixed(m.logLoss)])
        t.add(["threshold", fixed(m.threshold, 3)])
        t.add(["precision", fixed(m.precision)])
        t.add(["recall", fixed(m.recall)])
        t.add(["F1", fixed(m.f1)])
        t.add(["accuracy", fixed(m.accuracy)])
        print("Model \(artifact.version) (\(artifact.learner)) on \(data)")
        print(t.text)
        if let note = m.aucNote { print(note) }
        print(ConfusionText(m.confusion).text)
    }
}
