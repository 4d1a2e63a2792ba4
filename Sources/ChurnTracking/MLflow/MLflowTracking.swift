import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `churn train --mlflow-uri` and `churn model pull` do with MLflow, in terms of a model artifact.
public struct MLflowTracking: Sendable {
    public let client: MLflowClient

    public init(client: MLflowClient) {
        self.client = client
    }

    /// Where a logged training run went.
    public struct LoggedRun: Sendable, Equatable {
        public var experimentID: String
        public var runID: String
        /// The artifact URI of the uploaded model folder (`…/artifacts/model`).
        public var modelURI: String
        /// The registered model version, when one was created.
        public var registeredVersion: String?
    }

    /// Logs one trained model as a run of `experiment` (created when missing): its learner settings and data as
    /// parameters, its held-out metrics, and the artifact under `model/model.json`. With `registeredModel`, the
    /// run's model folder also becomes a new version of that registered model.
    public func logTraining(_ artifact: ModelArtifact, experiment: String, registeredModel: String? = nil) async throws -> LoggedRun {
        let experimentID = try await client.experimentID(named: experiment)
        let run = try await client.createRun(experimentID: experimentID, name: artifact.version, tags: [
            "mlflow.source.name": "churn train", "mlflow.source.type": "LOCAL", "churn.model_version": artifact.version,
            "churn.learner": artifact.learner,
        ], start: artifact.createdAt)
        do {
            try await client.logBatch(runID: run.id, params: MLflowTracking.params(artifact), metrics: MLflowTracking.metrics(artifact))
            try await client.uploadArtifact(try artifact.jsonData(), artifactURI: run.artifactURI, path: "model/model.json")
            try await client.finishRun(run.id)
        } catch {
            try? await client.finishRun(run.id, status: "FAILED")
            throw error
        }
        let modelURI = run.artifactURI + "/model"
        var registered: String?
        if let registeredModel {
            registered = try await client.createModelVersion(name: registeredModel, source: modelURI, runID: run.id)
        }
        return LoggedRun(experimentID: experimentID, runID: run.id, modelURI: modelURI, registeredVersion: registered)
    }

    /// Fetches a registered model version's artifact: `model-versions/get` gives its source (an artifact folder
    /// or file, or `runs:/RUN/PATH`), which is downloaded through the artifact proxy, then loaded and checked.
    public func pull(_ uri: ModelURI) async throws -> (artifact: ModelArtifact, version: MLflowClient.ModelVersion) {
        let mv = try await client.modelVersion(uri)
        var source = mv.source
        if source.hasPrefix("runs:/") {
            let rest = source.dropFirst("runs:/".count)
            let runID = String(rest.prefix { $0 != "/" })
            let path = rest.dropFirst(runID.count).trimming(where: { $0 == "/" })
            source = try await client.runArtifactURI(runID) + (path.isEmpty ? "" : "/" + path)
        }
        let file = source.hasSuffix(".json") ? source : source + "/model.json"
        let data = try await client.downloadArtifact(file)
        do {
            return (try ModelArtifact.decode(data, file: "\(uri) (\(file))"), mv)
        } catch {
            throw MLflowError(operation: "use \(uri)", message: "\(error)")
        }
    }

    /// Run parameters: the learner, its settings, and the training data's size and fingerprint.
    static func params(_ a: ModelArtifact) -> [String: String] {
        var p: [String: String] = ["learner": a.learner, "model_version": a.version,
                                   "risk_medium": String(a.riskThresholds.medium), "risk_high": String(a.riskThresholds.high),
                                   "decision_threshold": String(a.decisionThreshold), "features": String(a.features.count)]
        if let t = a.training {
            p["training_source"] = t.source
            p["training_rows"] = String(t.rows)
            p["training_positives"] = String(t.positives)
            p["training_fingerprint"] = t.fingerprint
            for (k, v) in t.parameters { p[k] = v }
        }
        return p
    }

    /// Run metrics: the held-out evaluation, plus the validation AUC of each learner `auto` compared.
    static func metrics(_ a: ModelArtifact) -> [String: Double] {
        var m: [String: Double] = [:]
        if let e = a.metrics {
            m = ["auc": e.auc, "log_loss": e.logLoss, "precision": e.precision, "recall": e.recall, "f1": e.f1,
                 "accuracy": e.accuracy, "threshold": e.threshold, "test_rows": Double(e.rows)]
        }
        for (learner, auc) in a.training?.candidates ?? [:] { m["validation_auc_\(learner)"] = auc }
        if let s = a.training?.seconds { m["training_seconds"] = s }
        return m.filter { $0.value.isFinite } // an undefined AUC (one class) is left out rather than sent as NaN
    }
}
