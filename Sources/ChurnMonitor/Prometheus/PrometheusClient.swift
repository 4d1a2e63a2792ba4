import ChurnBase
import ChurnHTTP
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
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
    private let transport: HTTPTransport

    public init(base: URL, auth: PrometheusAuth = .none, timeout: Double = 5) {
        self.base = base
        self.auth = auth
        self.timeout = timeout
        transport = HTTPTransport(timeout: timeout)
    }

    /// Parses a `--prometheus` argument: an http(s) URL with a host.
    public static func parse(_ text: String) -> URL? {
        guard let url = URL(string: text), HTTPTransport.supports(url), url.host != nil, url.query == nil else { return nil }
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
        let data = try await send(HTTPRequest("GET", endpoint("api/v1/rules", query: "type=alert")))
        return try PrometheusRulesResponse.decode(data)
    }

    // MARK: HTTP

    /// Prometheus durations take whole units only ("3500ms", not "3.5s").
    private var serverTimeout: String { "\(Int(max(0.5, timeout * 0.8) * 1000))ms" }

    static func timeText(_ date: Date) -> String { String(cFormat: "%.3f", date.timeIntervalSince1970) }

    private func endpoint(_ path: String, query: String? = nil) -> URL {
        var url = base.appendingPathComponent(path)
        if let query, var c = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            c.percentEncodedQuery = query
            url = c.url ?? url
        }
        return url
    }

    private func post(_ path: String, form: [(String, String)]) async throws(PromQLError) -> Data {
        let body = Data(form.map { "\($0)=\(PrometheusClient.formEncode($1))" }.joined(separator: "&").utf8)
        return try await send(HTTPRequest("POST", endpoint(path), headers: ["Content-Type": "application/x-www-form-urlencoded"], body: body))
    }

    private func send(_ request: HTTPRequest) async throws(PromQLError) -> Data {
        var request = request
        request.headers["Accept"] = "application/json"
        if let header = try auth.header() { request.headers["Authorization"] = header }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw .transport("cannot reach Prometheus at \(displayURL): \(error)")
        }
        let data = response.body
        if response.status == 200 { return data }
        // Prometheus answers 400, 422 and 503 with its own JSON error; decode turns that into .server.
        if case .server(let type, let message)? = Result(catching: { () throws(PromQLError) in try PromQLResponse.decode(data) }).failure {
            throw .server(type: type, message: message)
        }
        let text = String(decoding: data.prefix(200), as: UTF8.self).trimmingWhitespace()
        throw .http(status: response.status, excerpt: PromQLJSON.excerpt(text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""))
    }

    static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s))s" : String(cFormat: "%.1fs", s) }

    /// application/x-www-form-urlencoded: everything but unreserved characters percent-encoded.
    /// ASCII letters and digits and `-._~` stay; every other UTF-8 byte becomes `%XX` in upper-case hex.
    static func formEncode(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count * 3)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(b)
            default:
                out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Result {
    /// The error, or nil for a success.
    var failure: Failure? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
