import ChurnModel

/// Where the Batch panel is in choosing, checking, scoring and showing a file.
public enum BatchPhase: Sendable, Equatable {
    /// Choosing a file.
    case browsing
    /// The header of `file` is being checked.
    case checking(file: String)
    /// The header is fine: Enter starts scoring.
    case ready(BatchPlan)
    /// The file cannot be scored (missing columns, unreadable).
    case rejected(file: String, message: String)
    /// Scoring in the background; the console stays live.
    case running(BatchPlan, BatchProgress?)
    /// Esc was pressed; waiting for the scorer to stop (it writes nothing).
    case cancelling(BatchPlan, BatchProgress?)
    case finished(BatchPlan, BatchSummary)
    case failed(BatchPlan, message: String)
    case cancelled(BatchPlan)

    /// Whether a scorer is working (quitting now would discard its work).
    public var isRunning: Bool {
        switch self {
        case .running, .cancelling: true
        default: false
        }
    }
}
