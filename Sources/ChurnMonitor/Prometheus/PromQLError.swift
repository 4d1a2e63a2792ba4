/// Why a Prometheus API call gave no usable answer, worded for the operator who reads it on the status line.
public enum PromQLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Prometheus answered `"status": "error"`: its error type (bad_data, timeout, execution, …) and message.
    case server(type: String, message: String)
    /// The body is not the documented shape (or not JSON at all).
    case malformed(String)
    /// An HTTP status other than 200 without a Prometheus error body (a proxy, an auth layer, a wrong path).
    case http(status: Int, excerpt: String)
    /// No answer: connection refused, unknown host, timeout, TLS failure.
    case transport(String)
    /// The credentials file given with --bearer-token-file or --basic-auth-file cannot be used.
    case credentials(String)

    public var description: String {
        switch self {
        case .server(let type, let message):
            let hint: String
            switch type {
            case "bad_data": hint = " (check --selector)"
            case "timeout": hint = " (the query took too long; raise --timeout or narrow --selector)"
            default: hint = ""
            }
            return "Prometheus refused the query: \(type): \(message)\(hint)"
        case .malformed(let why):
            return "the answer is not a Prometheus API response: \(why)"
        case .http(let status, let excerpt):
            let hint = status == 401 || status == 403 ? " (check --bearer-token-file or --basic-auth-file)"
                : status == 404 ? " (is the URL Prometheus's base address, e.g. http://prometheus:9090?)" : ""
            return "HTTP \(status)\(hint)\(excerpt.isEmpty ? "" : ": \(excerpt)")"
        case .transport(let why):
            return why
        case .credentials(let why):
            return why
        }
    }
}
