import Hummingbird

/// Answers a known path asked with a method it does not take: 405 with `Allow` listing the methods it does
/// (and the usual JSON error body), instead of the router's 404.
struct MethodCheckMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods of each known path.
    let allowed: [String: [String]]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let methods = allowed[request.uri.path], !methods.contains(request.method.rawValue) {
            let list = methods.joined(separator: ", ")
            return APIResponse.error(.methodNotAllowed, code: "method_not_allowed",
                                     message: "\(request.method.rawValue) is not allowed on \(request.uri.path); it answers \(list)",
                                     headers: [.allow: list])
        }
        return try await next(request, context)
    }
}
