import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What an alert rule measures, computed from the monitor's current figures.
public struct AlertInputs: Sendable {
    public var errorRate5m: Double?
    public var p99Latency5m: Double?
    public var driftScore: Double?
    public var f1: Double?
}

/// A condition on one figure that must hold for `holdSeconds` before the alert fires.
/// The same rules (names, thresholds, hold times, severities) are in infrastructure/monitoring/alerts.yml for
/// Prometheus; `AlertRulesFileTests` fails when one side changes without the other.
public struct AlertRule: Sendable {
    public enum Direction: Sendable { case above, below }

    /// How urgent a firing rule is; Alertmanager routes by it (infrastructure/monitoring/alertmanager.yml).
    public enum Severity: String, Sendable { case warning, critical }

    public var name: String
    public var summary: String
    public var threshold: Double
    public var direction: Direction
    public var holdSeconds: Double
    public var severity: Severity
    public var measure: @Sendable (AlertInputs) -> Double?

    public init(name: String, summary: String, threshold: Double, direction: Direction, holdSeconds: Double,
                severity: Severity, measure: @escaping @Sendable (AlertInputs) -> Double?) {
        self.name = name
        self.summary = summary
        self.threshold = threshold
        self.direction = direction
        self.holdSeconds = holdSeconds
        self.severity = severity
        self.measure = measure
    }

    /// Rules only Prometheus can evaluate (a process cannot see that it is not being scraped), with their
    /// severity; alerts.yml holds these beside the `standard` ones.
    public static let prometheusOnly: [(name: String, severity: Severity)] = [("ApiDown", .critical)]

    func breached(_ value: Double?) -> Bool {
        guard let value, value.isFinite else { return false }
        return direction == .above ? value > threshold : value < threshold
    }

    /// Thresholds and hold times shared with the Prometheus rules.
    public struct Settings: Sendable {
        public var errorRate = 0.05
        public var errorRateHold = 300.0
        public var p99Seconds = 0.5
        public var p99Hold = 300.0
        public var driftScore = 0.3
        public var driftHold = 600.0
        public var f1 = 0.5
        public var f1Hold = 900.0

        public init() {}

        /// Every hold time set to `seconds` (demos and tests).
        public mutating func setAllHolds(_ seconds: Double) {
            errorRateHold = seconds
            p99Hold = seconds
            driftHold = seconds
            f1Hold = seconds
        }
    }

    public static func standard(_ s: Settings = Settings()) -> [AlertRule] {
        [
            AlertRule(name: "HighErrorRate", summary: "5xx share of requests over 5 minutes above \(percentText(s.errorRate))",
                      threshold: s.errorRate, direction: .above, holdSeconds: s.errorRateHold, severity: .critical) { $0.errorRate5m },
            AlertRule(name: "HighLatencyP99", summary: "p99 response time over 5 minutes above \(Int(s.p99Seconds * 1000)) ms",
                      threshold: s.p99Seconds, direction: .above, holdSeconds: s.p99Hold, severity: .warning) { $0.p99Latency5m },
            AlertRule(name: "DataDriftHigh", summary: "data_drift_score (share of features with PSI >= 0.25) above \(s.driftScore)",
                      threshold: s.driftScore, direction: .above, holdSeconds: s.driftHold, severity: .warning) { $0.driftScore },
            AlertRule(name: "ModelF1Low", summary: "live F1 from feedback below \(s.f1)",
                      threshold: s.f1, direction: .below, holdSeconds: s.f1Hold, severity: .warning) { $0.f1 },
        ]
    }

    static func percentText(_ v: Double) -> String { String(cFormat: "%g%%", v * 100) }
}
