import ArgumentParser
import ChurnDashboard
import ChurnModel
import ChurnMonitor
import Foundation

struct Dashboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The live operations console (ncurses): traffic, drift, model, alerts and batch scoring.",
        discussion: """
        Five panels: 1 Overview (the eight Grafana tiles), 2 Drift (PSI per feature),
        3 Model, 4 Alerts, 5 Batch (score a CSV file under --dir in the background).
        Keys: 1-5 or Tab switch panels, ? help, p pause, r refresh now, +/- refresh
        interval, j/k and arrows scroll, / filter, Enter select, Esc back, q quit
        (asks first while a batch runs). The bottom line lists the keys that work
        where you are.

        When data stops arriving the status line says STALE since hh:mm:ss and the
        numbers dim; the console keeps retrying with backoff. Colour is never the
        only signal: ok, warn and crit also differ by symbol. NO_COLOR or
        --no-color gives monochrome; a non-UTF-8 locale or --ascii gives ASCII.
        Needs a terminal of at least 70x20; for scripts use `churn snapshot`.

        Examples:
          churn dashboard --api http://10.0.0.5:8000
          churn dashboard --api http://127.0.0.1:8000 --interval 5s --dir ~/data
          churn dashboard --store /var/lib/churn/metrics.sqlite --kiosk
          churn dashboard --kiosk --rotate 30s --api http://churn-api:8000
          NO_COLOR=1 churn dashboard --ascii --api http://127.0.0.1:8000
        """
    )

    @OptionGroup var source: SourceOptions

    @Option(help: ArgumentHelp("Time between polls (500ms to 60s; +/- change it).", valueName: "DURATION"))
    var interval = DurationArgument(seconds: 1)

    @Flag(help: "Kiosk mode: rotate panels, ignore stray keys, never exit on errors.")
    var kiosk = false

    @Option(help: ArgumentHelp("How long each panel shows in kiosk mode.", valueName: "DURATION"))
    var rotate = DurationArgument(seconds: 15)

    @Option(help: ArgumentHelp("Directory the Batch panel browses (it cannot leave it).", valueName: "DIR"))
    var dir: String = "."

    @Option(help: ArgumentHelp("Model for batch scoring (default: the bundled model).", valueName: "FILE"))
    var model: String?

    @Flag(help: "Draw with ASCII only (default when the locale is not UTF-8).")
    var ascii = false

    @Flag(help: "No colour (same as setting NO_COLOR).")
    var noColor = false

    func validate() throws {
        guard interval.seconds >= 0.1 && interval.seconds <= 3600 else { throw ValidationError("--interval must be between 100ms and 1h") }
        guard rotate.seconds >= 1 else { throw ValidationError("--rotate must be at least 1s") }
    }

    func run() throws {
        guard Terminal.stdoutIsTerminal && isatty(0) == 1 else {
            throw fail("""
                churn dashboard needs a terminal, and its output is not one.
                For one frame as text (scripts, cron, logs) use churn snapshot, e.g.
                  churn snapshot --api http://127.0.0.1:8000 --panel overview
                  churn snapshot --api http://127.0.0.1:8000 --json
                """)
        }
        let snapshotSource = try source.makeSource()
        // Monitoring needs no model; only the Batch panel does. A broken bundled model must not take the
        // whole console down, but a model the operator named must load.
        var artifact: ModelArtifact?
        var modelProblem: String?
        if let model {
            artifact = try loadModel(model)
        } else {
            do { artifact = try ModelArtifact.bundledDefault() } catch { modelProblem = "\(error)" }
        }
        guard let root = BatchRoot((dir as NSString).expandingTildeInPath) else {
            throw fail("--dir \(dir) is not a directory")
        }
        let charset = TerminalLocale.adopt(forceASCII: ascii)
        let wantColor = !noColor && ColorMode.fromEnvironment(ProcessInfo.processInfo.environment) == .color
        let queue = EventQueue()
        let terminal: NCursesTerminal
        do {
            terminal = try NCursesTerminal(wantColor: wantColor)
        } catch {
            throw fail("\(error)")
        }
        TerminalSignals.install(wakeFD: queue.signalFD)
        defer {
            terminal.shutdown()
            TerminalSignals.restore()
        }
        let config = DashboardConfig(
            sourceName: snapshotSource.name, theme: Theme(charset: charset, color: terminal.hasColor ? .color : .mono),
            kiosk: kiosk, rotateEvery: rotate.seconds, interval: interval.seconds, batchRoot: root.path,
            batchModel: artifact?.version ?? "", batchUnavailable: modelProblem.map { "Batch scoring needs a model: \($0). Start with --model FILE." })
        let runtime = DashboardRuntime(source: snapshotSource, terminal: terminal, queue: queue, model: artifact, root: root,
                                       pollTimeout: source.timeout.seconds)
        runtime.run(config: config)
    }
}
