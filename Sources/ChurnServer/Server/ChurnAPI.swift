import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// The HTTP API: the route table, middleware and the application that serves them.
public enum ChurnAPI {
    /// Every route, in the order docs/api.md lists them: the single source the router, the 405 answers (`Allow`)
    /// and the query-parameter checks are built from. `HEAD` is answered wherever `GET` is.
    public static let routes: [APIRoute] = [
        APIRoute("POST", "/predict", secured: true, parameters: ["explain"], refusesUnknownParameters: true) { request, context, api in
            let body = try await collect(request, limit: api.service.configuration.maxBodyBytes)
            guard let explain = explainChoice(request) else { return explainRefused(request) }
            let answer = api.service.predict(body, explain: explain)
            context.answeredBy.value = answer.modelVersion
            return answer.response
        },
        APIRoute("POST", "/predict/batch", secured: true, parameters: ["explain"], refusesUnknownParameters: true) { request, context, api in
            let body = try await collect(request, limit: api.service.configuration.maxBatchBytes)
            guard let explain = explainChoice(request) else { return explainRefused(request) }
            let answer = api.service.predictBatch(body, contentType: request.headers[.contentType], explain: explain)
            context.answeredBy.value = answer.modelVersion
            return answer.response
        },
        APIRoute("POST", "/feedback", secured: true) { request, _, api in
            api.service.feedback(try await collect(request, limit: api.service.configuration.maxBodyBytes))
        },
        APIRoute("GET", "/health", secured: false) { _, _, _ in
            APIResponse.text(.ok, "{\"status\":\"ok\"}", contentType: "application/json")
        },
        APIRoute("GET", "/ready", secured: false) { _, _, api in api.service.readiness() },
        APIRoute("GET", "/model", secured: false) { _, _, api in
            APIResponse.json(.ok, encoding: ModelDescription(api.service.model.artifact))
        },
        APIRoute("GET", "/metrics", secured: false) { _, _, api in
            APIResponse.text(.ok, api.service.monitor.prometheusText(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        },
        // `range` is read by the console's history view; unknown parameters are ignored here (older consoles).
        APIRoute("GET", "/api/v1/stats", secured: false, parameters: ["range"]) { request, _, api in
            await StatsRoute.answer(request, api.service)
        },
        APIRoute("POST", "/admin/model/promote", secured: true) { request, _, api in
            let body = try await collect(request, limit: api.service.configuration.maxBodyBytes)
            return await ModelAdmin(service: api.service, follower: api.follower).handle(action: .promote, body: body)
        },
        APIRoute("POST", "/admin/model/rollback", secured: true) { request, _, api in
            let body = try await collect(request, limit: api.service.configuration.maxBodyBytes)
            return await ModelAdmin(service: api.service, follower: api.follower).handle(action: .rollback, body: body)
        },
    ]

    /// The methods each path answers (`HEAD` wherever `GET`), as the `Allow` header lists them.
    public static let allowedMethods: [String: [String]] = {
        var methods: [String: [String]] = [:]
        for route in routes {
            methods[route.path, default: []].append(route.method)
            if route.method == "GET" { methods[route.path]!.append("HEAD") }
        }
        return methods
    }()

    /// The router with every route of `routes`. The admin routes act through `follower` (a server following a
    /// registry); without one they answer 409.
    public static func router(service: ScoringService, follower: ModelFollower? = nil) -> Router<ChurnRequestContext> {
        let config = service.configuration
        let api = RouteServices(service: service, follower: follower)
        let router = Router(context: ChurnRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestMetricsMiddleware(monitor: service.monitor, maxBodyBytes: config.maxBodyBytes))
        router.add(middleware: MethodCheckMiddleware(allowed: allowedMethods))
        router.add(middleware: LoadSheddingMiddleware(limit: config.maxInFlight))
        let secured = router.group()
        if let token = config.token, !token.isEmpty {
            secured.add(middleware: BearerTokenMiddleware(token: token))
        }
        for route in routes {
            let group = route.secured ? secured : router.group()
            group.on(RouterPath(route.path), method: HTTPRequest.Method(route.method)!) { request, context in
                if let name = route.unknownParameter(in: request) { return route.refuseParameter(name) }
                return try await route.handler(request, context, api)
            }
        }
        return router
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
        -> Application<RouterResponder<ChurnRequestContext>> {
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
