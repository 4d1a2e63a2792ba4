import ChurnBase
import ArgumentParser
import ChurnDashboard
import ChurnDemo
import ChurnModel
import ChurnMonitor
import ChurnServer
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
import Logging
import ServiceLifecycle

struct Dashboard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The live operations console (ncurses): traffic, drift, model, alerts and batch scoring.",
        discussion: """
        Without --api, --store or --prometheus the console runs the scoring
        engine itself: the HTTP API listens on 127.0.0.1:8000 (--port) so real
        clients can send traffic, and metrics go to the default store. --demo
        adds generated customers sent through that API (metrics in a temporary
        store, removed on exit, backfilled with 7 days of history with a daily
        pattern so every range has something to show). The demo's script repeats
        every 6 minutes: 0:00 calm; 0:30 drift rises on about 40% of the features;
        by about 1:00 the drift score passes 0.30 and DataDriftHigh goes pending,
        then firing 15 s later; outcomes sent to /feedback disagree with the
        model, so live F1 falls (ModelF1Low); 3:00 the traffic recovers, drift
        falls back within a minute and the alerts resolve; 3:30-6:00 calm.

        --range (or the t key; T goes back) picks the time span of every history:
        live (the last 15 minutes, from memory), 15m, 1h, 6h, 24h or 7d (from the
        metrics store: the embedded one, --store, or the --api server's; or
        PromQL query_range with --prometheus). Charts fill their tile's width,
        with the range's start, "now", and the series' min and max under them.

        --prometheus URL watches a whole fleet of replicas: every tile comes from
        PromQL over the replicas --selector picks, drift from their summed bin
        counters against --model's reference profile (default: the bundled
        model), alerts from Prometheus itself. Replicas serving another model
        version are flagged on every panel. See docs/fleet.md.

        Panels: 1 Overview (the eight Grafana tiles), 2 Drift (PSI per feature),
        3 Model, 4 Alerts, 5 Batch (score a CSV file under --dir in the
        background), and with --prometheus 6 Fleet (each replica: up/down,
        req/s, p99, RSS, model version). Keys: 1-6 or Tab switch panels, ? help,
        t/T time range, p pause, r refresh now, +/- refresh interval, j/k scroll,
        / filter, Enter select, Esc back, q quit (asks first while a batch
        runs). After a batch, e lists its rejects (line, field, reason; / filters)
        and Enter on a customer shows every input and what drove the score. The
        bottom line lists the keys that work where you are.

        On the Model panel (3), P promotes the canary and B rolls production back,
        each after a y/n question. With --registry DIR they change that registry
        (the embedded API then also serves and follows its production version);
        with --api URL they go to that server's admin routes (it must run with
        --registry and a token; CHURN_API_TOKEN is sent).

        When data stops arriving the status line says STALE since hh:mm:ss and the
        numbers dim; the console keeps retrying with backoff. Colour is never the
        only signal: ok, warn and crit also differ by symbol, and a firing alert
        turns its Overview tile's borders to inverse video (--bell also rings
        once for each alert that starts firing). NO_COLOR or
        --no-color gives monochrome; a non-UTF-8 locale or --ascii gives ASCII.
        Needs a terminal of at least 70x20; for scripts use `churn snapshot`.

        Examples:
          churn dashboard --demo
          churn dashboard --demo --range 24h
          churn dashboard --model model.json --port 9000
          churn dashboard --api http://10.0.0.5:8000
          churn dashboard --registry /var/lib/churn/registry
          churn dashboard --prometheus http://prometheus:9090 --model model.json
          churn dashboard --prometheus https://prom.example \\
              --selector 'job="churn-api",namespace="prod"' \\
              --bearer-token-file /var/run/secrets/prom-token
          churn dashboard --api http://127.0.0.1:8000 --interval 5s --dir ~/data
          churn dashboard --store /var/lib/churn/metrics.sqlite --kiosk
          churn dashboard --kiosk --bell --rotate 30s --api http://churn-api:8000
          NO_COLOR=1 churn dashboard --ascii --api http://127.0.0.1:8000
        """
    )

    @OptionGroup var source: SourceOptions

    @Flag(help: "Replay generated customers through the embedded API so every tile moves.")
    var demo = false

    @Option(help: "Port of the embedded API (0 picks a free one).")
    var port = 8000

    @Option(help: ArgumentHelp("Time between polls, 500ms to 60s (the steps +/- go through).", valueName: "DURATION"))
    var interval = DurationArgument(seconds: 1)

    @Flag(help: "Kiosk mode: rotate panels, ignore stray keys, never exit on errors.")
    var kiosk = false

    @Flag(help: "Ring the terminal bell once whenever an alert starts firing (never again while it stays firing).")
    var bell = false

    @Option(help: ArgumentHelp("How long each panel shows in kiosk mode (at least 1s).", valueName: "DURATION"))
    var rotate = DurationArgument(seconds: 15)

    @Option(help: ArgumentHelp("Directory the Batch panel browses (it cannot leave it).", valueName: "DIR"))
    var dir: String = "."

    @Option(help: ArgumentHelp("Model for batch scoring and the drift reference of --prometheus (default: the bundled model).",
                               valueName: "FILE"))
    var model: String?

    @Option(help: ArgumentHelp("Model registry the Model panel promotes and rolls back in (embedded: also served and followed).",
                               valueName: "DIR"))
    var registry: String?

    @Flag(help: "Draw with ASCII only (default when the locale is not UTF-8).")
    var ascii = false

    @Flag(help: "No colour (same as setting NO_COLOR).")
    var noColor = false

    func validate() throws {
        // The range +/- step through: the server's windows move once a second, so faster polls only cost CPU, and
        // slower than a minute a console shows old numbers as live for minutes (use churn snapshot from cron).
        guard interval.seconds >= 0.5 && interval.seconds <= 60 else {
            throw ValidationError("--interval must be between 500ms and 60s (got \(interval.defaultValueDescription))")
        }
        guard rotate.seconds >= 1 else { throw ValidationError("--rotate must be at least 1s") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        if demo && source.namesSource {
            throw ValidationError("--demo runs the embedded engine; leave out --api, --store and --prometheus")
        }
    }

    func run() async throws {
        guard Terminal.stdoutIsTerminal && isatty(0) == 1 else {
            throw fail("""
                churn dashboard needs a terminal, and its output is not one.
                For one frame as text (scripts, cron, logs) use churn snapshot, e.g.
                  churn snapshot --api http://127.0.0.1:8000 --panel overview
                  churn snapshot --api http://127.0.0.1:8000 --json
                """)
        }
        guard let root = BatchRoot(PathText.expandingTilde(dir)) else {
            throw fail("--dir \(dir) is not a directory")
        }
        // Monitoring a remote source needs no model; only the Batch panel does. A broken bundled model must
        // not take the whole console down, but a model the operator named must load.
        var artifact: ModelArtifact?
        var modelProblem: String?
        if let model {
            artifact = try loadModel(model)
        } else {
            do { artifact = try ModelArtifact.bundledDefault() } catch { modelProblem = "\(error)" }
        }
        let modelRegistry = registry.map { ModelRegistry(path: PathText.expandingTilde($0)) }
        if source.namesSource {
            var control: (any ModelControl)? = modelRegistry.map { RegistryModelControl(registry: $0) }
            if control == nil, let api = source.api, let url = APISnapshotSource.parse(api) {
                control = APIModelControl(base: url, token: ProcessInfo.processInfo.environment["CHURN_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
            }
            try await console(source: try source.makeSource(model: artifact, modelProblem: modelProblem), artifact: artifact,
                              modelProblem: modelProblem, root: root, control: control)
            return
        }
        if let modelRegistry {
            do {
                if let entry = try modelRegistry.read().productionEntry { artifact = try modelRegistry.loadArtifact(entry) }
            } catch {
                throw fail("\(error)")
            }
        }
        guard let artifact else {
            throw fail("the embedded engine needs a model: \(modelProblem ?? "none given"); pass --model FILE")
        }
        try await embedded(artifact: artifact, root: root, registry: modelRegistry)
    }

    /// Runs the scoring API in this process (and the demo traffic) while the console watches it.
    func embedded(artifact: ModelArtifact, root: BatchRoot, registry: ModelRegistry?) async throws {
        var config = ServerConfiguration()
        config.host = "127.0.0.1"
        config.port = port
        // The demo's made-up traffic stays out of the real store: it gets a temporary one, removed on exit.
        let demoDirectory = demo ? FileManager.default.temporaryDirectory.appendingPathComponent("churn-demo-\(UUID().uuidString)").path : nil
        defer { if let demoDirectory { try? FileManager.default.removeItem(atPath: demoDirectory) } }
        config.storePath = demoDirectory.map { $0 + "/metrics.sqlite" } ?? ServerConfiguration.defaultStorePath
        config.token = try readToken(file: nil)
        if demo {
            config.monitor.alerts.setAllHolds(DemoScript.alertHold)
            config.monitor.driftWindowSeconds = DemoScript.driftWindow
        }
        let service: ScoringService
        do {
            service = try ScoringService(model: artifact, configuration: config)
            if demo, let store = service.monitor.store { try DemoBackfill(model: artifact).write(into: store) }
        } catch {
            throw fail("\(error)")
        }
        // Nothing may print while ncurses owns the screen.
        let logger = Logger(label: "churn.dashboard") { _ in SwiftLogNoOpLogHandler() }
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        // The console owns SIGHUP (it quits on it); the follower only polls the registry.
        let follower = registry.map { ModelFollower(source: .registry($0), service: service, logger: logger, handleSIGHUP: false) }
        let control = registry.map { registry in
            RegistryModelControl(registry: registry) { () async -> String? in
                switch await follower?.check(force: true, trigger: "console") {
                case .swapped(_, let to)?: return "now serving \(to)"
                case .refused(_, let reason)?: return "the embedded API refused it: \(reason)"
                default: return nil
                }
            }
        }
        let app = ChurnAPI.application(service: service, logger: logger, follower: follower) { portSink.yield($0) }
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let server = Task {
            defer { portSink.finish() }
            try await group.run()
        }
        var it = ports.makeAsyncIterator()
        guard let bound = await it.next() else {
            let why = await server.result.failureDescription
            throw fail("cannot start the embedded API on 127.0.0.1:\(port): \(why); try --port 0, or watch a running server with --api")
        }
        let sourceName = "embedded, API on 127.0.0.1:\(bound)" + (demo ? " (demo)" : "")
        let traffic: Task<Void, Never>? = demo
            ? Task { await DemoTraffic(base: URL(string: "http://127.0.0.1:\(bound)")!, model: artifact, token: config.token).run() }
            : nil
        defer { traffic?.cancel() }
        try await console(source: EmbeddedSnapshotSource(monitor: service.monitor, name: sourceName), artifact: artifact,
                          modelProblem: nil, root: root, control: control)
        traffic?.cancel()
        await group.triggerGracefulShutdown()
        _ = await server.result
    }

    /// Runs the console on a thread of its own (its loop blocks in poll(2)) until the operator quits.
    func console(source: any SnapshotSource, artifact: ModelArtifact?, modelProblem: String?, root: BatchRoot,
                 control: (any ModelControl)? = nil) async throws {
        let charset = TerminalLocale.adopt(forceASCII: ascii)
        let wantColor = !noColor && ColorMode.fromEnvironment(ProcessInfo.processInfo.environment) == .color
        let settings = (kiosk: kiosk, rotate: rotate.seconds, interval: interval.seconds, timeout: self.source.timeout.seconds,
                        bell: bell)
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, Error>) in
            DetachedThread.start(name: "churn-console") {
                let queue = EventQueue()
                let terminal: NCursesTerminal
                do {
                    terminal = try NCursesTerminal(wantColor: wantColor)
                } catch {
                    done.resume(throwing: fail("\(error)"))
                    return
                }
                TerminalSignals.install(wakeFD: queue.signalFD)
                let config = DashboardConfig(
                    sourceName: source.name, theme: Theme(charset: charset, color: terminal.hasColor ? .color : .mono),
                    kiosk: settings.kiosk, rotateEvery: settings.rotate, interval: settings.interval, batchRoot: root.path,
                    batchModel: artifact?.version ?? "",
                    batchUnavailable: modelProblem.map { "Batch scoring needs a model: \($0). Start with --model FILE." },
                    modelControl: control?.name, fleet: self.source.prometheus != nil, bell: settings.bell,
                    range: self.source.range)
                let runtime = DashboardRuntime(source: source, terminal: terminal, queue: queue, model: artifact, root: root,
                                               pollTimeout: settings.timeout, modelControl: control)
                runtime.run(config: config)
                terminal.shutdown()
                TerminalSignals.restore()
                done.resume()
            }
        }
    }
}

extension Result {
    /// The error's description, or "stopped" for a success.
    var failureDescription: String {
        if case .failure(let e) = self { return "\(e)" }
        return "stopped"
    }
}
