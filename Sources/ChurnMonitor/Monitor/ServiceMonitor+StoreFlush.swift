#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The store flusher: deltas since the last flush go to the `MetricsStore` in one transaction; on failure
/// everything is put back for the next one.
extension ServiceMonitor {
    /// Writes what changed since the last flush to the store (metrics intervals, prediction log, outcomes,
    /// alert states). At most one flush interval of data is lost if the process dies.
    public func flush(now: Date = Date()) throws {
        guard let store else { return }
        let second = Int(now.timeIntervalSince1970)
        let current = second - second % 10
        let batch: StoreBatch = state.withLock { s in
            var deltas: [Int: IntervalStats] = [:]
            for (start, stats) in s.intervals {
                let delta = stats.subtracting(s.flushed[start] ?? IntervalStats())
                if !delta.isEmpty || !delta.routes.isEmpty { deltas[start] = delta }
                s.flushed[start] = stats
            }
            for start in s.intervals.keys where start < current {
                s.intervals[start] = nil
                s.flushed[start] = nil
            }
            let batch = StoreBatch(intervals: deltas, predictions: s.pendingPredictions, outcomes: s.pendingOutcomes,
                                   alerts: s.alerts.states, transitions: s.pendingTransitions,
                                   residentBytes: ProcessStats.residentBytes(), cpuSeconds: ProcessStats.cpuSeconds(),
                                   at: now)
            // Sized for as many customers as the last interval brought: growing a dictionary of 100,000 entries
            // by doubling copies it several times per interval, and each copy raised the resident high-water mark.
            s.pendingPredictions = Dictionary(minimumCapacity: s.pendingPredictions.count)
            s.pendingOutcomes = []
            s.pendingOutcomeIndex = [:]
            s.pendingTransitions = []
            return batch
        }
        do {
            try store.write(batch)
        } catch {
            // Put the prediction log back so a transient failure loses nothing; counters were taken as deltas
            // and are re-added to the next flush.
            state.withLock { s in
                for (id, p) in batch.predictions where s.pendingPredictions[id] == nil {
                    if s.pendingPredictions.count < configuration.maxPendingPredictions { s.pendingPredictions[id] = p } else { s.droppedPredictions += 1 }
                }
                s.pendingOutcomes = batch.outcomes + s.pendingOutcomes
                s.pendingOutcomeIndex = [:]
                for (k, o) in s.pendingOutcomes.enumerated() { s.pendingOutcomeIndex[o.customerID] = k }
                s.pendingTransitions = batch.transitions + s.pendingTransitions
                for (start, delta) in batch.intervals {
                    if var f = s.flushed[start] { f = f.subtracting(delta); s.flushed[start] = f } else {
                        s.intervals[start, default: IntervalStats()].add(delta)
                    }
                }
            }
            throw error
        }
    }
}
