import ChurnMonitor

/// A change to what production serves, asked for from the Model panel (always after a confirmation).
public enum ModelAction: Sendable, Equatable {
    /// Make this version (the canary on screen) production.
    case promote(version: String)
    /// Put back the version that was production before `current`.
    case rollback(current: String)

    /// The confirmation question.
    public var question: String {
        switch self {
        case .promote(let v): return "Promote \(v) to production? Every customer will be scored by it."
        case .rollback(let v): return "Roll back from \(v) to the previous production version?"
        }
    }

    public var verb: String {
        switch self {
        case .promote: return "promote"
        case .rollback: return "rollback"
        }
    }
}

/// The outcome of the last model action, shown on the Model panel.
public struct ModelActionStatus: Sendable, Equatable {
    public var action: ModelAction
    /// nil while it runs.
    public var result: Result<String, SourceFailure>?
    public var at: Date

    public init(action: ModelAction, result: Result<String, SourceFailure>?, at: Date) {
        self.action = action
        self.result = result
        self.at = at
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
