import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds the `MonitorSnapshot` a live monitor shows (`GET /api/v1/stats`, the embedded console) from its
/// state. Runs under the monitor's lock, so it only reads.
struct MonitorSnapshotBuilder {
    let configuration: ServiceMonitor.Configuration
    let startedAt: Date

    func build(from s: MonitorState, now: Date, source: String) -> MonitorSnapshot {
        let second = Int(now.timeIntervalSince1970)
        let report = s.production.driftReport(threshold: configuration.driftThreshold)
        let step = configuration.historyStep
        let series = s.ring.history(now: second, step: step, points: configuration.historyPoints)
        var snap = MonitorSnapshot(
            takenAt: now, source: source, uptimeSeconds: now.timeIntervalSince(startedAt),
            model: ModelSummary(s.production.engine.artifact),
            windows: [60, 300, 900].map { s.ring.window(now: second, length: $0) },
            totals: Totals(requests: s.requests, errors: s.errors, predictions: s.risk.reduce(0, +),
                           byRisk: ["low": s.risk[0], "medium": s.risk[1], "high": s.risk[2]]),
            f1: s.ledger.status(threshold: configuration.alerts.f1),
            drift: driftStatus(report),
            resources: Resources(residentBytes: ProcessStats.residentBytes(), cpuSeconds: ProcessStats.cpuSeconds()),
            alerts: s.alerts.states, alertTransitions: Array(s.alerts.transitions.prefix(20)),
            history: History(step: step, requestRate: series.rate, p95: series.p95, p99: series.p99,
                             errorRate: series.errorRate, driftScore: driftSeries(s.driftHistory, now: second)))
        snap.models = ([s.production] + (s.canary.map { [$0] } ?? [])).map { modelStatus($0, now: second) }
        snap.reloads = s.reloads
        return snap
    }

    /// The sampled drift history as one value per history step, oldest first, 0 where nothing was sampled.
    private func driftSeries(_ history: [(epoch: Int, score: Double)], now second: Int) -> [Double] {
        let step = configuration.historyStep
        var series = [Double](repeating: 0, count: configuration.historyPoints)
        let lastEpoch = second / step - 1
        for h in history {
            let k = configuration.historyPoints - 1 - (lastEpoch - h.epoch)
            if k >= 0 && k < series.count { series[k] = h.score }
        }
        return series
    }

    /// A drift report as the snapshot states it (score 0 until the window holds enough rows).
    private func driftStatus(_ report: DriftReport) -> DriftStatus {
        DriftStatus(score: configuration.isWarm(report) ? report.score : 0, threshold: report.threshold,
                    alertThreshold: configuration.alerts.driftScore, rows: report.rows,
                    minimumRows: configuration.minimumRows(report), features: report.features)
    }

    private func modelStatus(_ t: ModelTrack, now second: Int) -> ModelStatus {
        ModelStatus(
            version: t.version, learner: t.engine.artifact.learner, role: t.role, share: t.share, since: t.since,
            windows: [60, 300].map { t.ring.window(now: second, length: $0) }, predictions: t.risk.reduce(0, +),
            byRisk: ["low": t.risk[0], "medium": t.risk[1], "high": t.risk[2]],
            drift: driftStatus(t.driftReport(threshold: configuration.driftThreshold)),
            f1: t.ledger.status(threshold: configuration.alerts.f1),
            trainingF1: t.engine.artifact.metrics?.f1, trainingAUC: t.engine.artifact.metrics?.auc)
    }
}
