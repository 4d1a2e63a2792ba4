import ArgumentParser
import ChurnModel
import ChurnMonitor
import ChurnServer
import Foundation
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the scoring HTTP API (what runs in a container or Kubernetes pod).",
        discussion: """
        Routes (docs/api.md, docs/openapi.yaml):
          POST /predict          one customer (JSON) -> probability, risk level
          POST /predict/batch    JSON array or text/csv body -> results in order
          POST /feedback         observed outcomes -> live F1
          GET  /health /ready /model /metrics /api/v1/stats

        Metrics are kept in a SQLite store (WAL) that survives restarts and that
        `churn dashboard --store PATH` can read while the server writes. With a
        token (--token-file or CHURN_API_TOKEN), the predict and feedback routes
        need 'Authorization: Bearer <token>'; health, ready, metrics stay open.
        SIGTERM or SIGINT stops accepting, drains requests and flushes the store.

        Examples:
          churn serve
          churn serve --host 0.0.0.0 --port 8000 --model model.json
          churn serve --store /var/lib/churn/metrics.sqlite --token-file /run/secrets/token
          CHURN_API_TOKEN=s3cret churn serve --port 9000
        """
    )

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 8000

    @Option(help: "Model artifact (default: the bundled model).")
    var model: String?

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

    @Option(help: "Override every alert rule's hold time, in seconds (demos, tests).")
    var alertHold: Double?

    @Option(help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxBodyBytes > 0, maxBatchBytes > 0, maxInFlight > 0 else { throw ValidationError("limits must be positive") }
        guard idleTimeout > 0, requestTimeout > 0 else { throw ValidationError("--idle-timeout and --request-timeout must be positive") }
        guard flushInterval > 0 && flushInterval <= 60 else { throw ValidationError("--flush-interval must be in (0, 60] seconds") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        let artifact = try loadModel(model)
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

        var logger = Logger(label: "churn.serve")
        logger.logLevel = Logger.Level(rawValue: logLevel)!
        let service: ScoringService
        do {
            service = try ScoringService(model: artifact, configuration: config)
        } catch {
            throw fail("\(error)")
        }
        let description = "model \(artifact.version), store \(config.storePath ?? "none (memory only)"), auth \(config.token == nil ? "off" : "bearer token")"
        let host = config.host
        let app = ChurnAPI.application(service: service, logger: logger) { port in
            Terminal.printError("churn serve: listening on http://\(host):\(port) (\(description))")
        }
        try await app.runService()
    }
}

/// The bearer token from --token-file, else from CHURN_API_TOKEN; nil when neither is set.
func readToken(file: String?) throws -> String? {
    if let file {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw fail("cannot read the token file \(file)")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw fail("the token file \(file) is empty") }
        return token
    }
    let env = ProcessInfo.processInfo.environment["CHURN_API_TOKEN"]?.trimmingCharacters(in: .whitespacesAndNewlines)
    return env?.isEmpty == false ? env : nil
}
