#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension MetricsStore {
    /// Writes ready-made history in one transaction: `fine` as 10-second intervals, `coarse` as 5-minute ones
    /// (starts must be multiples of each), replacing what those intervals held. For `churn dashboard --demo`,
    /// whose store starts empty; a serving store only ever gets flushes.
    public func writeBackfill(fine: [Int: IntervalStats], coarse: [Int: IntervalStats], at: Date) throws {
        let encoder = JSONEncoder()
        try pool.write("writing backfilled history") { db in
            for (resolution, intervals) in [(MetricsStore.fine, fine), (MetricsStore.coarse, coarse)] {
                for (start, stats) in intervals.sorted(by: { $0.key < $1.key }) {
                    precondition(start % resolution == 0, "interval start \(start) is not a multiple of \(resolution)")
                    try MetricsStore.upsertInterval(db, resolution: resolution, start: start, stats: stats, encoder: encoder)
                }
            }
            try MetricsStore.setMeta(db, "last_flush", String(at.timeIntervalSince1970))
        }
    }
}
