import ChurnDashboard
@testable import ChurnModel
import ChurnMonitor
import Foundation

/// Feeds `keys` to the update function in turn, from state `s`: the state after the last and every effect on the way.
func press(_ s: DashboardState, _ keys: Key...) -> (DashboardState, [DashboardEffect]) {
    var state = s
    var all: [DashboardEffect] = []
    for k in keys {
        let (next, effects) = DashboardUpdate.update(state, .key(k))
        state = next
        all += effects
    }
    return (state, all)
}

/// Deterministic snapshots and states for the console's tests. Times are fixed and shown in UTC.
enum Fixtures {
    static let t0 = Date(timeIntervalSince1970: 1_795_860_000) // 2026-11-28 10:00:00 UTC
    static let utc = ClockZone.utc

    static let featureNames = ["tenure", "Contract", "MonthlyCharges", "TotalCharges", "InternetService", "PaymentMethod",
                               "OnlineSecurity", "TechSupport", "PaperlessBilling", "SeniorCitizen", "Partner", "Dependents"]

    /// PSI values chosen so the worst-first order differs from schema order.
    static let psi: [Double] = [0.05, 0.41, 0.02, 0.12, 0.30, 0.01, 0.07, 0.0, 0.18, 0.03, 0.0, 0.09]

    static func snapshot(at date: Date = t0) -> MonitorSnapshot {
        let metrics = EvaluationMetrics(probabilities: [0.9, 0.8, 0.3, 0.1, 0.6, 0.2], labels: [1, 1, 0, 0, 0, 1], threshold: 0.5)
        let model = ModelSummary(
            version: "gbt-20261128-3f9a1c2e", learner: "gbt", createdAt: t0.addingTimeInterval(-86400),
            riskThresholds: RiskThresholds(medium: 0.4, high: 0.7), decisionThreshold: 0.36, trainingMetrics: metrics,
            trainingRows: 5634,
            importance: featureNames.enumerated().map { FeatureImportance(column: $0.element, importance: 1.0 / Double($0.offset + 1)) },
            features: 45)
        let features = zip(featureNames, psi).map { DriftReport.Feature(name: $0.0, psi: $0.1) }
        let drifted = psi.filter { $0 >= 0.25 }.count
        return MonitorSnapshot(
            takenAt: date, source: "test", uptimeSeconds: 3725, model: model,
            windows: [
                TrafficWindow(seconds: 60, requests: 1500, requestRate: 25, errors: 30, errorRate: 0.02, p50: 0.004, p95: 0.045, p99: 0.120, predictions: 1480),
                TrafficWindow(seconds: 300, requests: 7000, requestRate: 23.3, errors: 70, errorRate: 0.01, p50: 0.004, p95: 0.040, p99: 0.100, predictions: 6900),
                TrafficWindow(seconds: 900, requests: 20000, requestRate: 22.2, errors: 100, errorRate: 0.005, p50: 0.004, p95: 0.040, p99: 0.090, predictions: 19800),
            ],
            totals: Totals(requests: 123_456, errors: 321, predictions: 120_000, byRisk: ["low": 80_000, "medium": 28_000, "high": 12_000]),
            f1: F1Status(value: 0.62, precision: 0.58, recall: 0.67, labelled: 2048, threshold: 0.5),
            drift: DriftStatus(score: Double(drifted) / Double(psi.count), threshold: 0.25, alertThreshold: 0.3, rows: 5000, features: features),
            resources: Resources(residentBytes: 38 * 1024 * 1024, cpuSeconds: 75),
            alerts: [
                AlertStatus(name: "HighErrorRate", state: .ok, value: 0.02, threshold: 0.05, since: t0.addingTimeInterval(-3600), summary: "5xx share over 5 minutes"),
                AlertStatus(name: "HighLatencyP99", state: .pending, value: 0.6, threshold: 0.5, since: t0.addingTimeInterval(-45), summary: "p99 latency over 5 minutes"),
                AlertStatus(name: "DataDrift", state: .firing, value: 0.167, threshold: 0.1, since: t0.addingTimeInterval(-600), summary: "share of drifted features"),
            ],
            alertTransitions: [
                AlertTransition(name: "HighLatencyP99", from: .ok, to: .pending, at: t0.addingTimeInterval(-45), value: 0.6),
                AlertTransition(name: "DataDrift", from: .pending, to: .firing, at: t0.addingTimeInterval(-600), value: 0.167),
            ],
            history: History(step: 10, requestRate: (0..<60).map { 20 + Double($0 % 7) }, p95: (0..<60).map { _ in 0.04 },
                             p99: (0..<60).map { $0 == 30 ? nil : 0.1 }, errorRate: (0..<60).map { _ in 0.01 },
                             driftScore: (0..<60).map { Double($0) / 600 }))
    }

