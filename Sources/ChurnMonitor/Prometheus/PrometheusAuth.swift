import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How requests to Prometheus authenticate. Credentials live in files and are read on every request, so a
/// rotated token (e.g. a projected service-account token) is picked up without a restart, as Prometheus's own
/// clients do; they never appear in errors, logs or the screen.
public enum PrometheusAuth: Sendable, Equatable {
    case none
    /// `Authorization: Bearer <file contents, trimmed>` (--bearer-token-file).
    case bearerTokenFile(String)
    /// `Authorization: Basic …` from a file whose first line is `user:password` (--basic-auth-file).
    case basicAuthFile(String)

    /// The Authorization header value, or nil without authentication.
    public func header() throws(PromQLError) -> String? {
        switch self {
        case .none:
            return nil
        case .bearerTokenFile(let path):
            let token = try PrometheusAuth.firstLine(path, what: "bearer token")
            return "Bearer \(token)"
        case .basicAuthFile(let path):
            let pair = try PrometheusAuth.firstLine(path, what: "basic auth")
            guard let colon = pair.firstIndex(of: ":"), colon != pair.startIndex else {
                throw .credentials("\(path) must hold user:password on its first line (for --basic-auth-file)")
            }
            return "Basic \(Data(pair.utf8).base64EncodedString())"
        }
    }

    static func firstLine(_ path: String, what: String) throws(PromQLError) -> String {
        let text: String
        do {
            text = try TextFile.read(path)
        } catch {
            throw .credentials("cannot read the \(what) file \(path): \(error)")
        }
        let line = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingWhitespace(newlines: false) } ?? ""
        guard !line.isEmpty else { throw .credentials("the \(what) file \(path) is empty") }
        guard !line.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .credentials("the \(what) file \(path) contains control characters")
        }
        return line
    }
}
