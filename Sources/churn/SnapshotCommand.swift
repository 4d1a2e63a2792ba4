import ArgumentParser
import ChurnDashboard
import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Snapshot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print one dashboard frame as plain text, or the raw snapshot as JSON.",
        discussion: """
        Reads the source once and renders one panel with the same renderer as
        churn dashboard, without colour or attributes: for scripts, cron, logs and
        tests. Severity is readable without colour (symbols and words). --json
        prints the snapshot itself (the body of GET /api/v1/stats), ISO 8601 dates.

        Without --api, --store, --prometheus or --from it asks
        http://127.0.0.1:8000 (a churn serve or churn dashboard on this host).
        --prometheus reads the whole fleet through PromQL (see churn dashboard
        --help); --model names the artifact whose reference profile fleet drift
        is measured against.

        Panels: overview, drift, model, alerts, fleet. Exit status: 0 printed; 1 the
        source could not be read (the reason goes to stderr); 64 bad usage.

        --customer ID --file CSV prints what the console's Batch panel shows for a
        customer (Enter on the highest-risk table): every input of --model
        (default: the bundled model) as the file gives it, the probability and
        risk level, and each input's contribution to the score (logit; exact for
        logistic models and trees with covers), strongest first; --json prints it
        as JSON. --line N takes the record on that line instead of an id. Exit
        status: 1 when the customer is not in the file or their row cannot be
        scored (the reason, with line and field, goes to stderr); 65 when the
        file lacks the model's columns.

        Examples:
          churn snapshot --api http://127.0.0.1:8000
          churn snapshot --api http://10.0.0.5:8000 --panel drift --width 120
          churn snapshot --store ~/.local/state/churn/metrics.sqlite --panel alerts
          churn snapshot --api http://127.0.0.1:8000 --json | jq .drift.score
          churn snapshot --store metrics.sqlite --range 7d --json | jq .history.requestRate
          churn snapshot --from saved.json --panel alerts --ascii
          churn snapshot --prometheus http://127.0.0.1:9090 --json | jq .totals
          churn snapshot --prometheus http://127.0.0.1:9090 --panel fleet --width 120
          churn snapshot --customer 7590-VHVEG --file customers.csv --model model.json
          churn snapshot --line 42 --file customers.csv --json | jq .inputs
        """
    )

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("Render a snapshot saved as JSON (e.g. by --json) instead of polling.", valueName: "FILE"))
    var from: String?

    @Option(help: ArgumentHelp("Drift reference for --prometheus, or the model --customer is explained with (default: the bundled model).",
                               valueName: "FILE"))
    var model: String?

    @Option(help: ArgumentHelp("Explain this customer of --file: inputs, probability, risk and contributions.", valueName: "ID"))
    var customer: String?

    @Option(help: ArgumentHelp("Explain the record on this line of --file (instead of --customer).", valueName: "N"))
    var line: Int?

    @Option(help: ArgumentHelp("The CSV file --customer or --line is looked up in.", valueName: "CSV"))
    var file: String?

    @Option(help: ArgumentHelp("Panel to print: overview, drift, model, alerts or fleet.", valueName: "NAME"))
    var panel: String = "overview"

    @Option(help: "Frame width in columns.")
    var width: Int = 80

    @Option(help: "Frame height in rows.")
    var height: Int = 24

    @Flag(help: "Print the snapshot as JSON instead of a frame.")
    var json = false

    @Flag(help: "Draw with ASCII only (default when the locale is not UTF-8).")
    var ascii = false

    func validate() throws {
        guard let p = Panel(name: panel), p != .batch else {
            throw ValidationError("--panel must be overview, drift, model, alerts or fleet (got '\(panel)')")
        }
        guard (20...1000).contains(width), (5...1000).contains(height) else {
            throw ValidationError("--width must be 20-1000 and --height 5-1000")
        }
        if from != nil && source.namesSource {
            throw ValidationError("--from renders a saved snapshot; leave out --api, --store and --prometheus")
        }
        try validateCustomer()
        if model != nil && source.prometheus == nil && !explainsCustomer {
            throw ValidationError("--model is the drift reference of --prometheus; the other sources report their own drift")
        }
    }

    func run() async throws {
        if explainsCustomer { return try printCustomer() }
        let snap: MonitorSnapshot
        let sourceName: String
        if let from {
            do {
                snap = try SnapshotJSON.decode(Data(contentsOf: URL(fileURLWithPath: from)))
            } catch {
                throw fail("cannot read a snapshot from \(from): \(SnapshotJSON.describe(error))")
            }
            sourceName = "file \(from)"
        } else {
            var artifact: ModelArtifact?
            var modelProblem: String?
            if source.prometheus != nil {
                if model != nil { artifact = try loadModel(model) } else {
                    do { artifact = try ModelArtifact.bundledDefault() } catch { modelProblem = "\(error)" }
                }
            }
            let s = try source.makeSource(orAPI: "http://127.0.0.1:8000", model: artifact, modelProblem: modelProblem)
            sourceName = s.name
            // The console's poll with its deadline: a source that hangs ends as a timeout, never a stuck cron job.
            let result: Result<MonitorSnapshot, SourceFailure> = await withCheckedContinuation { done in
                PollRunner.poll(s, range: source.range, timeout: source.timeout.seconds) { event in
                    if case .snapshot(let r, _) = event { done.resume(returning: r) }
                }
            }
            switch result {
            case .success(let got): snap = got
            case .failure(let f): throw fail(f.message)
            }
        }
        if json {
            var data = try SnapshotJSON.encode(snap)
            data.append(0x0a)
            Terminal.writeOutput(data)
            return
        }
        let charset = TerminalLocale.adopt(forceASCII: ascii)
        let now = from == nil ? Date() : snap.takenAt
        let frame = SnapshotFrame.render(snap, sourceName: sourceName, panel: Panel(name: panel)!, width: width, height: height,
                                         charset: charset, now: now)
        print(frame)
    }
}
