@testable import ChurnModel
import ChurnTestSupport

/// A tree model trained by `churn train`'s own trainer on generated customers, with the table it was trained on:
/// what the predictor tests compare their kernels against.
enum TrainedTrees {
    static func train(rows: Int, seed: UInt64) throws -> (artifact: ModelArtifact, table: TrainingTable) {
        let dir = TempDir()
        defer { dir.cleanup() }
        let data = dir.file("train.csv")
        try CustomerGenerator(options: .init(rows: rows, seed: seed)).write(toFile: data, overwrite: true)
        var options = TrainingOptions()
        options.learner = .gbt
        options.threads = 2
        let table = try TrainingTable.load(path: data)
        return (ModelTrainer.train(table, options: options).artifact, table)
    }
}
