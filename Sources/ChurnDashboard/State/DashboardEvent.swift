import ChurnModel
import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything that can happen to the console. Each event goes through `DashboardUpdate.update`; nothing else
/// changes the console's state.
public enum DashboardEvent: Sendable, Equatable {
    case key(Key)
    /// The clock moved on (about once a second, on the second).
    case tick(Date)
    case resize(width: Int, height: Int)
    /// A poll answered, at the given time.
    case snapshot(Result<MonitorSnapshot, SourceFailure>, at: Date)
    case directoryListed(DirectoryListing)
    case headerChecked(HeaderCheck)
    case batchProgress(BatchProgress)
    case batchFinished(Result<BatchSummary, BatchFailure>)
    case batchCancelled
    /// A promote or roll back finished, at the given time.
    case modelActionFinished(ModelAction, Result<String, SourceFailure>, at: Date)
    /// SIGINT, SIGTERM or SIGHUP: leave cleanly.
    case terminate
    /// The rejects file of the last batch was read (at most `RejectList.limit` rows).
    case rejectsLoaded(Result<RejectList, SourceFailure>)
    /// A customer opened from the results was explained (the line identifies which).
    case customerExplained(line: Int, Result<CustomerExplanation, SourceFailure>)
}
