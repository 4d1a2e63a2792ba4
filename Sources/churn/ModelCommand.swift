import ArgumentParser
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model artifacts and manage the model registry.",
        discussion: """
        The registry (docs/model-lifecycle.md) keeps every registered version with its
        artifact, metrics and stage: candidate, production or archived. `churn serve
        --registry DIR` serves the production version and swaps in a new one within a
        second of a promote or rollback, without dropping a request.

        Examples:
          churn train customers.csv -o model.json --register
          churn model list
          churn model show 3
          churn model promote 3
          churn model rollback
          churn model pull --mlflow-uri http://127.0.0.1:5000 models:/churn/2
        """,
        subcommands: [Show.self, ModelList.self, ModelAdd.self, ModelPromote.self, ModelRollback.self, ModelPull.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract: "Print a model for a person: version, learner, schema, metrics, thresholds, top features.",
            discussion: """
            MODEL is a model file, or a registered version (its number, id, or a unique
            prefix of the id; `production` for the production version).

            Examples:
              churn model show model.json
              churn model show                 (the bundled default model)
              churn model show 3               (registered version #3)
              churn model show production --registry /var/lib/churn/registry
              churn model show model.json --json
            """
        )

        @Argument(help: "Model file or registered version (default: the bundled default model).")
        var model: String?

        @OptionGroup var registry: RegistryOption

        @Flag(help: "Print the metadata as JSON (schema, metrics, thresholds; no trees).")
        var json = false

        func run() throws {
            var entry: RegistryEntry?
            let artifact: ModelArtifact
            if let model, !FileManager.default.fileExists(atPath: model) {
                let reg = registry.open()
                let index = try withRegistry { () throws(RegistryError) in try reg.read() }
                let found: RegistryEntry = try withRegistry { () throws(RegistryError) in
                    if model == "production" {
                        guard let p = index.productionEntry else {
                            throw .io("no version is in production in \(reg.path) yet; promote one with `churn model promote VERSION`")
                        }
                        return p
                    }
                    return try index.resolve(model)
                }
                entry = found
                artifact = try withRegistry { () throws(RegistryError) in try reg.loadArtifact(found) }
            } else {
                artifact = try loadModel(model)
            }
            if json {
                print(String(decoding: try JSONOutput.encode(ShownModel(registry: entry, model: ModelDescription(artifact))), as: UTF8.self))
            } else {
                if let entry {
                    print("registry   #\(entry.number) \(entry.stage.rawValue), registered \(entry.registeredAt.formatted(Date.ISO8601FormatStyle())) from \(entry.source)")
                }
                print(ModelDescription(artifact).text)
            }
        }
    }
}

/// `churn model show --json`: the model's description, plus its registry entry when it came from one.
struct ShownModel: Encodable {
    var registry: RegistryEntry?
    var model: ModelDescription

    func encode(to encoder: any Encoder) throws {
        // Without a registry entry the output is exactly the description, as before the registry existed.
        guard let registry else { return try model.encode(to: encoder) }
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(registry, forKey: .registry)
        try c.encode(model, forKey: .model)
    }

    enum Key: String, CodingKey { case registry, model }
}
