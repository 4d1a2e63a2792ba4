/// `models:/NAME/VERSION`: a version of a model in MLflow's model registry.
public struct ModelURI: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    /// A version number, or "latest" for the newest version.
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// Parses `models:/NAME/VERSION` (NAME may contain slashes; VERSION is a number or `latest`).
    public init?(_ text: String) {
        guard text.hasPrefix("models:/") else { return nil }
        let rest = text.dropFirst("models:/".count)
        guard let slash = rest.lastIndex(of: "/") else { return nil }
        let name = String(rest[..<slash])
        let version = String(rest[rest.index(after: slash)...])
        guard !name.isEmpty, version == "latest" || (Int(version).map { $0 > 0 } ?? false) else { return nil }
        self.init(name: name, version: version)
    }

    public var description: String { "models:/\(name)/\(version)" }
}
