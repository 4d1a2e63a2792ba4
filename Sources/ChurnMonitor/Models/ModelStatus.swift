import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One model serving traffic, as the console compares production with a canary: how much traffic it takes,
/// how fast it answers, what it predicts, how far the data drifted from its training data, and its live F1.
public struct ModelStatus: Codable, Sendable, Equatable {
    public var version: String
    public var learner: String
    /// "production" or "canary".
    public var role: ModelRole
    /// Configured share of customers routed to it (0–1).
    public var share: Double
    /// When it started serving in this process.
    public var since: Date
    /// Traffic over the last 1 and 5 minutes (requests it answered, latency, predictions).
    public var windows: [TrafficWindow]
    public var predictions: Int
    /// Predictions by risk level ("low", "medium", "high") since it started serving.
    public var byRisk: [String: Int]
    /// Drift of the rows it scored against its own reference profile.
    public var drift: DriftStatus
    /// F1 from feedback on its own predictions.
    public var f1: F1Status
    /// Held-out F1 and AUC from training.
    public var trainingF1: Double?
    public var trainingAUC: Double?

    public init(version: String, learner: String, role: ModelRole, share: Double, since: Date, windows: [TrafficWindow],
                predictions: Int, byRisk: [String: Int], drift: DriftStatus, f1: F1Status, trainingF1: Double?, trainingAUC: Double?) {
        self.version = version
        self.learner = learner
        self.role = role
        self.share = share
        self.since = since
        self.windows = windows
        self.predictions = predictions
        self.byRisk = byRisk
        self.drift = drift
        self.f1 = f1
        self.trainingF1 = trainingF1
        self.trainingAUC = trainingAUC
    }

    public func window(_ seconds: Int) -> TrafficWindow? { windows.first { $0.seconds == seconds } }

    /// Share of its predictions at `level` (0 without predictions).
    public func riskShare(_ level: String) -> Double {
        predictions > 0 ? Double(byRisk[level] ?? 0) / Double(predictions) : 0
    }
}

/// Model reloads of a scoring process: how many swaps went through, how many were refused, and the last one.
public struct ModelReloads: Codable, Sendable, Equatable {
    public var ok: Int
    public var refused: Int
    public var last: ModelReload?

    public init(ok: Int = 0, refused: Int = 0, last: ModelReload? = nil) {
        self.ok = ok
        self.refused = refused
        self.last = last
    }
}

/// One attempt to load a new model into a running server.
public struct ModelReload: Codable, Sendable, Equatable {
    public enum Result: String, Codable, Sendable { case ok, refused }

    public var at: Date
    /// The version asked for (what the registry names).
    public var version: String
    public var result: Result
    /// Why it was refused; nil when it went through.
    public var reason: String?

    public init(at: Date, version: String, result: Result, reason: String?) {
        self.at = at
        self.version = version
        self.result = result
        self.reason = reason
    }
}
