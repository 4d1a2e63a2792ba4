/// A foreign model that cannot be imported, and why: the file, where in it (a JSON path or a line), and what to do.
public struct ModelImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    /// A JSON path (`learner.gradient_booster.model.trees[3].split_conditions`) or a line (`line 42 (Tree=3)`).
    public var field: String?
    public var reason: String

    public init(file: String, field: String? = nil, reason: String) {
        self.file = file
        self.field = field
        self.reason = reason
    }

    public var description: String {
        if let field { return "\(file): \(field): \(reason)" }
        return "\(file): \(reason)"
    }
}
