import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns stored metric intervals into the points of a range history: every step's requests, errors, latency and
/// risk mix added up, and drift measured on the bins of the drift window ending with the step. Pure (no store, no
/// clock), so it is tested on intervals built by hand.
public struct RangeBuckets: Sendable {
    /// One stored interval: its start (Unix seconds), its length in seconds and what it counted.
    public typealias Interval = (start: Int, resolution: Int, stats: IntervalStats)

    public var step: Int
    /// Seconds of traffic each drift score is measured on (at least one step).
    public var driftWindow: Int
    /// The reference profile drift is measured against (nil: drift is 0).
    public var profile: ReferenceProfile?
    /// Drift bins before this second belong to an earlier model's profile and are left out.
    public var referenceSince: Int
    public var driftThreshold: Double

    public init(step: Int, driftWindow: Int, profile: ReferenceProfile?, referenceSince: Int = .min,
                driftThreshold: Double = DriftReport.defaultThreshold) {
        self.step = step
        self.driftWindow = max(driftWindow, step)
        self.profile = profile
        self.referenceSince = referenceSince
        self.driftThreshold = driftThreshold
    }

    /// The ends of a range's points, oldest first: `points` steps, the last ending at `end` rounded down to a step.
    public static func ends(range: HistoryRange, asOf second: Int) -> [Int] {
        let last = second - ((second % range.step) + range.step) % range.step
        return (0..<range.points).map { last - (range.points - 1 - $0) * range.step }
    }

    /// How far before the first end the intervals must reach to compute the point ending there.
    public var lookBack: Int { driftWindow }

    /// The points ending at `ends`, from `intervals` sorted by start (an interval counts for the step its
    /// start falls in).
    public func points(ends: [Int], intervals: [Interval]) -> [HistoryPoint] {
        let starts = intervals.map(\.start)
        func firstIndex(atOrAfter t: Int) -> Int {
            var lo = 0, hi = starts.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if starts[mid] < t { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        return ends.map { end in
            var total = IntervalStats()
            for i in firstIndex(atOrAfter: end - step)..<firstIndex(atOrAfter: end) { total.add(intervals[i].stats) }
            var point = HistoryPoint(end: end, requestRate: Double(total.requests) / Double(step),
                                     p95: total.latency.quantile(0.95), p99: total.latency.quantile(0.99),
                                     errorRate: total.requests > 0 ? Double(total.errors) / Double(total.requests) : 0)
            let predictions = total.predictions
            point.highRiskShare = predictions > 0 ? Double(total.risk[2]) / Double(predictions) : nil
            if let profile {
                var flat: [Int] = []
                let from = firstIndex(atOrAfter: max(end - driftWindow, referenceSince)), to = firstIndex(atOrAfter: end)
                for i in from..<max(from, to) {
                    let bins = intervals[i].stats.driftBins
                    guard !bins.isEmpty else { continue }
                    if flat.isEmpty { flat = bins } else {
                        for k in flat.indices where k < bins.count { flat[k] += bins[k] }
                    }
                }
                if !flat.isEmpty {
                    let report = DriftReport(counts: DriftCounts(flat: flat, profile: profile), profile: profile,
                                             threshold: driftThreshold)
                    point.driftScore = report.isMeasured ? report.score : 0
                }
            }
            return point
        }
    }

    /// A `History` of `range` from its points (oldest first).
    public static func history(_ points: [HistoryPoint], range: HistoryRange) -> History {
        var h = History(step: range.step, requestRate: points.map(\.requestRate), p95: points.map(\.p95),
                        p99: points.map(\.p99), errorRate: points.map(\.errorRate), driftScore: points.map(\.driftScore))
        h.highRiskShare = points.map(\.highRiskShare)
        h.range = range.label
        h.end = points.last.map { Date(timeIntervalSince1970: Double($0.end)) }
        return h
    }
}
