import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Settings of `churn serve` (and of the API the console embeds).
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8000
    /// Path of the metrics store; nil keeps metrics in memory only.
    public var storePath: String?
    /// Bearer token required on the predict and feedback routes; nil leaves them open.
    public var token: String?
    /// Largest body accepted by POST /predict and POST /feedback.
    public var maxBodyBytes = 1 << 20
    /// Largest body accepted by POST /predict/batch.
    public var maxBatchBytes = 16 << 20
    /// Requests handled at once; beyond this the server answers 503 with Retry-After.
    public var maxInFlight = 1024
    /// Seconds between metrics-store flushes (also the most metrics a crash can lose).
    public var flushInterval: Double = 5
    /// Connections idle this long are closed (cuts clients that trickle their headers).
    public var idleTimeoutSeconds: Double = 30
    /// A request whose body has not fully arrived this long after its head is cut (clients that trickle a body).
    public var requestTimeoutSeconds: Double = 30
    public var monitor = ServiceMonitor.Configuration()

    public init() {}

    /// The default store location: $XDG_STATE_HOME/churn/metrics.sqlite (or ~/.local/state/churn/metrics.sqlite).
    public static var defaultStorePath: String {
        let env = ProcessInfo.processInfo.environment
        let base = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((env["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path) + "/.local/state")
        return base + "/churn/metrics.sqlite"
    }
}
