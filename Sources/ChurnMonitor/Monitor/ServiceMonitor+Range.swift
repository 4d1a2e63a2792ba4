#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ServiceMonitor {
    /// The live view with histories covering `range`: `.live` is the in-memory last 15 minutes (with the
    /// high-risk share from the store when there is one); longer ranges come from the metrics store as of its
    /// last flush. Without a store only `.live` exists, and the snapshot says so in a warning.
    public func snapshot(range: HistoryRange, now: Date = Date(), source: String = "embedded") -> MonitorSnapshot {
        var snap = snapshot(now: now, source: source)
        snap.history.range = HistoryRange.live.label
        snap.history.end = Date(timeIntervalSince1970: Double(RangeBuckets.ends(range: .live, asOf: Int(now.timeIntervalSince1970)).last!))
        guard let store else {
            if range != .live {
                snap.warnings = (snap.warnings ?? []) + ["range \(range.label) needs a metrics store (this server keeps metrics in memory): showing live"]
            }
            return snap
        }
        do {
            if range == .live {
                snap.history.highRiskShare = try store.highRiskShares(now: now, points: snap.history.requestRate.count)
            } else {
                snap.history = try store.history(range: range, now: now, driftWindow: configuration.driftWindowSeconds)
            }
        } catch {
            snap.warnings = (snap.warnings ?? []) + ["\(range.label) history unavailable: \(error)"]
        }
        return snap
    }
}
