import ChurnModel
import ChurnMonitor

/// Promotes and rolls back in a registry directory directly. Servers following the registry pick the change up
/// within a second; `applied` lets the console's own embedded server apply it at once.
public struct RegistryModelControl: ModelControl {
    public let registry: ModelRegistry
    private let applied: @Sendable () async -> String?

    /// `applied` runs after the registry changed and may describe what the local server did (nil: nothing).
    public init(registry: ModelRegistry, applied: @escaping @Sendable () async -> String? = { nil }) {
        self.registry = registry
        self.applied = applied
    }

    public var name: String { "registry \(registry.path)" }

    public func perform(_ action: ModelAction) async throws -> String {
        var message: String
        do {
            switch action {
            case .promote(let version):
                let (promoted, previous) = try registry.promote(version, actor: ModelRegistry.actor + " (console)")
                message = "promoted \(promoted.version)" + (previous.map { "; \($0) archived" } ?? "")
            case .rollback:
                let (restored, retired) = try registry.rollback(actor: ModelRegistry.actor + " (console)")
                message = "rolled back to \(restored.version); \(retired) archived"
            }
        } catch {
            throw SourceFailure(error.description)
        }
        if let note = await applied() { message += "; " + note }
        return message
    }
}
