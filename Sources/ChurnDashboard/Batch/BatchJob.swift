import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Runs one batch on its own thread, reporting progress (at most a few times a second, so the terminal is not
/// flooded) and the outcome as events. `cancel()` stops it; the scorer then writes nothing.
public final class BatchJob: Sendable {
    private let flag = CancellationFlag()

    public init() {}

    public func cancel() { flag.cancel() }

    public func start(plan: BatchPlan, model: ModelArtifact, post: @escaping @Sendable (DashboardEvent) -> Void) {
        let flag = self.flag
        DetachedThread.start(name: "churn-batch") {
            var options = BatchOptions(input: plan.inputPath, output: plan.outputPath, rejects: plan.rejectsPath)
            // The rejects path is the output's pair, written only when a row is rejected.
            options.rejectsIsSideFile = true
            // Leave a core to the console and the embedded server.
            options.threads = max(1, ProcessInfo.processInfo.activeProcessorCount - 1)
            let scorer = BatchScorer(engine: ScoringEngine(artifact: model), options: options)
            var last = Date.distantPast
            do throws(BatchError) {
                let summary = try scorer.run(cancel: flag) { p in
                    let now = Date()
                    guard now.timeIntervalSince(last) >= 0.25 else { return }
                    last = now
                    post(.batchProgress(p))
                }
                post(.batchFinished(.success(summary)))
            } catch {
                if case .cancelled = error { post(.batchCancelled) } else { post(.batchFinished(.failure(BatchFailure(error.description)))) }
            }
        }
    }
}
