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

    @Test("a syntax error in the middle of a real artifact is reported with its line and column")
    func syntaxErrorPosition() throws {
        var text = String(decoding: try Self.trained().jsonData(), as: UTF8.self)
        // The first comma after the middle becomes a semicolon: the file is an object, broken inside.
        let comma = text[text.index(text.startIndex, offsetBy: text.count / 2)...].firstIndex(of: ",")!
        let line = text[..<comma].filter { $0 == "\n" }.count + 1
        let column = text.distance(from: text[..<comma].lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex, to: comma) + 1
        text.replaceSubrange(comma...comma, with: ";")
        do {
            _ = try ModelArtifact.decode(Data(text.utf8), file: "broken.json")
            Issue.record("decoded a broken file")
        } catch {
            #expect(error.description.hasPrefix("broken.json: not valid JSON at line \(line), column \(column): "), "\(error)")
            #expect(error.description.contains("found ';'"), "\(error)")
        }
    }

    @Test("a node index an Int32 cannot hold is named by its field, not reported as invalid JSON", arguments: ["3000000000", "1.5", "-2147483649"])
    func misfitNodeIndex(value: String) throws {
        var artifact = try Self.trained()
        let tree = DecisionTree(feature: [0, -1, -1], threshold: [1, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
                                defaultLeft: [true, true, true], value: [0, 1, 2], cover: [2, 1, 1])
        artifact.predictor = .trees(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [tree, tree]))
        var json = try JSONSerialization.jsonObject(with: try artifact.jsonData()) as! [String: Any]
        var predictor = json["predictor"] as! [String: Any]
        var ensemble = predictor["trees"] as! [String: Any]
        var trees = ensemble["trees"] as! [[String: Any]]
        var right = trees[1]["right"] as! [Any]
        right[0] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
        trees[1]["right"] = right
        ensemble["trees"] = trees
        predictor["trees"] = ensemble
        json["predictor"] = predictor
        let data = try JSONSerialization.data(withJSONObject: json)
        do {
            _ = try ModelArtifact.decode(data, file: "big.json")
            Issue.record("decoded a node index of \(value)")
        } catch {
            #expect(error.description == "big.json: field 'predictor.trees.trees[1].right[0]' is \(value), not a node index (a whole number from -1 to 2147483647)",
                    "\(error)")
        }
    }
}