    static func config(charset: Charset = .utf8, color: ColorMode = .color, kiosk: Bool = false) -> DashboardConfig {
        DashboardConfig(sourceName: "api http://127.0.0.1:8000", theme: Theme(charset: charset, color: color), kiosk: kiosk,
                        rotateEvery: 15, interval: 1, timeZone: utc, batchRoot: "/data", batchModel: "gbt-test")
    }

    /// A console that received `snapshot()` at t0 and whose clock reads `now` (t0 by default).
    static func state(width: Int = 80, height: Int = 24, panel: Panel = .overview, charset: Charset = .utf8,
                      color: ColorMode = .color, now: Date = t0, kiosk: Bool = false) -> DashboardState {
        var s = DashboardState(config: config(charset: charset, color: color, kiosk: kiosk), width: width, height: height, now: t0)
        s = DashboardUpdate.start(s).state
        s = DashboardUpdate.update(s, .snapshot(.success(snapshot()), at: t0)).state
        s = DashboardUpdate.update(s, .tick(now)).state
        s.panel = panel
        return s
    }

    static func render(_ s: DashboardState) -> CellGrid { DashboardView.render(s) }

    static let sizes: [(Int, Int)] = [(80, 24), (160, 48)]
    static let looks: [(Charset, ColorMode)] = [(.utf8, .color), (.utf8, .mono), (.ascii, .color), (.ascii, .mono)]

    static func batchSummary() -> BatchSummary {
        let top = (0..<30).map { i in
            ScoredCustomer(id: String(format: "%04d-ABCDE", i * 37 % 1000), probability: 0.95 - Double(i) * 0.01,
                           risk: i < 20 ? .high : .medium, line: i * 37 % 1000 + 2)
        }
        let json = """
        {"input":"/data/customers.csv","output":"/data/customers.scored.csv","rejectsPath":"/data/customers.rejects.csv",
         "format":"csv","modelVersion":"gbt-test","rows":1000,"scored":990,"rejected":10,"otherShards":0,"blankLines":0,
         "rejectReasons":{"bad_number":10},"risk":{"low":700,"medium":200,"high":90},"highRisk":90,
         "meanProbability":0.31,"seconds":0.5,"rowsPerSecond":2000,
         "drift":{"features":[{"name":"tenure","psi":0.31},{"name":"Contract","psi":0.02}],"threshold":0.25,"score":0.5,"rows":990},
         "topRisk":[]}
        """
        var summary = try! JSONDecoder().decode(BatchSummary.self, from: Data(json.utf8))
        summary.topRisk = top
        return summary
    }

    static let plan = BatchPlan(input: "customers.csv", inputPath: "/data/customers.csv", outputPath: "/data/customers.scored.csv",
                                rejectsPath: "/data/customers.rejects.csv", columns: 21, sizeBytes: 123_456)
}

extension CellGrid {
    /// Row index of the first row containing `needle`.
    func rowIndex(of needle: String) -> Int? { find(needle)?.y }

    /// The style of the first cell of `needle`.
    func style(of needle: String) -> CellStyle? {
        guard let p = find(needle) else { return nil }
        return self[p.x, p.y].style
    }
}
