import ArgumentParser
import ChurnDashboard
import ChurnMonitor
import Foundation

/// Where `churn dashboard` and `churn snapshot` read their numbers from.
struct SourceOptions: ParsableArguments {
    @Option(name: .customLong("api"), help: ArgumentHelp(
        "Poll a remote churn serve at URL (e.g. http://10.0.0.5:8000).",
        discussion: "A bearer token is taken from the CHURN_API_TOKEN environment variable, if set.",
        valueName: "URL"))
    var api: String?

    @Option(help: ArgumentHelp("Read the metrics store file a churn serve writes.", valueName: "PATH"))
    var store: String?

    @Option(help: ArgumentHelp("Longest wait for one answer from the source.", valueName: "DURATION"))
    var timeout = DurationArgument(seconds: 5)

    func validate() throws {
        if api != nil && store != nil { throw ValidationError("choose one source: --api or --store, not both") }
        if let api, APISnapshotSource.parse(api) == nil {
            throw ValidationError("--api needs an http:// or https:// URL with a host, e.g. http://127.0.0.1:8000 (got '\(api)')")
        }
    }

    /// The source --api or --store names, else the API at `fallback` when given (the dashboard handles the
    /// embedded engine itself).
    func makeSource(orAPI fallback: String? = nil) throws -> any SnapshotSource {
        if let api = api ?? (store == nil ? fallback : nil), let url = APISnapshotSource.parse(api) {
            let token = ProcessInfo.processInfo.environment["CHURN_API_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
            return APISnapshotSource(base: url, timeout: timeout.seconds, token: token)
        }
        if let store { return StoreSnapshotSource(path: store) }
        throw fail("name a source: --api URL or --store PATH")
    }
}
