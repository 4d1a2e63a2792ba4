import Synchronization

/// Points of range histories already computed, per range. A step that ended before the writer's last flush is
/// complete and its point never changes, so a poll computes (and reads the intervals for) only the steps that
/// ended since the last one: a 7-day history is read from the store once, not every second.
final class RangeHistoryCache: Sendable {
    struct Entry {
        /// The drift settings the points were computed with; other settings start afresh.
        var referenceSince: Int
        var driftWindow: Int
        var points: [Int: HistoryPoint] = [:]
    }

    private let entries = Mutex<[HistoryRange: Entry]>([:])

    /// The cached points of `range` computed with these settings, by end.
    func points(_ range: HistoryRange, referenceSince: Int, driftWindow: Int) -> [Int: HistoryPoint] {
        entries.withLock { e in
            guard let entry = e[range], entry.referenceSince == referenceSince, entry.driftWindow == driftWindow else { return [:] }
            return entry.points
        }
    }

    /// Keeps `points` (complete steps only) and forgets those before `oldestEnd`.
    func store(_ points: [HistoryPoint], range: HistoryRange, referenceSince: Int, driftWindow: Int, oldestEnd: Int) {
        entries.withLock { e in
            var entry = e[range].flatMap { $0.referenceSince == referenceSince && $0.driftWindow == driftWindow ? $0 : nil }
                ?? Entry(referenceSince: referenceSince, driftWindow: driftWindow)
            for p in points { entry.points[p.end] = p }
            entry.points = entry.points.filter { $0.key >= oldestEnd }
            e[range] = entry
        }
    }
}
