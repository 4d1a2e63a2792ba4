/// Why a registry operation was refused, in words for the operator, with what to do next.
public enum RegistryError: Error, CustomStringConvertible, Sendable, Equatable {
    case unreadable(path: String, reason: String)
    case unknownVersion(reference: String, known: [String])
    case ambiguous(reference: String, matches: [String])
    case conflictingArtifact(version: String)
    case nothingToRollBack(production: String?)
    case alreadyProduction(version: String)
    case corruptArtifact(version: String, path: String, reason: String)
    case incompatible(version: String, production: String, reason: String)
    case io(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "registry index \(path): \(reason)"
        case .unknownVersion(let ref, let known):
            let list = known.isEmpty ? "the registry is empty; add one with `churn train --register` or `churn model add FILE`"
                : "registered: " + known.suffix(8).joined(separator: ", ")
            return "no registered version matches '\(ref)'; \(list)"
        case .ambiguous(let ref, let matches):
            return "'\(ref)' matches several versions (\(matches.joined(separator: ", "))); give more of the id or its number"
        case .conflictingArtifact(let version):
            return "version \(version) is already registered with different content; a model version id must name one artifact"
        case .nothingToRollBack(let production):
            if let production { return "nothing to roll back to: \(production) is the only version that has been in production" }
            return "nothing to roll back: no version is in production yet (promote one with `churn model promote VERSION`)"
        case .alreadyProduction(let version):
            return "\(version) is already in production"
        case .corruptArtifact(let version, let path, let reason):
            return "the artifact of \(version) (\(path)) cannot be used: \(reason)"
        case .incompatible(let version, let production, let reason):
            return "\(version) cannot replace \(production) in production: \(reason) (--force promotes it anyway; servers will still refuse it)"
        case .io(let message):
            return message
        }
    }
}
