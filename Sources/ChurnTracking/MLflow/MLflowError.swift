/// An MLflow tracking server refused or failed a request, with what was being done and what it said.
public struct MLflowError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being done, e.g. "create run in experiment 3".
    public var operation: String
    /// HTTP status (nil when no answer came).
    public var status: Int?
    /// MLflow's `error_code`, e.g. RESOURCE_DOES_NOT_EXIST.
    public var code: String?
    public var message: String

    public init(operation: String, status: Int? = nil, code: String? = nil, message: String) {
        self.operation = operation
        self.status = status
        self.code = code
        self.message = message
    }

    public var description: String {
        var s = "MLflow: cannot \(operation): "
        if let status { s += "HTTP \(status) " }
        if let code { s += "\(code) " }
        return s + message
    }
}
