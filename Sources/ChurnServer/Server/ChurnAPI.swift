import ChurnModel
import ChurnMonitor
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The HTTP API: routes, middleware and the application that serves them.
public enum ChurnAPI {
    /// One route of the API.
    public struct Route: Sendable, Hashable, CustomStringConvertible {
        public var method: String
        public var path: String
        /// Whether the bearer token (when configured) is required.
        public var secured: Bool
        public var description: String { "\(method) \(path)" }
    }

    /// Every route, in the order docs/api.md lists them: the single source the router is built from.
    public static let routes: [Route] = [
        Route(method: "POST", path: "/predict", secured: true),
        Route(method: "POST", path: "/predict/batch", secured: true),
        Route(method: "POST", path: "/feedback", secured: true),
        Route(method: "GET", path: "/health", secured: false),
        Route(method: "GET", path: "/ready", secured: false),
        Route(method: "GET", path: "/model", secured: false),
        Route(method: "GET", path: "/metrics", secured: false),
        Route(method: "GET", path: "/api/v1/stats", secured: false),
        Route(method: "POST", path: "/admin/model/promote", secured: true),
        Route(method: "POST", path: "/admin/model/rollback", secured: true),
    ]

    /// The router with every route of `routes`. The admin routes act through `follower` (a server following a
    /// registry); without one they answer 409.
    public static func router(service: ScoringService, follower: ModelFollower? = nil) -> Router<BasicRequestContext> {
        let config = service.configuration
        let router = Router()
        router.add(middleware: RequestMetricsMiddleware(monitor: service.monitor, maxBodyBytes: config.maxBodyBytes))
        router.add(middleware: LoadSheddingMiddleware(limit: config.maxInFlight))
        let secured = router.group()
        if let token = config.token, !token.isEmpty {
            secured.add(middleware: BearerTokenMiddleware(token: token))
        }
        for route in routes {
            let group = route.secured ? secured : router.group()
            group.on(RouterPath(route.path), method: HTTPRequest.Method(route.method)!) { request, _ in
                try await handle(route, request, service, follower)
            }
        }
        return router
    }

    static func handle(_ route: Route, _ request: Request, _ service: ScoringService, _ follower: ModelFollower?) async throws -> Response {
        let config = service.configuration
        switch route.path {
        case "/predict":
            let body = try await collect(request, limit: config.maxBodyBytes)
            guard let explain = explainChoice(request) else { return explainRefused(request) }
            return service.predict(body, explain: explain)
        case "/predict/batch":
            let body = try await collect(request, limit: config.maxBatchBytes)
            guard let explain = explainChoice(request) else { return explainRefused(request) }
            return service.predictBatch(body, contentType: request.headers[.contentType], explain: explain)
        case "/feedback":
            return service.feedback(try await collect(request, limit: config.maxBodyBytes))
        case "/health":
            return APIResponse.text(.ok, "{\"status\":\"ok\"}", contentType: "application/json")
        case "/ready":
            return service.readiness()
        case "/model":
            return APIResponse.json(.ok, encoding: ModelDescription(service.model.artifact))
        case "/metrics":
            return APIResponse.text(.ok, service.monitor.prometheusText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        case "/api/v1/stats":
            return await StatsRoute.answer(request, service)
        case "/admin/model/promote", "/admin/model/rollback":
            let body = try await collect(request, limit: config.maxBodyBytes)
            return await ModelAdmin(service: service, follower: follower)
                .handle(action: route.path == "/admin/model/promote" ? .promote : .rollback, body: body)
        default:
            throw HTTPError(.notFound)
        }
    }

    /// Reads the body, refusing at once (413) when Content-Length already says it is too large.
    ///
    /// A body that stops arriving (the client went away, or the request deadline cut it) is the client's failure:
    /// it is recorded as 408, not as a 500 that would count towards the HighErrorRate alert.
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HTTPError(.contentTooLarge)
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as any HTTPResponseError {
            throw error
        } catch {
            throw HTTPError(.requestTimeout)
        }
    }

    /// The application serving the API on `configuration.host:port`, with the monitor's background loop.
    /// `onRunning` receives the bound port (useful with port 0).
    public static func application(service: ScoringService, logger: Logger, follower: ModelFollower? = nil,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> Application<RouterResponder<BasicRequestContext>> {
        Allocator.limitArenas()
        let config = service.configuration
        var http = HTTP1Channel.Configuration(idleTimeout: .milliseconds(Int64(config.idleTimeoutSeconds * 1000)))
        http.httpDecoder = .init(maxHeaderFieldSize: 16 * 1024, maxHeaderListSize: 64 * 1024, maxHeaderFieldCount: 100)
        let requestTimeout = TimeAmount.milliseconds(Int64(config.requestTimeoutSeconds * 1000))
        http.additionalChannelHandlers = { [RequestDeadlineHandler(timeout: requestTimeout, logger: logger)] }
        return Application(
            router: router(service: service, follower: follower),
            server: .http1(configuration: http),
            configuration: .init(address: .hostname(config.host, port: config.port), serverName: "churn", backlog: 1024),
            services: [MonitorLoop(monitor: service.monitor, flushInterval: config.flushInterval, logger: logger)]
                + (follower.map { [$0] } ?? []),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? config.port) },
            logger: logger)
    }
}

extension ChurnAPI {
    /// The `explain` query parameter (`3`, `top 3`, `all`, `none`, `true`); absent is none, nil is unreadable.
    static func explainChoice(_ request: Request) -> ExplainChoice? {
        guard let text = request.uri.queryParameters["explain"] else { return ExplainChoice.none }
        return ExplainChoice(String(text))
    }

    static func explainRefused(_ request: Request) -> Response {
        let text = request.uri.queryParameters["explain"].map(String.init) ?? ""
        return APIResponse.error(.unprocessableContent, code: "invalid_explain",
                                 message: "explain must be \(ExplainChoice.accepted), got '\(text)'",
                                 fields: [FieldProblem(field: "explain", problem: "must be \(ExplainChoice.accepted)")])
    }
}
