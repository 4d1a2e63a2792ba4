/// Work the update function asks the runtime to do; results come back as events.
public enum DashboardEffect: Sendable, Equatable {
    /// Ask the source for a snapshot (answers with `.snapshot`).
    case poll
    /// List a directory relative to the batch root (answers with `.directoryListed`).
    case listDirectory(String)
    /// Check a file's header against the model (answers with `.headerChecked`).
    case checkHeader(String)
    /// Score a file in the background (answers with `.batchProgress`, then `.batchFinished` or `.batchCancelled`).
    case startBatch(BatchPlan)
    case cancelBatch
    /// Promote or roll back (answers with `.modelActionFinished`).
    case modelAction(ModelAction)
    case quit
}
