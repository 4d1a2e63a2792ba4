import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

@Suite("Model artifact")
struct ModelArtifactTests {
    /// A small artifact trained on the Telco sample, logistic so the test stays fast.
    static func trained() throws -> ModelArtifact {
        let dir = TempDir()
        defer { dir.cleanup() }
        var text = TrainingTableTests.telcoSample
        // Repeat the sample with varied tenure so a split leaves both classes on each side.
        let body = text.split(separator: "\n").dropFirst()
        for k in 1...6 {
            for line in body { text += line.replacingOccurrences(of: "-", with: "-\(k)", range: line.range(of: "-")) + "\n" }
        }
        let path = dir.write("t.csv", text)
        var options = TrainingOptions()
        options.learner = .logistic
        options.testShare = 0.25
        return ModelTrainer.train(try TrainingTable.load(path: path), options: options,
                                  now: Date(timeIntervalSince1970: 1_790_000_000)).artifact
    }

    @Test("writes and reads back to an identical value, and predicts the same")
    func roundTrip() throws {
        let artifact = try Self.trained()
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.file("m.json")
        try artifact.write(to: path)
        let loaded = try ModelArtifact.load(path: path)
        #expect(loaded == artifact)
        #expect(loaded.version.hasPrefix("logistic-20260921-"))
        #expect(loaded.reference.columns.count == loaded.schema.features.count)
        #expect(loaded.features.contains("Contract=Month-to-month"))
    }

    @Test("a damaged or foreign file is refused with a reason, never a crash", arguments: [
        ("", "not a JSON object"),
        ("[1,2]", "not a JSON object"),
        ("{\"hello\": 1}", "not a ChurnOps model"),
        ("{\"format\": \"churnops-model\", \"formatVersion\": 99}", "newer than this build reads"),
        ("{\"format\": \"churnops-model\", \"formatVersion\": 1}", "is missing"),
    ])
    func refusesDamage(content: String, expected: String) throws {
        let dir = TempDir()
        defer { dir.cleanup() }
        let path = dir.write("bad.json", content)
        do {
            _ = try ModelArtifact.load(path: path)
            Issue.record("loaded a bad file")
        } catch {
            #expect(error.description.hasPrefix(path + ": "))
            #expect(error.description.contains(expected), "\(error)")
        }
    }

    @Test("inconsistent internals are caught by validation: truncated weights, child index out of range, bad thresholds")
    func validation() throws {
        var artifact = try Self.trained()
        guard case .logistic(var m) = artifact.predictor else { Issue.record("expected logistic"); return }
        m.weights.removeLast()
        artifact.predictor = .logistic(m)
        #expect(artifact.validate()?.contains("one per encoded feature") == true)

        var trees = try Self.trained()
        var tree = DecisionTree.leaf(0.1)
        tree = DecisionTree(feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [7, -1, -1],
                            defaultLeft: [true, true, true], value: [0, 1, 2], cover: [2, 1, 1])
        trees.predictor = .trees(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [tree]))
        #expect(trees.validate()?.contains("tree 0: node 0 has child 7 outside the tree") == true)

        var thresholds = try Self.trained()
        thresholds.riskThresholds = RiskThresholds(medium: 0.8, high: 0.7)
        #expect(thresholds.validate()?.contains("riskThresholds") == true)
    }

    @Test("truncated JSON of a real artifact names the problem")
    func truncated() throws {
        let data = try Self.trained().jsonData()
        do {
            _ = try ModelArtifact.decode(data.prefix(data.count / 2), file: "half.json")
            Issue.record("decoded a truncated file")
        } catch {
            #expect(error.description.hasPrefix("half.json: the model file is truncated"), "\(error)")
        }
    }
}
