import ChurnBase
import ArgumentParser
import ChurnModel
import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "Score a customer file: churn probability and risk level per customer.",
        discussion: """
        Streams IN.csv through the model on every core. Each row ends up in exactly one
        place: OUT (scored) or the rejects file (line, column, field, reason and the
        raw record). Outputs are written to temporary files renamed into place at the
        end, so an interrupted run leaves no partial OUT. Prints a summary: counts,
        risk mix, speed and drift of the file against the model's training data (PSI
        per feature; data_drift_score = share of features with PSI >= 0.25). Drift is
        measured only on enough rows: every training bin holding at least 1% of the
        rows must expect 5 (and at least 50 rows); below that the summary says "not
        measured" and --summary-json has drift.score null with the reason.

        --explain adds why: per input column, its contribution to the score's margin
        (logit), six decimals. --explain N gives the N columns with the largest
        absolute contributions (reason_k = column=value, contribution_k; default 3);
        --explain all gives base_value and contribution_<column> for every column,
        which add up to the margin. Trees use exact TreeSHAP (path-based when the
        model has no node covers, see churn model show); logistic models are exact.

        Defaults: OUT is IN.scored.csv next to the input; -o - writes to standard
        output. Rejected rows go beside OUT, named after it (-o part-1.csv:
        part-1.rejects.csv; IN.scored.csv: IN.rejects.csv; with -o -, IN.rejects.csv
        in the current directory, with the shard in the name when sharded). The
        rejects file is written only when a row was rejected, and it belongs to OUT:
        a re-run replaces it without --force (a path given with --rejects does not).
        Blank lines are not rows: they are skipped and counted. The model is the
        bundled default unless --model is given.

        A value the model reads as missing (empty, ?, -, NA, N/A, null, NaN, None in any
        case, and the model's own markers) or a category it has not seen is scored with
        what the training data says about such a customer, and counted per column in the
        summary and --summary-json; --unknown-categories reject rejects rows with an
        unseen category instead (a column with an "other" level takes every value; see
        docs/model-format.md).

        Exit status: 0 done; 1 failure (I/O, bad model, a directory or device given
        as IN); 64 bad usage; 65 the header is unusable (lacks required columns, is
        empty or repeats a name, or the file is not comma-separated UTF-8 text:
        gzip, UTF-16, another separator; nothing written); 3 done but rows were
        rejected (only with --fail-on-rejects); 130 interrupted (nothing written).

        Examples:
          churn score customers.csv
          churn score customers.csv -o scored.csv --model model.json --explain
          churn score customers.csv -o explained.jsonl --format jsonl --explain all
          churn score big.csv -o - --format jsonl --quiet | head
          for i in 0 1 2; do churn score big.csv -o part-$i.csv --shard $i/3; done
          churn score customers.csv --summary-json summary.json --fail-on-rejects
          churn score export.csv --delimiter ';' -o scored.csv
        """
    )

    @Argument(help: "Customer CSV file to score.")
    var input: String

    @Option(name: .shortAndLong, help: "Output file ('-' for standard output).")
    var output: String?

    @Option(help: "Model artifact (default: the bundled model).")
    var model: String?

    @Option(help: "Where rejected rows go (default: beside OUT, e.g. OUT.rejects.csv).")
    var rejects: String?

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    @Option(help: "Output format: csv or jsonl.")
    var format: String = "csv"

    @Option(help: DelimiterArgument.help)
    var delimiter: DelimiterArgument = .comma

    @Option(help: ArgumentHelp("Explain each score: N (the N input columns with the largest contributions, 3 when no value is given), or 'all' (every column, with the base value).",
                               valueName: "N|all"))
    var explain: String?

    @Option(help: ArgumentHelp("A category the model has not seen: score (as an unseen value, counted) or reject (the row).",
                               valueName: "score|reject"))
    var unknownCategories: String = UnknownCategoryMode.score.rawValue

    @Flag(help: ArgumentHelp("Kept for old command lines: the same as --unknown-categories score (now the default)."))
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
        guard driftThreshold > 0 && driftThreshold.isFinite else { throw ValidationError("--drift-threshold must be a positive number (got \(driftThreshold))") }
        guard let mode = UnknownCategoryMode(rawValue: unknownCategories) else {
            throw ValidationError("--unknown-categories must be score or reject (got '\(unknownCategories)')")
        }
        if allowUnknownCategories && mode == .reject {
            throw ValidationError("--allow-unknown-categories contradicts --unknown-categories reject; drop one")
        }
    }

    func run() throws {
        let outputFormat = OutputFormat(rawValue: format)!
        let outputPath = output ?? BatchOptions.defaultPaths(for: input, format: outputFormat).output
        if force && outputPath != "-" { OutputFile.releaseCache(ofReplaced: outputPath, input: input) }
        let artifact = try loadModel(model)
        let shardChoice = shard.flatMap(Shard.init)
        var options = BatchOptions(input: input, output: outputPath,
                                   rejects: rejects ?? BatchOptions.rejectsPath(forOutput: outputPath, input: input, shard: shardChoice))
        options.rejectsIsSideFile = rejects == nil
        options.format = outputFormat
        options.explain = explain.flatMap(ExplainChoice.init) ?? .none
        options.unknownCategories = UnknownCategoryMode(rawValue: unknownCategories)!
        options.force = force
        options.driftThreshold = driftThreshold
        options.shard = shardChoice
        options.delimiter = delimiter.byte
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
            case .input(let e) where e.isHeaderProblem: throw fail("\(error)", code: ExitStatus.badHeader)
            case .cancelled: throw fail("interrupted; no output was written", code: 130)
            default: throw fail("\(error)")
            }
        }
        bar.finish()
        if let summaryJson {
            do {
                try AtomicFile.write(try JSONOutput.encode(summary), to: summaryJson)
            } catch {
                throw fail("cannot write \(summaryJson): \(IOErrorText.describe(error, file: summaryJson))")
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
