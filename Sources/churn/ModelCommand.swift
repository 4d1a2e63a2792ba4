import ArgumentParser
import ChurnModel
import Foundation

struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Inspect model artifacts.",
        subcommands: [Show.self]
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model artifact for a person: version, learner, schema, metrics, thresholds, top features.",
            discussion: """
            Examples:
              churn model show model.json
              churn model show                 (the bundled default model)
              churn model show model.json --json
            """
        )

        @Argument(help: "Model artifact (default: the bundled default model).")
        var file: String?

        @Flag(help: "Print the metadata as JSON (schema, metrics, thresholds; no trees).")
        var json = false

        func run() throws {
            let artifact = try loadModel(file)
            if json {
                print(String(decoding: try JSONOutput.encode(ModelDescription(artifact)), as: UTF8.self))
            } else {
                print(ModelDescription(artifact).text)
            }
        }
    }
}
