/// Why an exchange failed before any HTTP status came back, in words for a status line or an error message
/// ("connection refused", "no answer within 5 s", "unknown host prom", "TLS failed (…)").
public struct HTTPFailure: Error, CustomStringConvertible, Sendable, Equatable {
    public var description: String

    public init(description: String) {
        self.description = description
    }
}
