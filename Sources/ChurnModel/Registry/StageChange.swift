#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line of a registry's history: a version registered, promoted or rolled back, and by whom.
public struct StageChange: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable {
        case register, promote, rollback
    }

    public var at: Date
    public var action: Action
    /// The version the action was about (for a rollback: the version restored to production).
    public var version: String
    /// The production version before the change, if any.
    public var previous: String?
    /// Who did it: user and host, or "api" for the admin route.
    public var actor: String

    public init(at: Date, action: Action, version: String, previous: String?, actor: String) {
        self.at = at
        self.action = action
        self.version = version
        self.previous = previous
        self.actor = actor
    }
}
