import Hummingbird
import Synchronization

/// Bounds the requests handled at once. Beyond `limit`, requests are answered at once with 503 and
/// `Retry-After: 1` instead of queueing without bound, so latency stays low for the requests that are served.
struct LoadSheddingMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The shared in-flight count (middleware values are copied; the counter must not be).
    final class Counter: Sendable {
        let value = Atomic<Int>(0)
    }

    let limit: Int
    let counter = Counter()

    init(limit: Int) {
        self.limit = limit
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let now = counter.value.wrappingAdd(1, ordering: .relaxed).newValue
        defer { counter.value.wrappingSubtract(1, ordering: .relaxed) }
        if now > limit {
            return APIResponse.error(.serviceUnavailable, code: "overloaded",
                                     message: "the server is at its limit of \(limit) requests in flight; retry shortly",
                                     headers: [.retryAfter: "1"])
        }
        return try await next(request, context)
    }
}
