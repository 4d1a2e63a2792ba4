import ChurnMonitor
import Hummingbird

/// Outermost middleware: times every request, turns thrown errors into JSON error bodies, and records
/// method, route, status and duration in the monitor (unknown routes are recorded as "unmatched"; a request a
/// model answered is recorded for that model, which its handler named in the request context). A `HEAD`
/// request's answer goes out without its body.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ChurnRequestContext

    let monitor: ServiceMonitor
    let maxBodyBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = Self.describe(error.status, request: request, limit: maxBodyBytes)
        } catch {
            response = APIResponse.error(.internalServerError, code: "internal_error", message: "the request could not be handled")
        }
        let elapsed = ContinuousClock.now - start
        let c = elapsed.components
        monitor.recordRequest(method: request.method.rawValue, path: Self.pathLabel(response.status, request: request, context: context),
                              status: Int(response.status.code), seconds: Double(c.seconds) + Double(c.attoseconds) / 1e18,
                              modelVersion: context.answeredBy.value)
        if request.method == .head { response = response.createHeadResponse() }
        return response
    }

    /// The route a request is counted under. Unknown paths share one label, so a scan of random URLs cannot blow
    /// up the number of series; a known path asked with the wrong method (405) is counted under that path.
    static func pathLabel(_ status: HTTPResponse.Status, request: Request, context: Context) -> String {
        if status == .methodNotAllowed, ChurnAPI.allowedMethods[request.uri.path] != nil { return request.uri.path }
        if status == .notFound && (context.endpointPath == nil || context.endpointPath == "NotFound") { return "unmatched" }
        return context.endpointPath ?? "unmatched"
    }

    static func describe(_ status: HTTPResponse.Status, request: Request, limit: Int) -> Response {
        switch status {
        case .notFound:
            return APIResponse.error(.notFound, code: "not_found", message: "no route \(request.method.rawValue) \(request.uri.path); see docs/api.md")
        case .contentTooLarge:
            return APIResponse.error(.contentTooLarge, code: "body_too_large", message: "the request body is larger than the limit for this route")
        case .requestTimeout:
            return APIResponse.error(.requestTimeout, code: "body_incomplete", message: "the request body did not arrive in full")
        case .methodNotAllowed:
            return APIResponse.error(.methodNotAllowed, code: "method_not_allowed", message: "\(request.method.rawValue) is not allowed on \(request.uri.path)")
        default:
            return APIResponse.error(status, code: "http_\(status.code)", message: status.reasonPhrase)
        }
    }
}
