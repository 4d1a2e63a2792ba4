#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One model version in a registry: its identity, where it came from, its held-out metrics and its stage.
/// The artifact itself is `versions/<directory>/model.json` under the registry.
public struct RegistryEntry: Codable, Sendable, Equatable {
    /// Registration number, 1 for the first version registered: short to type (`churn model promote 3`).
    public var number: Int
    /// The artifact's own version id (`logistic-20261128-1f1087a3`), what the API returns as `model_version`.
    public var version: String
    public var stage: ModelStage
    public var learner: String
    /// When the model was trained (the artifact's `createdAt`).
    public var createdAt: Date
    public var registeredAt: Date
    /// Where it came from, for a person: "train customers.csv", "file model.json", "mlflow models:/churn/3".
    public var source: String
    /// Held-out metrics from training, copied from the artifact so listing needs no artifact reads.
    public var metrics: EvaluationMetrics?
    /// Folder under `versions/` holding the artifact.
    public var directory: String
    /// FNV-1a 64 of the artifact file's bytes ("fnv1a64:<16 hex>"): a file changed after registration is refused.
    public var checksum: String
    /// The MLflow run the version was logged to or pulled from, when known.
    public var mlflowRun: String?

    public init(number: Int, version: String, stage: ModelStage, learner: String, createdAt: Date, registeredAt: Date,
                source: String, metrics: EvaluationMetrics?, directory: String, checksum: String, mlflowRun: String? = nil) {
        self.number = number
        self.version = version
        self.stage = stage
        self.learner = learner
        self.createdAt = createdAt
        self.registeredAt = registeredAt
        self.source = source
        self.metrics = metrics
        self.directory = directory
        self.checksum = checksum
        self.mlflowRun = mlflowRun
    }
}
