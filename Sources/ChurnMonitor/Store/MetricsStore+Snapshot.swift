import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension MetricsStore {
    /// The console's view built from the store alone, as another process wrote it.
    ///
    /// Windows and history come from 10-second intervals (so a 1-minute window is six intervals), totals from
    /// everything retained, drift from the last 15 minutes of bin counts against the stored reference profile.
    /// `takenAt` is the writer's last flush, so a writer that stops shows as stale. `range` picks the span of
    /// the history (see `history(range:now:driftWindow:)`); `.live` is the last 15 minutes.
    public func snapshot(now: Date = Date(), source: String? = nil, range: HistoryRange = .live) throws -> MonitorSnapshot {
        let (meta, parts) = try pool.read("reading a snapshot") { db in
            let meta = try StoreMeta(db)
            let asOf = meta.lastFlush ?? now
            let nowSecond = Int(asOf.timeIntervalSince1970)
            let recent = try intervals(since: nowSecond - 1800 - MetricsStore.fine, db: db).filter { $0.resolution == MetricsStore.fine }
            return (meta, try SnapshotParts(db, recent: recent, meta: meta, nowSecond: nowSecond))
        }
        let asOf = meta.lastFlush ?? now
        var history = RangeBuckets.history(parts.buckets.points(ends: RangeBuckets.ends(range: .minutes15, asOf: Int(asOf.timeIntervalSince1970)),
                                                                intervals: parts.recent), range: .live)
        if range != .live { history = try self.history(range: range, now: now) }
        let drift = parts.drift
        return MonitorSnapshot(
            takenAt: asOf, source: source ?? "store \(path)",
            uptimeSeconds: meta.writerStarted.map { asOf.timeIntervalSince($0) }, model: meta.model,
            windows: [60, 300, 900].map { MetricsStore.window($0, parts.recent, nowSecond: Int(asOf.timeIntervalSince1970)) },
            totals: parts.totals,
            f1: parts.ledger.status(threshold: parts.thresholds["ModelF1Low"] ?? AlertRule.Settings().f1),
            drift: DriftStatus(score: drift.isMeasured ? drift.score : 0, threshold: drift.threshold,
                               alertThreshold: parts.thresholds["DataDriftHigh"] ?? AlertRule.Settings().driftScore,
                               rows: drift.rows, minimumRows: drift.minimumRows, features: drift.features),
            resources: meta.resources, alerts: parts.alerts, alertTransitions: parts.transitions, history: history)
    }

    /// Traffic over the `length` seconds before `nowSecond`, from 10-second intervals.
    static func window(_ length: Int, _ recent: [RangeBuckets.Interval], nowSecond: Int) -> TrafficWindow {
        var total = IntervalStats()
        for i in recent where i.start > nowSecond - length { total.add(i.stats) }
        return TrafficWindow(seconds: length, requests: total.requests, requestRate: Double(total.requests) / Double(length),
                             errors: total.errors, errorRate: total.requests > 0 ? Double(total.errors) / Double(total.requests) : 0,
                             p50: total.latency.quantile(0.5), p95: total.latency.quantile(0.95),
                             p99: total.latency.quantile(0.99), predictions: total.predictions)
    }

    /// Totals over everything retained.
    static func totals(_ db: SQLiteConnection) throws -> Totals {
        let sums = try db.one("SELECT COALESCE(SUM(requests),0) AS r, COALESCE(SUM(errors),0) AS e, COALESCE(SUM(low),0) AS l, COALESCE(SUM(medium),0) AS m, COALESCE(SUM(high),0) AS h FROM intervals",
                              "summing the intervals") { row in (r: row.int(0), e: row.int(1), l: row.int(2), m: row.int(3), h: row.int(4)) }
        let (low, medium, high) = (sums?.l ?? 0, sums?.m ?? 0, sums?.h ?? 0)
        return Totals(requests: sums?.r ?? 0, errors: sums?.e ?? 0, predictions: low + medium + high,
                      byRisk: ["low": low, "medium": medium, "high": high])
    }

    /// Joined outcomes as a confusion matrix (one outcome per customer is kept).
    static func confusion(_ db: SQLiteConnection) throws -> ConfusionMatrix {
        var cm = ConfusionMatrix()
        let counts = try db.all("SELECT predicted, churned, COUNT(*) AS n FROM outcomes GROUP BY predicted, churned",
                                "counting joined outcomes") { ($0.bool(0), $0.bool(1), $0.int(2)) }
        for (predicted, churned, n) in counts {
            switch (predicted, churned) {
            case (true, true): cm.truePositives += n
            case (true, false): cm.falsePositives += n
            case (false, false): cm.trueNegatives += n
            case (false, true): cm.falseNegatives += n
            }
        }
        return cm
    }
}

extension MetricsStore {
    /// The drift report over the intervals starting in the `window` seconds before `end` (exclusive).
    static func drift(_ intervals: [RangeBuckets.Interval], meta: StoreMeta, endingAt end: Int, window: Int) -> DriftReport {
        let threshold = DriftReport.defaultThreshold
        guard let reference = meta.reference else {
            return DriftReport(features: [], threshold: threshold, score: 0, rows: 0, minimumRows: DriftStatus().minimumRows)
        }
        var flat: [Int] = []
        for i in intervals where i.start >= end - window && i.start < end && i.start >= meta.referenceSince && !i.stats.driftBins.isEmpty {
            if flat.isEmpty { flat = i.stats.driftBins } else {
                for k in flat.indices where k < i.stats.driftBins.count { flat[k] += i.stats.driftBins[k] }
            }
        }
        return DriftReport(counts: DriftCounts(flat: flat, profile: reference), profile: reference, threshold: threshold)
    }
}
