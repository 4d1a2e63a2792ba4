import ChurnModel
import Foundation
import GRDB

extension MetricsStore {
    /// The console's view built from the store alone, as another process wrote it.
    ///
    /// Windows and history come from 10-second intervals (so a 1-minute window is six intervals), totals from
    /// everything retained, drift from the last 15 minutes of bin counts against the stored reference profile.
    /// `takenAt` is the writer's last flush, so a writer that stops shows as stale.
    public func snapshot(now: Date = Date(), source: String? = nil, historyPoints: Int = 90) throws -> MonitorSnapshot {
        try pool.read { db in
            func meta(_ key: String) throws -> String? {
                try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key])
            }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let model = try meta("model").flatMap { try? decoder.decode(ModelSummary.self, from: Data($0.utf8)) }
            let reference = try meta("reference").flatMap { try? decoder.decode(ReferenceProfile.self, from: Data($0.utf8)) }
            let lastFlush = try meta("last_flush").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
            // Drift bins before this belong to an earlier model's profile (see recordProductionModel).
            let referenceSince = try meta("reference_since").flatMap(Int.init) ?? Int.min
            let started = try meta("writer_started").flatMap(Double.init).map { Date(timeIntervalSince1970: $0) }
            let asOf = lastFlush ?? now
            let nowSecond = Int(asOf.timeIntervalSince1970)
            let step = MetricsStore.fine

            let recent = try intervals(since: nowSecond - 1800 - step, db: db).filter { $0.resolution == MetricsStore.fine }
            func window(_ length: Int) -> TrafficWindow {
                var total = IntervalStats()
                for i in recent where i.start > nowSecond - length { total.add(i.stats) }
                return TrafficWindow(seconds: length, requests: total.requests, requestRate: Double(total.requests) / Double(length),
                                     errors: total.errors, errorRate: total.requests > 0 ? Double(total.errors) / Double(total.requests) : 0,
                                     p50: total.latency.quantile(0.5), p95: total.latency.quantile(0.95),
                                     p99: total.latency.quantile(0.99), predictions: total.predictions)
            }

            // History: one point per 10-second step; drift over the trailing 15 minutes at each point.
            let byStart = Dictionary(recent.map { ($0.start, $0.stats) }, uniquingKeysWith: { a, b in var m = a; m.add(b); return m })
            let lastStart = nowSecond - nowSecond % step - step
            var history = History(step: step)
            let thresholds = try Row.fetchAll(db, sql: "SELECT name, threshold FROM alert_states")
                .reduce(into: [String: Double]()) { $0[$1["name"]] = $1["threshold"] }
            let driftThreshold = DriftReport.defaultThreshold
            func driftReport(endingAt end: Int) -> DriftReport? {
                guard let reference else { return nil }
                var flat: [Int] = []
                for (start, stats) in byStart where start > end - 900 && start <= end && start >= referenceSince && !stats.driftBins.isEmpty {
                    if flat.isEmpty { flat = stats.driftBins } else {
                        for k in flat.indices where k < stats.driftBins.count { flat[k] += stats.driftBins[k] }
                    }
                }
                return DriftReport(counts: DriftCounts(flat: flat, profile: reference), profile: reference, threshold: driftThreshold)
            }
            for k in stride(from: historyPoints - 1, through: 0, by: -1) {
                let start = lastStart - k * step
                let s = byStart[start] ?? IntervalStats()
                history.requestRate.append(Double(s.requests) / Double(step))
                history.p95.append(s.latency.quantile(0.95))
                history.p99.append(s.latency.quantile(0.99))
                history.errorRate.append(s.requests > 0 ? Double(s.errors) / Double(s.requests) : 0)
                history.driftScore.append(driftReport(endingAt: start).map { $0.isMeasured ? $0.score : 0 } ?? 0)
            }

            let sums = try Row.fetchOne(db, sql: "SELECT COALESCE(SUM(requests),0) AS r, COALESCE(SUM(errors),0) AS e, COALESCE(SUM(low),0) AS l, COALESCE(SUM(medium),0) AS m, COALESCE(SUM(high),0) AS h FROM intervals")
            let (low, medium, high): (Int, Int, Int) = (sums?["l"] ?? 0, sums?["m"] ?? 0, sums?["h"] ?? 0)
            let totals = Totals(requests: sums?["r"] ?? 0, errors: sums?["e"] ?? 0, predictions: low + medium + high,
                                byRisk: ["low": low, "medium": medium, "high": high])

            var cm = ConfusionMatrix()
            for row in try Row.fetchAll(db, sql: "SELECT predicted, churned, COUNT(*) AS n FROM outcomes GROUP BY predicted, churned") {
                let n: Int = row["n"]
                switch (row["predicted"] as Bool, row["churned"] as Bool) {
                case (true, true): cm.truePositives += n
                case (true, false): cm.falsePositives += n
                case (false, false): cm.trueNegatives += n
                case (false, true): cm.falseNegatives += n
                }
            }
            var ledger = FeedbackLedger()
            ledger.confusion = cm
            let drift = driftReport(endingAt: nowSecond) ?? DriftReport(features: [], threshold: driftThreshold, score: 0, rows: 0, minimumRows: DriftStatus().minimumRows)

            return MonitorSnapshot(
                takenAt: asOf, source: source ?? "store \(path)",
                uptimeSeconds: started.map { asOf.timeIntervalSince($0) }, model: model,
                windows: [60, 300, 900].map(window), totals: totals,
                f1: ledger.status(threshold: thresholds["ModelF1Low"] ?? AlertRule.Settings().f1),
                drift: DriftStatus(score: drift.isMeasured ? drift.score : 0, threshold: drift.threshold,
                                   alertThreshold: thresholds["DataDriftHigh"] ?? AlertRule.Settings().driftScore,
                                   rows: drift.rows, minimumRows: drift.minimumRows, features: drift.features),
                resources: Resources(residentBytes: try meta("resident_bytes").flatMap(Int.init),
                                     cpuSeconds: try meta("cpu_seconds").flatMap(Double.init)),
                alerts: try Row.fetchAll(db, sql: "SELECT * FROM alert_states ORDER BY name").map(MetricsStore.alert),
                alertTransitions: try MetricsStore.transitions(db, limit: 20),
                history: history)
        }
    }
}
