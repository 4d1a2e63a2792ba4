/// Something that can promote and roll back the model a scoring service serves: the registry itself (when the
/// console runs the engine or can reach the registry's directory), or a remote `churn serve` through its admin
/// routes. Implementations block on I/O; the runtime calls them off the UI thread.
public protocol ModelControl: Sendable {
    /// Where changes go, for the help and the panel ("registry /var/lib/churn/registry", "api http://…").
    var name: String { get }
    /// Performs the action; the answer is a sentence for the operator, the error says what went wrong.
    func perform(_ action: ModelAction) async throws -> String
}
