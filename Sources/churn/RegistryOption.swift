import ChurnBase
import ArgumentParser
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--registry DIR`, shared by the commands that read or change the model registry.
struct RegistryOption: ParsableArguments {
    @Option(help: ArgumentHelp("Model registry directory (default: $XDG_STATE_HOME/churn/registry).", valueName: "DIR"))
    var registry: String?

    var path: String { registry.map { PathText.expandingTilde($0) } ?? ModelRegistry.defaultPath }

    func open() -> ModelRegistry { ModelRegistry(path: path) }
}

/// Runs a registry operation, turning its error into the CLI's one-line failure.
func withRegistry<T>(_ body: () throws(RegistryError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        throw fail("\(error)")
    }
}
