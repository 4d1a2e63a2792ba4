import ChurnMonitor
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Polls a remote `churn serve` (`GET /api/v1/stats`) for snapshots.
public struct APISnapshotSource: SnapshotSource {
    /// The stats endpoint polled.
    public let url: URL
    public let timeout: Double
    private let token: String?
    /// Only for https: plain http never touches URLSession (and so never initialises libcurl).
    private let session: URLSession?

    /// `base` is the server (`http://host:8000`) or the full stats URL. A bearer `token` is sent when given.
    public init(base: URL, timeout: Double = 5, token: String? = nil) {
        if base.path.isEmpty || base.path == "/" {
            url = base.appendingPathComponent("api/v1/stats")
        } else {
            url = base
        }
        self.timeout = timeout
        self.token = token
        if url.scheme?.lowercased() == "https" {
            let config = URLSessionConfiguration.ephemeral
            config.timeoutIntervalForRequest = timeout
            config.timeoutIntervalForResource = timeout
            config.requestCachePolicy = .reloadIgnoringLocalCacheData
            config.httpMaximumConnectionsPerHost = 1
            session = URLSession(configuration: config)
        } else {
            session = nil
        }
    }

    /// Parses the `--api` argument: an http(s) URL with a host.
    public static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil else { return nil }
        return url
    }

    public var name: String { "api \(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")" }

    public func snapshot() async throws -> MonitorSnapshot {
        try await snapshot(range: .live)
    }

    /// Asks for `range` with `?range=` (live: no parameter, as older servers expect).
    public func snapshot(range: HistoryRange) async throws -> MonitorSnapshot {
        let url = rangeURL(range)
        guard let session else { return try await plainSnapshot(url) }
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw SourceFailure("cannot reach \(url.absoluteString): \(describe(error))")
        }
        if let http = response as? HTTPURLResponse, http.statusCode != 200 {
            let hint = http.statusCode == 401 || http.statusCode == 403 ? " (check the API token)" : ""
            throw SourceFailure("\(url.absoluteString) answered HTTP \(http.statusCode)\(hint)")
        }
        do {
            return try SnapshotJSON.decode(data)
        } catch {
            throw SourceFailure("\(url.absoluteString) sent something that is not a snapshot: \(SnapshotJSON.describe(error))")
        }
    }

    /// Plain HTTP goes through the small socket client: the console polls for days, and this keeps each poll
    /// cheap and libcurl (and its TLS library) out of the process.
    func plainSnapshot(_ url: URL) async throws -> MonitorSnapshot {
        var headers = ["Accept": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response: PlainHTTPClient.Response
        do {
            response = try await PlainHTTPClient(timeout: timeout).get(url, headers: headers)
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

    func describe(_ error: Error) -> String {
        if let e = error as? URLError {
            switch e.code {
            case .timedOut: return "no answer within \(Format.interval(timeout))"
            case .cannotConnectToHost: return "connection refused"
            case .cannotFindHost: return "unknown host"
            case .networkConnectionLost: return "connection lost"
            default: return e.localizedDescription
            }
        }
        return error.localizedDescription
    }
}
