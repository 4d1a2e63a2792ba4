import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one way the product speaks HTTP as a client: the console's API source, the Prometheus client, MLflow
/// tracking and `churn model pull`, the console's promote/rollback, and the demo traffic all send through it.
///
/// `http://` goes through `PlainHTTPClient` (a POSIX socket, one deadline for the whole exchange). `https://`
/// goes through libcurl (`CurlExchange`), which the process loads with `dlopen` on its first https request: the
/// binary links neither libcurl nor FoundationNetworking, so a process that only speaks plain http, like a console
/// polling `churn serve` for days, never maps a TLS library. Either way the caller gets the same `HTTPResponse`
/// or an `HTTPFailure` in words.
public struct HTTPTransport: Sendable {
    /// Longest wait for one whole exchange, in seconds.
    public let timeout: Double

    public init(timeout: Double) {
        self.timeout = timeout
    }

    /// True for the schemes the transport speaks (http, https).
    public static func supports(_ url: URL) -> Bool {
        let scheme = url.scheme?.lowercased()
        return scheme == "http" || scheme == "https"
    }

    public func send(_ request: HTTPRequest) async throws(HTTPFailure) -> HTTPResponse {
        switch request.url.scheme?.lowercased() {
        case "http":
            let client = PlainHTTPClient(timeout: timeout)
            return try await offThePool {
                try client.blockingRequest(request.method, request.url, headers: request.headers, body: request.body)
            }
        case "https":
            let timeout = self.timeout
            return try await offThePool { () throws(HTTPFailure) in try CurlExchange.perform(request, timeout: timeout) }
        default:
            throw HTTPFailure(description: "not an http:// or https:// URL: \(request.url.absoluteString)")
        }
    }

    /// Runs a blocking exchange on a Dispatch thread: blocking a Swift concurrency thread could starve a server's
    /// own handlers, which share that small pool.
    private func offThePool(_ exchange: @escaping @Sendable () throws -> HTTPResponse) async throws(HTTPFailure) -> HTTPResponse {
        let result: Result<HTTPResponse, Error> = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: Result { try exchange() }) }
        }
        switch result {
        case .success(let response): return response
        case .failure(let error as HTTPFailure): throw error
        case .failure(let error): throw HTTPFailure(description: "\(error)")
        }
    }

    public func get(_ url: URL, headers: [String: String] = [:]) async throws(HTTPFailure) -> HTTPResponse {
        try await send(HTTPRequest("GET", url, headers: headers))
    }

    public func post(_ url: URL, body: Data, headers: [String: String] = [:]) async throws(HTTPFailure) -> HTTPResponse {
        try await send(HTTPRequest("POST", url, headers: headers, body: body))
    }
}
