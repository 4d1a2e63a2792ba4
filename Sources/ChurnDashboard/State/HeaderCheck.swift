/// The answer to a `checkHeader` effect: a plan to score the file, or why the file cannot be scored.
public struct HeaderCheck: Sendable, Equatable {
    /// The file checked, relative to the browser root.
    public var file: String
    public var result: Result<BatchPlan, BatchFailure>

    public init(file: String, result: Result<BatchPlan, BatchFailure>) {
        self.file = file
        self.result = result
    }
}

/// Why a batch could not start or did not finish, in words for the operator.
public struct BatchFailure: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
