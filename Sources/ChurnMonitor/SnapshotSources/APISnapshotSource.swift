import ChurnHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Polls a remote `churn serve` (`GET /api/v1/stats`) for snapshots.
public struct APISnapshotSource: SnapshotSource {
    /// The stats endpoint polled.
    public let url: URL
    public let timeout: Double
    private let token: String?

    /// `base` is the server (`http://host:8000`) or the full stats URL. A bearer `token` is sent when given.
    public init(base: URL, timeout: Double = 5, token: String? = nil) {
        if base.path.isEmpty || base.path == "/" {
            url = base.appendingPathComponent("api/v1/stats")
        } else {
            url = base
        }
        self.timeout = timeout
        self.token = token
    }

    /// Parses the `--api` argument: an http(s) URL with a host.
    public static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), HTTPTransport.supports(url), url.host != nil else { return nil }
        return url
    }

    public var name: String { "api \(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")" }

    public func snapshot() async throws -> MonitorSnapshot {
        try await snapshot(range: .live)
    }

    /// One poll through `HTTPTransport`: plain http keeps each poll cheap and libcurl out of the process (the
    /// console polls for days); https loads libcurl on the first poll. `range` is asked for with `?range=` (live:
    /// no parameter, as older servers expect).
    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        let url = rangeURL(range)
        var headers = ["Accept": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response: HTTPResponse
        do {
            response = try await HTTPTransport(timeout: timeout).get(url, headers: headers)
        } catch {
            throw SourceFailure("cannot reach \(url.absoluteString): \(error)")
        }
        if response.status != 200 {
            let hint = response.status == 401 || response.status == 403 ? " (check the API token)" : ""
            throw SourceFailure("\(url.absoluteString) answered HTTP \(response.status)\(hint)")
        }
        do {
            return try SnapshotJSON.decode(response.body)
        } catch {
            throw SourceFailure("\(url.absoluteString) sent something that is not a snapshot: \(SnapshotJSON.describe(error))")
        }
    }

    /// The stats URL with `range` added to whatever query it already has.
    func rangeURL(_ range: HistoryRange) -> URL {
        guard range != .live, var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        parts.queryItems = (parts.queryItems ?? []).filter { $0.name != "range" } + [URLQueryItem(name: "range", value: range.label)]
        return parts.url ?? url
    }
}
