import ArgumentParser
import ChurnBase
import ChurnModel
import ChurnMonitor
import ChurnServer
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Hummingbird

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the scoring HTTP API (what runs in a container or Kubernetes pod).",
        discussion: """
        Routes (docs/api.md, docs/openapi.yaml):
          POST /predict          one customer (JSON) -> probability, risk level
          POST /predict/batch    JSON array or text/csv body -> results in order
          POST /feedback         observed outcomes -> live F1
          GET  /health /ready /model /metrics /api/v1/stats
          POST /admin/model/promote /admin/model/rollback   (token; --registry)

        Metrics are kept in a SQLite store (WAL) that survives restarts and that
        `churn dashboard --store PATH` can read while the server writes. With a
        token (--token-file or CHURN_API_TOKEN), the predict and feedback routes
        need 'Authorization: Bearer <token>'; health, ready, metrics stay open.
        SIGTERM or SIGINT stops accepting, drains requests and flushes the store.

        Model lifecycle (docs/model-lifecycle.md): with --registry the server serves
        the registry's production version and follows it, checking the index every
        second; `churn model promote` or `rollback` elsewhere swaps the model in
        without dropping a request. SIGHUP reloads at once (with --model FILE it
        re-reads the file). A model that fails to load, validate or match the
        served schema is refused and the old one keeps serving. --canary sends a
        stable share of customers (by customerID hash) to another version.

        Examples:
          churn serve
          churn serve --host 0.0.0.0 --port 8000 --model model.json
          churn serve --store /var/lib/churn/metrics.sqlite --token-file /run/secrets/token
          CHURN_API_TOKEN=s3cret churn serve --port 9000
          churn serve --registry /var/lib/churn/registry
          churn serve --registry /var/lib/churn/registry --canary 7 --canary-share 0.1
        """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 8000

    @Option(help: "Model artifact (default: the bundled model; with --registry, only until it has a production version).")
    var model: String?

    @Option(help: ArgumentHelp("Serve the production version of this model registry and follow it.", valueName: "DIR"))
    var registry: String?

    @Option(help: ArgumentHelp("A registry version (number or id), or with no --registry a model file, to score a share of customers.",
                               valueName: "VERSION"))
    var canary: String?

    @Option(help: "Share of customers (0 to 1, by customerID hash) the canary scores.")
    var canaryShare: Double = 0.1

    @Option(help: "Metrics store file (default: $XDG_STATE_HOME/churn/metrics.sqlite).")
    var store: String?

    @Flag(help: "Keep metrics in memory only (no store).")
    var noStore = false

    @Option(help: "File holding the bearer token required on predict and feedback.")
    var tokenFile: String?

    @Option(help: "Largest body for /predict and /feedback, in bytes.")
    var maxBodyBytes = 1 << 20

    @Option(help: "Largest body for /predict/batch, in bytes.")
    var maxBatchBytes = 16 << 20

    @Option(help: "Requests handled at once before answering 503.")
    var maxInFlight = 1024

    @Option(help: "Seconds between metrics-store flushes.")
    var flushInterval: Double = 5

    @Option(help: "Seconds before an idle connection is closed (also cuts clients that trickle their headers).")
    var idleTimeout: Double = 30

    @Option(help: "Seconds a request may take to arrive, head to end of body, before its connection is cut.")
    var requestTimeout: Double = 30

    @Option(help: "Prediction-log rows held for the next store flush; beyond it predictions go unlogged (counted, warned).")
    var maxPendingPredictions = 500_000

    @Option(help: "Override every alert rule's hold time, in seconds (demos, tests).")
    var alertHold: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes > 0, maxBatchBytes > 0, maxInFlight > 0, maxPendingPredictions > 0 else { throw ValidationError("limits must be positive") }
        guard idleTimeout > 0, requestTimeout > 0 else { throw ValidationError("--idle-timeout and --request-timeout must be positive") }
        guard flushInterval > 0 && flushInterval <= 60 else { throw ValidationError("--flush-interval must be in (0, 60] seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
        guard canaryShare >= 0 && canaryShare <= 1 else { throw ValidationError("--canary-share must be between 0 and 1") }
    }

    func run() async throws {
        let registry = self.registry.map { ModelRegistry(path: PathText.expandingTilde($0)) }
        let artifact = try startingModel(registry: registry)
        var config = ServerConfiguration()
        config.host = host
        config.port = port
        config.storePath = noStore ? nil : (store ?? ServerConfiguration.defaultStorePath)
        config.token = try readToken(file: tokenFile)
        config.maxBodyBytes = maxBodyBytes
        config.maxBatchBytes = maxBatchBytes
        config.maxInFlight = maxInFlight
        config.flushInterval = flushInterval
        config.idleTimeoutSeconds = idleTimeout
        config.requestTimeoutSeconds = requestTimeout
        if let alertHold { config.monitor.alerts.setAllHolds(alertHold) }
        config.monitor.maxPendingPredictions = maxPendingPredictions

        var logger = Logger(label: "churn.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel)!
        let service: ScoringService
        do {
            service = try ScoringService(model: artifact, configuration: config)
        } catch {
            throw fail("\(error)")
        }
        let follower = ModelFollower(source: registry.map { .registry($0) } ?? model.map { .file($0) } ?? .fixed,
                                     service: service, logger: logger)
        var canaryNote = ""
        if let canary {
            let canaryArtifact = try canaryModel(canary, registry: registry)
            if let problem = canaryArtifact.schema.compatibilityProblem(replacing: artifact.schema) {
                throw fail("canary \(canaryArtifact.version) cannot run beside \(artifact.version): \(problem)")
            }
            if canaryArtifact.version != artifact.version {
                service.router.install(ModelRouting(production: service.model, canary: ServingModel(artifact: canaryArtifact), canaryShare: canaryShare))
                canaryNote = ", canary \(canaryArtifact.version) for \(Int((canaryShare * 100).rounded()))% of customers"
            }
        }
        let description = "model \(artifact.version)\(canaryNote)\(registry.map { " from registry \($0.path)" } ?? ""), store \(config.storePath ?? "none (memory only)"), auth \(config.token == nil ? "off" : "bearer token")"
        let host = config.host
        let app = ChurnAPI.application(service: service, logger: logger, follower: follower) { port in
            Terminal.printError("churn serve: listening on http://\(host):\(port) (\(description))")
        }
        try await app.runService()
    }

    /// The registry's production version when there is one, else --model or the bundled model.
    func startingModel(registry: ModelRegistry?) throws -> ModelArtifact {
        if let registry {
            do {
                if let entry = try registry.read().productionEntry { return try registry.loadArtifact(entry) }
            } catch {
                throw fail("\(error); fix the registry or roll back (churn model rollback --registry \(registry.path))")
            }
        }
        return try loadModel(model)
    }

    /// The canary: a registry version, or a model file when there is no registry.
    func canaryModel(_ reference: String, registry: ModelRegistry?) throws -> ModelArtifact {
        guard let registry else { return try loadModel(reference) }
        do {
            return try registry.loadArtifact(try registry.read().resolve(reference))
        } catch {
            throw fail("--canary: \(error)")
        }
    }
}

/// The bearer token from --token-file, else from CHURN_API_TOKEN; nil when neither is set; blank is refused.
func readToken(file: String?) throws -> String? {
    if let file {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw fail("cannot read the token file \(file)")
        }
        let token = text.trimmingWhitespace()
        guard !token.isEmpty else { throw fail("the token file \(file) is empty") }
        return token
    }
    // Set but blank is a mistake (an unset secret in a manifest), not a wish to turn auth off: refuse it, as an
    // empty token file is refused. Unset means no auth.
    guard let raw = ProcessInfo.processInfo.environment["CHURN_API_TOKEN"] else { return nil }
    let env = raw.trimmingWhitespace()
    guard !env.isEmpty else {
        throw fail("CHURN_API_TOKEN is set but empty or blank; set it to the token, or unset it to serve without auth")
    }
    return env
}
