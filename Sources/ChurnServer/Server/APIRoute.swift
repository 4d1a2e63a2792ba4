import Hummingbird

/// One route of the API: method and path, whether it needs the bearer token, the query parameters it reads, and
/// its handler. `ChurnAPI.routes` is the table the router, the 405 answers and the docs test are built from.
public struct APIRoute: Sendable, Hashable, CustomStringConvertible {
    /// What a handler gets: the request, its context, and the service and follower it acts on.
    typealias Handler = @Sendable (Request, ChurnRequestContext, RouteServices) async throws -> Response

    public let method: String
    public let path: String
    /// Whether the bearer token (when configured) is required.
    public let secured: Bool
    /// Query parameters the route reads.
    public let parameters: [String]
    /// Whether a query parameter not in `parameters` is refused (400) rather than ignored.
    public let refusesUnknownParameters: Bool
    let handler: Handler

    init(_ method: String, _ path: String, secured: Bool, parameters: [String] = [], refusesUnknownParameters: Bool = false,
         handler: @escaping Handler) {
        self.method = method
        self.path = path
        self.secured = secured
        self.parameters = parameters
        self.refusesUnknownParameters = refusesUnknownParameters
        self.handler = handler
    }

    public var description: String { "\(method) \(path)" }

    public static func == (a: APIRoute, b: APIRoute) -> Bool { a.method == b.method && a.path == b.path }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
    }

    /// The first query parameter this route does not accept, if it refuses unknown ones.
    func unknownParameter(in request: Request) -> String? {
        guard refusesUnknownParameters else { return nil }
        for (key, _) in request.uri.queryParameters where !parameters.contains(String(key)) { return String(key) }
        return nil
    }

    /// 400 naming the parameter and the ones the route accepts.
    func refuseParameter(_ name: String) -> Response {
        let accepted = parameters.isEmpty ? "none" : parameters.joined(separator: ", ")
        return APIResponse.error(.badRequest, code: "unknown_parameter",
                                 message: "\(path) has no query parameter '\(name)' (accepted: \(accepted))",
                                 fields: [FieldProblem(field: name, problem: "is not a query parameter of \(path); accepted: \(accepted)")])
    }
}

/// What route handlers act on.
struct RouteServices: Sendable {
    let service: ScoringService
    let follower: ModelFollower?
}
