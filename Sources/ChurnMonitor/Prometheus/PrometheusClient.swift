import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A small client for the Prometheus HTTP API: instant queries, range queries and alerting rules.
///
/// Queries go as form-encoded POSTs (long expressions do not fit a URL safely) with a server-side `timeout`
/// a little shorter than the client's, so a slow query comes back as Prometheus's own "timeout" error rather
/// than as silence.
public struct PrometheusClient: Sendable {
    /// Prometheus's base address, e.g. http://prometheus:9090 or https://host/prometheus behind a proxy.
    public let base: URL
    /// Longest wait for one answer, in seconds.
    public let timeout: Double
    let auth: PrometheusAuth
    private let session: URLSession

    public init(base: URL, auth: PrometheusAuth = .none, timeout: Double = 5) {
        self.base = base
        self.auth = auth
        self.timeout = timeout
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.timeoutIntervalForResource = timeout
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        config.httpMaximumConnectionsPerHost = 4
        session = URLSession(configuration: config)
    }

    /// Parses a `--prometheus` argument: an http(s) URL with a host.
    public static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              url.host != nil, url.query == nil else { return nil }
        return url
    }

    /// The address for messages: scheme, host, port and path, never credentials or a query.
    public var displayURL: String {
        var s = "\(base.scheme ?? "http")://\(base.host ?? "?")"
        if let port = base.port { s += ":\(port)" }
        let path = base.path
        if !path.isEmpty && path != "/" { s += path }
        return s
    }

    /// Evaluates `expression` at `time`.
    public func query(_ expression: String, at time: Date) async throws(PromQLError) -> PromQLResponse {
        let data = try await post("api/v1/query", form: [
            ("query", expression), ("time", PrometheusClient.timeText(time)), ("timeout", serverTimeout),
        ])
        return try PromQLResponse.decode(data)
    }

    /// Evaluates `expression` at every `step` seconds from `start` to `end`.
    public func queryRange(_ expression: String, start: Date, end: Date, step: Double) async throws(PromQLError) -> PromQLResponse {
        let data = try await post("api/v1/query_range", form: [
            ("query", expression), ("start", PrometheusClient.timeText(start)), ("end", PrometheusClient.timeText(end)),
            ("step", String(step)), ("timeout", serverTimeout),
        ])
        return try PromQLResponse.decode(data)
    }

    /// Every alerting rule Prometheus evaluates, with its state and active alerts.
    public func alertRules() async throws(PromQLError) -> [PrometheusAlertRule] {
        var request = URLRequest(url: endpoint("api/v1/rules", query: "type=alert"), cachePolicy: .reloadIgnoringLocalCacheData,
                                 timeoutInterval: timeout)
        request.httpMethod = "GET"
        let data = try await send(request)
        return try PrometheusRulesResponse.decode(data)
    }

    // MARK: HTTP

    /// Prometheus durations take whole units only ("3500ms", not "3.5s").
    private var serverTimeout: String { "\(Int(max(0.5, timeout * 0.8) * 1000))ms" }

    static func timeText(_ date: Date) -> String { String(format: "%.3f", date.timeIntervalSince1970) }

    private func endpoint(_ path: String, query: String? = nil) -> URL {
        var url = base.appendingPathComponent(path)
        if let query, var c = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            c.percentEncodedQuery = query
            url = c.url ?? url
        }
        return url
    }

    private func post(_ path: String, form: [(String, String)]) async throws(PromQLError) -> Data {
        var request = URLRequest(url: endpoint(path), cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(form.map { "\($0)=\(PrometheusClient.formEncode($1))" }.joined(separator: "&").utf8)
        return try await send(request)
    }

    private func send(_ request: URLRequest) async throws(PromQLError) -> Data {
        var request = request
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let header = try auth.header() { request.setValue(header, forHTTPHeaderField: "Authorization") }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw .transport("cannot reach Prometheus at \(displayURL): \(describe(error))")
        }
        guard let http = response as? HTTPURLResponse else { return data }
        if http.statusCode == 200 { return data }
        // Prometheus answers 400, 422 and 503 with its own JSON error; decode turns that into .server.
        if case .server(let type, let message)? = Result(catching: { () throws(PromQLError) in try PromQLResponse.decode(data) }).failure {
            throw .server(type: type, message: message)
        }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        throw .http(status: http.statusCode, excerpt: PromQLJSON.excerpt(text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""))
    }

    private func describe(_ error: Error) -> String {
        if let e = error as? URLError {
            switch e.code {
            case .timedOut: return "no answer within \(PrometheusClient.seconds(timeout))"
            case .cannotConnectToHost: return "connection refused"
            case .cannotFindHost, .dnsLookupFailed: return "unknown host"
            case .networkConnectionLost: return "connection lost"
            case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate:
                return "TLS failed (\(e.localizedDescription))"
            default: return e.localizedDescription
            }
        }
        return error.localizedDescription
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s))s" : String(format: "%.1fs", s) }

    /// application/x-www-form-urlencoded: everything but unreserved characters percent-encoded.
    static func formEncode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(128)))
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

extension Result {
    /// The error, or nil for a success.
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
