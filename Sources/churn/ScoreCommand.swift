import ArgumentParser
import ChurnModel
import Dispatch
import Foundation

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a customer file: churn probability and risk level per customer.",
        discussion: """
        Streams IN.csv through the model on every core. Each row ends up in exactly one
        place: OUT (scored) or the rejects file (line, column, field, reason and the
        raw record). Outputs are written to temporary files renamed into place at the
        end, so an interrupted run leaves no partial OUT. Prints a summary: counts,
        risk mix, speed and drift of the file against the model's training data (PSI
        per feature; data_drift_score = share of features with PSI >= 0.25).

        --explain adds why: per input column, its contribution to the score's margin
        (logit), six decimals. --explain N gives the N columns with the largest
        absolute contributions (reason_k = column=value, contribution_k; default 3);
        --explain all gives base_value and contribution_<column> for every column,
        which add up to the margin. Trees use exact TreeSHAP (path-based when the
        model has no node covers, see churn model show); logistic models are exact.

        Defaults: OUT is IN.scored.csv and the rejects file IN.rejects.csv, next to
        the input; -o - writes to standard output. The model is the bundled default
        unless --model is given.

        Exit status: 0 done; 1 failure (I/O, bad model); 64 bad usage; 65 the header
        lacks required columns (nothing written); 3 done but rows were rejected (only
        with --fail-on-rejects); 130 interrupted (nothing written).

        Examples:
          churn score customers.csv
          churn score customers.csv -o scored.csv --model model.json --explain
          churn score customers.csv -o explained.jsonl --format jsonl --explain all
          churn score big.csv -o - --format jsonl --quiet | head
          churn score big.csv -o part-2.csv --shard 2/8
          churn score customers.csv --summary-json summary.json --fail-on-rejects
        """
    )

    @Argument(help: "Customer CSV file to score.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file ('-' for standard output).")
    var output: String?

    @Option(help: "Model artifact (default: the bundled model).")
    var model: String?

    @Option(help: "Where rejected rows go.")
    var rejects: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Output format: csv or jsonl.")
    var format: String = "csv"

    @Option(help: ArgumentHelp("Explain each score: N (the N input columns with the largest contributions, 3 when no value is given), or 'all' (every column, with the base value).",
                               valueName: "N|all"))
    var explain: String?

    @Flag(help: "Score unknown categories as unseen instead of rejecting the row.")
    var allowUnknownCategories = false

    @Option(help: "PSI from which a feature counts as drifted.")
    var driftThreshold: Double = DriftReport.defaultThreshold

    @Option(help: "Score only the rows whose id hashes to shard i of n (i/n, 0-based).")
    var shard: String?

    @Option(help: "Write the summary as JSON to this file.")
    var summaryJson: String?

    @Flag(help: "Replace existing output files.")
    var force = false

    @Flag(help: "Exit with status 3 when any row was rejected.")
    var failOnRejects = false

    @Flag(name: .shortAndLong, help: "No progress bar and no summary.")
    var quiet = false

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else { throw ValidationError("--format must be csv or jsonl (got '\(format)')") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let explain, ExplainChoice(explain) == nil {
            throw ValidationError("--explain must be \(ExplainChoice.accepted) (got '\(explain)')")
        }
        if let shard, Shard(shard) == nil { throw ValidationError("--shard must be i/n with 0 <= i < n (got '\(shard)')") }
        guard driftThreshold > 0 else { throw ValidationError("--drift-threshold must be positive") }
    }

    func run() throws {
        let artifact = try loadModel(model)
        let outputFormat = OutputFormat(rawValue: format)!
        let defaults = BatchOptions.defaultPaths(for: input, format: outputFormat)
        var options = BatchOptions(input: input, output: output ?? defaults.output, rejects: rejects ?? defaults.rejects)
        options.format = outputFormat
        options.explain = explain.flatMap(ExplainChoice.init) ?? .none
        options.allowUnknownCategories = allowUnknownCategories
        options.force = force
        options.driftThreshold = driftThreshold
        options.shard = shard.flatMap(Shard.init)
        if let threads { options.threads = threads }

        let cancel = CancellationFlag()
        let signals = SignalCancellation(cancel)
        defer { signals.restore() }
        let bar = ProgressBar(enabled: !quiet && Terminal.stderrIsTerminal)
        let summary: BatchSummary
        do {
            summary = try BatchScorer(engine: ScoringEngine(artifact: artifact), options: options)
                .run(cancel: cancel) { bar.update($0) }
        } catch {
            bar.finish()
            switch error {
            case .header: throw fail("\(error)", code: ExitStatus.badHeader)
            case .cancelled: throw fail("interrupted; no output was written", code: 130)
            default: throw fail("\(error)")
            }
        }
        bar.finish()
        if let summaryJson {
            do {
                try AtomicFile.write(try JSONOutput.encode(summary), to: summaryJson)
            } catch {
                throw fail("cannot write \(summaryJson): \(error)")
            }
        }
        if !quiet {
            Terminal.printError(BatchSummaryText(summary: summary).text)
        }
        if failOnRejects && summary.rejected > 0 { throw ExitCode(ExitStatus.rejects) }
    }
}

/// Turns SIGINT and SIGTERM into a cancellation request while a batch runs.
final class SignalCancellation {
    private let sources: [any DispatchSourceSignal]

    init(_ flag: CancellationFlag) {
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { flag.cancel() }
            s.resume()
            return s
        }
    }

    func restore() {
        for s in sources { s.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
