import ChurnBase
import ChurnHTTP
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Promotes and rolls back through a remote `churn serve --registry`'s admin routes
/// (`POST /admin/model/promote`, `POST /admin/model/rollback`), with its bearer token.
public struct APIModelControl: ModelControl {
    public let base: URL
    private let token: String?
    private let timeout: Double

    public init(base: URL, token: String?, timeout: Double = 10) {
        var root = base
        if root.path.hasSuffix("/api/v1/stats") { root = root.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent() }
        self.base = root
        self.token = token
        self.timeout = timeout
    }

    public var name: String { "api \(base.absoluteString)" }

    public func perform(_ action: ModelAction) async throws -> String {
        let path: String
        var body = Data("{}".utf8)
        switch action {
        case .promote(let version):
            path = "admin/model/promote"
            body = try JSONValue.object(["version": .string(version)]).serialized()
        case .rollback:
            path = "admin/model/rollback"
        }
        var headers = ["Content-Type": "application/json"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        let response: HTTPResponse
        do {
            response = try await HTTPTransport(timeout: timeout).post(base.appendingPathComponent(path), body: body, headers: headers)
        } catch {
            throw SourceFailure("cannot reach \(base.absoluteString): \(error)")
        }
        let data = response.body, status = response.status
        let object = try? JSONValue.parse(data)
        guard status == 200 else {
            let message = object?["error"]?["message"]?.string ?? "HTTP \(status)"
            let hint = status == 401 ? " (set CHURN_API_TOKEN)" : ""
            throw SourceFailure(message + hint)
        }
        let production = object?["production"]?.string ?? "?"
        let serving = object?["serving"]?.string ?? "?"
        if let refused = object?["refused"]?.string {
            throw SourceFailure("the registry now names \(production), but the server refused it and serves \(serving): \(refused)")
        }
        return "\(action.verb == "promote" ? "promoted" : "rolled back to") \(production); the server serves \(serving)"
    }
}
