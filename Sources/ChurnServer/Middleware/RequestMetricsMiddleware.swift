import ChurnMonitor
import Hummingbird

/// Outermost middleware: times every request, turns thrown errors into JSON error bodies, and records
/// method, route, status and duration in the monitor (unknown routes are recorded as "unmatched"; a request a
/// model answered is recorded for that model, named by the response's `X-Model-Version`).
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
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
        // Unknown paths share one label, so a scan of random URLs cannot blow up the number of series.
        let path = response.status == .notFound && (context.endpointPath == nil || context.endpointPath == "NotFound")
            ? "unmatched" : (context.endpointPath ?? "unmatched")
        monitor.recordRequest(method: request.method.rawValue, path: path,
                              status: Int(response.status.code), seconds: Double(c.seconds) + Double(c.attoseconds) / 1e18,
                              modelVersion: response.headers[ScoringService.modelVersionHeader])
        return response
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
