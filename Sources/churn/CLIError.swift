import ArgumentParser
import ChurnModel

/// Exit codes shared by every command (documented in README and `churn help`).
enum ExitStatus {
    static let success: Int32 = 0
    /// Something failed (I/O, bad model file, …).
    static let failure: Int32 = 1
    /// Bad command-line usage (ArgumentParser's own code).
    static let usage: Int32 = 64
    /// The input's header lacks columns the model needs.
    static let badHeader: Int32 = 65
    /// Finished, but some rows were rejected (only with --fail-on-rejects).
    static let rejects: Int32 = 3
}

/// Prints `message` to stderr prefixed with "churn: " and exits with `code`.
func fail(_ message: String, code: Int32 = ExitStatus.failure) -> ExitCode {
    Terminal.printError("churn: \(message)")
    return ExitCode(code)
}

/// Loads `--model PATH`, or the bundled default model when no path is given.
func loadModel(_ path: String?) throws -> ModelArtifact {
    do {
        if let path { return try ModelArtifact.load(path: path) }
        return try ModelArtifact.bundledDefault()
    } catch {
        throw fail("\(error)")
    }
}
