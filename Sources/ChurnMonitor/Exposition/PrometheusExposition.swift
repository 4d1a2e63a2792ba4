import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The Prometheus text exposition of what a `ServiceMonitor` counts, from a copy of its figures taken under
/// the monitor's lock (rendering happens outside it). Names, types and labels come from `MetricFamily`.
///
/// Requests a model answered (the predict routes) and predictions carry a `model_version` label; sums over
/// labels (the Grafana board, the alert rules) are unchanged by it.
struct PrometheusExposition {
    var configuration: ServiceMonitor.Configuration
    var startedAt: Date
    /// Requests no model answered, by "METHOD path status", and their latency.
    var routes: [String: Int]
    var latency: LatencyHistogram
    /// Production first, then the canary if any, then retired models.
    var tracks: [ModelTrack]
    /// The service-wide live F1 (nil until enough feedback).
    var f1: Double?
    var reloads: ModelReloads
    var droppedPredictions: Int
    var pendingPredictions: Int

    func render() -> String {
        let production = tracks[0]
        let live = tracks.filter { $0.role != .retired }
        let report = production.driftReport(threshold: configuration.driftThreshold)
        let settings = MetricFamily.HelpSettings(driftThreshold: configuration.driftThreshold,
                                                 minimumRows: configuration.minimumRows(report),
                                                 maxPendingPredictions: configuration.maxPendingPredictions)
        var text = PrometheusText()
        for family in MetricFamily.allCases {
            text.family(family.rawValue, type: family.spec.type, help: family.help(settings))
            let name = family.rawValue
            switch family {
            case .httpRequests:
                requestSamples(&text, routes, [:])
                for t in tracks { requestSamples(&text, t.routes, ["model_version": t.version]) }
            case .httpRequestDuration:
                histogram(&text, latency, [:])
                for t in tracks where t.requests > 0 || t.role != .retired { histogram(&text, t.latency, ["model_version": t.version]) }
            case .predictions:
                for t in tracks {
                    for (i, level) in RiskLevel.allCases.enumerated() {
                        text.sample(name, ["risk_level": level.rawValue, "model_version": t.version], Double(t.risk[i]))
                    }
                }
            case .modelF1:
                text.sample(name, [:], f1 ?? .nan)
            case .dataDrift:
                text.sample(name, [:], configuration.isWarm(report) ? report.score : .nan)
            case .featureDriftPSI:
                for f in report.features { text.sample(name, ["feature": f.name], f.psi) }
            case .featureBins:
                let split = production.tally.driftCounts(fromFlat: production.drift.cumulative)
                for (c, column) in production.engine.artifact.reference.columns.enumerated() where c < split.bins.count {
                    for (b, n) in split.bins[c].enumerated() {
                        text.sample(name, ["feature": column.name, "bin": String(b), "model_version": production.version], Double(n))
                    }
                }
            case .modelInfo:
                for t in live { text.sample(name, ["version": t.version, "learner": t.engine.artifact.learner, "role": t.role.rawValue], 1) }
            case .modelTrafficShare:
                for t in live { text.sample(name, ["model_version": t.version], t.share) }
            case .modelF1ByModel:
                for t in live {
                    text.sample(name, ["model_version": t.version], t.ledger.status(threshold: configuration.alerts.f1).value ?? .nan)
                }
            case .modelDrift:
                for t in live {
                    let r = t.driftReport(threshold: configuration.driftThreshold)
                    text.sample(name, ["model_version": t.version], configuration.isWarm(r) ? r.score : .nan)
                }
            case .modelReloads:
                text.sample(name, ["result": "ok"], Double(reloads.ok))
                text.sample(name, ["result": "refused"], Double(reloads.refused))
            case .residentMemory:
                text.sample(name, [:], Double(ProcessStats.residentBytes() ?? 0))
            case .cpuSeconds:
                text.sample(name, [:], ProcessStats.cpuSeconds() ?? 0)
            case .startTime:
                text.sample(name, [:], startedAt.timeIntervalSince1970.rounded())
            case .predictionLogDropped:
                text.sample(name, [:], Double(droppedPredictions))
            case .predictionLogPending:
                text.sample(name, [:], Double(pendingPredictions))
            }
        }
        return text.output
    }

    /// `http_requests_total` samples of one set of route counters ("METHOD path status" keys), in key order.
    private func requestSamples(_ text: inout PrometheusText, _ routes: [String: Int], _ extra: [String: String]) {
        for (key, count) in routes.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: " ", maxSplits: 2).map(String.init)
            text.sample(MetricFamily.httpRequests.rawValue,
                        ["method": parts[0], "path": parts[1], "status": parts[2]].merging(extra) { a, _ in a }, Double(count))
        }
    }

    /// The buckets, sum and count of one latency histogram.
    private func histogram(_ text: inout PrometheusText, _ latency: LatencyHistogram, _ labels: [String: String]) {
        let name = MetricFamily.httpRequestDuration.rawValue
        for (bound, count) in zip(LatencyHistogram.exportedBounds, latency.cumulative()) {
            text.sample(name + "_bucket", labels.merging(["le": PrometheusText.number(bound)]) { a, _ in a }, Double(count))
        }
        text.sample(name + "_bucket", labels.merging(["le": "+Inf"]) { a, _ in a }, Double(latency.total))
        text.sample(name + "_sum", labels, latency.sum)
        text.sample(name + "_count", labels, Double(latency.total))
    }
}
