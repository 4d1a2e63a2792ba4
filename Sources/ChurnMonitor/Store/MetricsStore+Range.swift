import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension MetricsStore {
    /// The history of `range` as of the writer's last flush: request rate, p95/p99, error rate, drift score and
    /// high-risk share per step, from the 10-second intervals (kept a day) and the 5-minute ones (kept 30 days).
    ///
    /// `driftWindow` is the seconds of traffic each drift point is measured on (the writer's drift window; at
    /// least one step). Complete steps are cached, so each call reads only the intervals of new steps.
    public func history(range: HistoryRange, now: Date = Date(), driftWindow: Int = 900) throws -> History {
        let (meta, lastFlush) = try pool.read("reading the store's meta") { db in
            let meta = try StoreMeta(db)
            return (meta, meta.lastFlush)
        }
        let asOf = Int((lastFlush ?? now).timeIntervalSince1970)
        let ends = RangeBuckets.ends(range: range, asOf: asOf)
        let buckets = RangeBuckets(step: range.step, driftWindow: driftWindow, profile: meta.reference,
                                   referenceSince: meta.referenceSince)
        let cached = rangeCache.points(range, referenceSince: meta.referenceSince, driftWindow: buckets.driftWindow)
        let missing = ends.filter { cached[$0] == nil }
        var fresh: [HistoryPoint] = []
        if let first = missing.first, let last = missing.last {
            let from = first - max(range.step, buckets.lookBack)
            let intervals = try pool.read("reading a range's intervals") { db in try self.intervals(from: from, before: last, db: db) }
            fresh = buckets.points(ends: missing, intervals: intervals)
            // Only steps the writer has flushed past are final; without a writer's flush time nothing is.
            if lastFlush != nil {
                rangeCache.store(fresh, range: range, referenceSince: meta.referenceSince, driftWindow: buckets.driftWindow,
                                 oldestEnd: ends[0])
            }
        }
        let byEnd = fresh.reduce(into: cached) { $0[$1.end] = $1 }
        return RangeBuckets.history(ends.map { byEnd[$0] ?? HistoryPoint(end: $0) }, range: range)
    }

    /// Share of predictions at high risk per 10-second step for the last `points` steps before `now`, from the
    /// intervals' risk columns (no detail decoded): the live history's high-risk series.
    public func highRiskShares(now: Date = Date(), points: Int = HistoryRange.live.points) throws -> [Double?] {
        let ends = RangeBuckets.ends(range: .live, asOf: Int(now.timeIntervalSince1970)).suffix(points)
        guard let first = ends.first else { return [] }
        let step = MetricsStore.fine
        let rows = try pool.read("reading the high-risk shares") { db in
            try db.all("SELECT start, low + medium + high AS n, high FROM intervals WHERE start >= ? AND start < ?",
                       "reading the high-risk shares", first - step, ends.last!) { ($0.int(0), $0.int(1), $0.int(2)) }
        }
        var n = [Int: (Int, Int)]()
        for (start, count, high) in rows {
            let end = start - start % step + step
            let old = n[end] ?? (0, 0)
            n[end] = (old.0 + count, old.1 + high)
        }
        return ends.map { end in n[end].flatMap { $0.0 > 0 ? Double($0.1) / Double($0.0) : nil } }
    }

    /// Intervals (both resolutions) starting in [from, before), oldest first.
    func intervals(from: Int, before: Int, db: SQLiteConnection) throws -> [RangeBuckets.Interval] {
        let decoder = JSONDecoder()
        return try db.all("SELECT resolution, start, detail FROM intervals WHERE start >= ? AND start < ? ORDER BY start",
                          "reading a range's intervals", from, before) { ($0.int(1), $0.int(0), $0.text(2)) }
            .compactMap { start, resolution, detail in
                guard let stats = try? decoder.decode(IntervalStats.self, from: Data(detail.utf8)) else { return nil }
                return (start, resolution, stats)
            }
    }
}
