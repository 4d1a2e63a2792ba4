import ArgumentParser
import ChurnModel
import ChurnTracking
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ModelPull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch a model version from MLflow's model registry into the local registry.",
        discussion: """
        Reads the version (model-versions/get), downloads its model.json through the
        tracking server's artifact proxy (mlflow-artifacts), checks it, and registers
        it as a candidate. A bearer token is taken from MLFLOW_TRACKING_TOKEN, if set.

        Examples:
          churn model pull --mlflow-uri http://127.0.0.1:5000 models:/churn/3
          churn model pull --mlflow-uri http://mlflow:5000 models:/churn/latest --promote
        """
    )

    @Argument(help: "models:/NAME/VERSION (VERSION may be 'latest').")
    var uri: String

    @Option(help: ArgumentHelp("MLflow tracking server.", valueName: "URL"))
    var mlflowURI: String

    @OptionGroup var registry: RegistryOption

    @Flag(help: "Promote it to production right away.")
    var promote = false

    func validate() throws {
        guard ModelURI(uri) != nil else { throw ValidationError("expected models:/NAME/VERSION, e.g. models:/churn/3 (got '\(uri)')") }
        guard MLflowClient.parse(mlflowURI) != nil else {
            throw ValidationError("--mlflow-uri needs an http:// or https:// URL, e.g. http://127.0.0.1:5000 (got '\(mlflowURI)')")
        }
    }

    func run() async throws {
        let tracking = MLflowTracking(client: mlflowClient(mlflowURI))
        let pulled: (artifact: ModelArtifact, version: MLflowClient.ModelVersion)
        do {
            pulled = try await tracking.pull(ModelURI(uri)!)
        } catch {
            throw fail("\(error)")
        }
        let reg = registry.open()
        let source = "mlflow models:/\(pulled.version.name)/\(pulled.version.version)"
        let entry = try withRegistry { () throws(RegistryError) in
            try reg.register(pulled.artifact, source: source, mlflowRun: pulled.version.runID)
        }
        let already = entry.source != source ? "already registered" : "registered"
        print("pulled \(source) (\(pulled.artifact.version)); \(already) as #\(entry.number) \(entry.stage.rawValue) in \(reg.path)")
        if promote {
            let (promoted, previous) = try withRegistry { () throws(RegistryError) in try reg.promote(entry.version) }
            print("promoted #\(promoted.number) \(promoted.version) to production" + (previous.map { "; \($0) archived" } ?? ""))
        }
    }
}

/// A client for `--mlflow-uri`, with MLFLOW_TRACKING_TOKEN as its bearer token when set.
func mlflowClient(_ uri: String) -> MLflowClient {
    let token = ProcessInfo.processInfo.environment["MLFLOW_TRACKING_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    return MLflowClient(base: MLflowClient.parse(uri)!, token: token)
}
