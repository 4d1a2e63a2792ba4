import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Runs one poll of a source off the UI thread with a deadline: whichever comes first, the answer or the
/// deadline, is posted as a `.snapshot` event; the other is dropped. A source that hangs therefore costs one
/// timeout, never a frozen console.
public enum PollRunner {
    public static func poll(_ source: any SnapshotSource, range: HistoryRange = .live, timeout: Double,
                            post: @escaping @Sendable (DashboardEvent) -> Void) {
        let done = Done()
        Task.detached {
            let result: Result<MonitorSnapshot, SourceFailure>
            do {
                result = .success(try await source.snapshot(range: range))
            } catch let f as SourceFailure {
                result = .failure(f)
            } catch let f as FleetSourceError {
                // Already one self-contained line naming Prometheus's address.
                result = .failure(SourceFailure(f.message))
            } catch {
                result = .failure(SourceFailure("\(source.name): \(error)"))
            }
            if done.claim() { post(.snapshot(result, at: Date())) }
        }
        Task.detached {
            try? await Task.sleep(for: .milliseconds(Int(timeout * 1000)))
            if done.claim() {
                post(.snapshot(.failure(SourceFailure("\(source.name) did not answer within \(Format.interval(timeout))")), at: Date()))
            }
        }
    }

    final class Done: Sendable {
        private let flag = Atomic<Bool>(false)
        func claim() -> Bool { !flag.exchange(true, ordering: .acquiringAndReleasing) }
    }
}
