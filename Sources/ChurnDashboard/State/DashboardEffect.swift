import ChurnModel

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
    /// Read the first rows of a finished batch's rejects file (answers with `.rejectsLoaded`).
    case loadRejects(String)
    /// Explain one customer of the results from their kept record (answers with `.customerExplained`).
    case explainCustomer(ScoredCustomer, BatchPlan)
    /// Ring the terminal's bell once: an alert started firing and `--bell` is on.
    case bell
}
