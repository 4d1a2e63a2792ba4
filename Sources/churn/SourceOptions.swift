import ArgumentParser
import ChurnDashboard
import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where `churn dashboard` and `churn snapshot` read their numbers from.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("api"), help: ArgumentHelp(
        "Poll a remote churn serve at URL (e.g. http://10.0.0.5:8000).",
        discussion: "A bearer token is taken from the CHURN_API_TOKEN environment variable, if set.",
        valueName: "URL"))
    var api: String?

    @Option(help: ArgumentHelp("Read the metrics store file a churn serve writes.", valueName: "PATH"))
    var store: String?

    @Option(help: ArgumentHelp(
        "Read the whole fleet from the Prometheus at URL (e.g. http://prometheus:9090).",
        discussion: """
        Every figure is computed by PromQL over all replicas --selector picks; drift is computed from \
        their summed per-feature bin counters against the reference profile of --model (default: the \
        bundled model), counting only replicas that serve that model version.
        """,
        valueName: "URL"))
    var prometheus: String?

    @Option(help: ArgumentHelp("PromQL label matchers that pick the scoring replicas (with --prometheus).",
                               valueName: "MATCHERS"))
    var selector: String = #"job="churn-api""#

    @Option(help: ArgumentHelp("Send Authorization: Bearer with the token in FILE to Prometheus (re-read on every poll).",
                               valueName: "FILE"))
    var bearerTokenFile: String?

    @Option(help: ArgumentHelp("Send HTTP basic auth to Prometheus; FILE holds user:password on its first line.",
                               valueName: "FILE"))
    var basicAuthFile: String?

    @Option(help: ArgumentHelp("Longest wait for one answer from the source (at least 100ms).", valueName: "DURATION"))
    var timeout = DurationArgument(seconds: 5)

    @Option(help: ArgumentHelp(
        "Time range of the histories (the console's t key cycles them).",
        discussion: "live is the last 15 minutes as the server counts them in memory; the longer ranges come from the metrics store (--store, or the --api server's), or from Prometheus query_range.",
        valueName: "RANGE"))
    var range: HistoryRange = .live

    /// Whether a remote source (not the embedded engine) was named.
    var namesSource: Bool { api != nil || store != nil || prometheus != nil }

    func validate() throws {
        if [api != nil, store != nil, prometheus != nil].filter({ $0 }).count > 1 {
            throw ValidationError("choose one source: --api, --store or --prometheus")
        }
        if let api, APISnapshotSource.parse(api) == nil {
            throw ValidationError("--api needs an http:// or https:// URL with a host, e.g. http://127.0.0.1:8000 (got '\(api)')")
        }
        if let prometheus, PrometheusClient.parse(prometheus) == nil {
            throw ValidationError("--prometheus needs an http:// or https:// URL with a host and no query, e.g. http://127.0.0.1:9090 (got '\(prometheus)')")
        }
        if prometheus == nil && (bearerTokenFile != nil || basicAuthFile != nil || selector != #"job="churn-api""#) {
            throw ValidationError("--selector, --bearer-token-file and --basic-auth-file apply to --prometheus only")
        }
        if bearerTokenFile != nil && basicAuthFile != nil {
            throw ValidationError("choose one of --bearer-token-file and --basic-auth-file")
        }
        do {
            _ = try PromQLSelector(selector)
        } catch {
            throw ValidationError("\(error)")
        }
        guard timeout.seconds >= 0.1 else { throw ValidationError("--timeout must be at least 100ms") }
    }

    /// The source --api, --store or --prometheus names, else the API at `fallback` when given (the dashboard
    /// handles the embedded engine itself). `model` is the drift reference of a Prometheus source.
    func makeSource(orAPI fallback: String? = nil, model: ModelArtifact? = nil, modelProblem: String? = nil) throws -> any SnapshotSource {
        if let prometheus, let url = PrometheusClient.parse(prometheus) {
            let auth: PrometheusAuth = bearerTokenFile.map { .bearerTokenFile($0) } ?? basicAuthFile.map { .basicAuthFile($0) } ?? .none
            do {
                _ = try auth.header() // an unreadable credentials file is a usage error now, not a stale screen later
            } catch {
                throw fail("\(error)")
            }
            // The client gives up a little before the poll deadline, so its own message (which query, which
            // address) reaches the screen rather than a bare "did not answer".
            let client = PrometheusClient(base: url, auth: auth, timeout: max(0.1, timeout.seconds * 0.9))
            return FleetSnapshotSource(client: client, selector: try PromQLSelector(selector), model: model,
                                       modelProblem: modelProblem)
        }
        if let api = api ?? (store == nil ? fallback : nil), let url = APISnapshotSource.parse(api) {
            let token = ProcessInfo.processInfo.environment["CHURN_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return APISnapshotSource(base: url, timeout: timeout.seconds, token: token)
        }
        if let store { return StoreSnapshotSource(path: store) }
        throw fail("name a source: --api URL, --store PATH or --prometheus URL")
    }
}
