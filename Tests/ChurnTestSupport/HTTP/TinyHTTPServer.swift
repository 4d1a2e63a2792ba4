import Foundation

/// A real HTTP server on 127.0.0.1 (an ephemeral port) that answers every request with one canned response:
/// enough to test the API source over a real socket without `churn serve`.
public final class TinyHTTPServer: Sendable {
    private let server: LoopbackHTTPServer
    private let response: Locked<LoopbackHTTPServer.Reply>

    public init(status: Int = 200, body: Data = Data()) throws {
        let response = Locked(LoopbackHTTPServer.Reply(status: status, body: body))
        self.response = response
        server = try LoopbackHTTPServer { _ in response.withLock { $0 } }
    }

    public var port: UInt16 { server.port }
    public var url: URL { server.url }
    /// Request lines and headers received, for assertions.
    public var requests: Locked<[String]> { server.requests }

    /// Answers from now on with `status` and `body`, held back `delay` seconds (a slow server).
    public func respond(status: Int, body: Data, delay: Double = 0) {
        response.withLock { $0 = .init(status: status, body: body, delay: delay) }
    }

    public func stop() { server.stop() }
}
