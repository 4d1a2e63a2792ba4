import Hummingbird

/// Requires `Authorization: Bearer <token>` on the routes it guards. The comparison takes the same time
/// whatever the guess, and neither the expected nor the presented token is ever logged or echoed.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]

    init(token: String) {
        self.token = Array(token.utf8)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            return Self.refuse("missing bearer token: send 'Authorization: Bearer <token>'")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix.lowercased()) else {
            return Self.refuse("the Authorization header must use the Bearer scheme")
        }
        let presented = Array(header.utf8.dropFirst(prefix.utf8.count))
        guard Self.constantTimeEqual(presented, token) else {
            return Self.refuse("invalid bearer token")
        }
        return try await next(request, context)
    }

    /// Compares every byte (and the lengths) without returning early.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        let n = max(a.count, b.count)
        for i in 0..<n {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= x ^ y
        }
        return diff == 0
    }

    static func refuse(_ message: String) -> Response {
        APIResponse.error(.unauthorized, code: "unauthorized", message: message, headers: [.wwwAuthenticate: "Bearer realm=\"churn\""])
    }
}
