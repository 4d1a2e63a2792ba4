import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnModel

/// Numbers at the edge of a double, in rows and in models: a probability is always in [0, 1], every JSON number
/// written is valid JSON, and a model whose arithmetic can overflow is refused when it loads.
@Suite("Extreme values")
struct ExtremeValueTests {
    /// The test model with two numeric columns made steep (tiny scales): a user's model on columns measured in
    /// small units looks like this. Returns the model and the two columns' encoded slots and folded weights.
    static func steepModel() throws -> (ModelArtifact, [(slot: Int, weight: Double)]) {
        var artifact = BatchScorerTests.model
        guard case .logistic(var m) = artifact.predictor else { throw CancellationError() }
        let slots = ["tenure", "TotalCharges"].map { artifact.features.firstIndex(of: $0)! }
        for j in slots { m.scale[j] = 1e-4 }
        artifact.predictor = .logistic(m)
        #expect(artifact.validate() == nil, "a steep model is still a valid model")
        return (artifact, slots.map { ($0, m.weights[$0] / m.scale[$0]) })
    }

    @Test("a row whose huge values overflow one term to +inf and another to -inf still scores within [0, 1]")
    func opposingInfinities() throws {
        // Found by reasoning about the fuzz target's NaN check: before the fix, churn serve trapped in the response
        // writer (Int(NaN)) and died on one such request.
        let (artifact, steep) = try Self.steepModel()
        let engine = ScoringEngine(artifact: artifact)
        var row = RowEncoder(schema: artifact.schema).makeRow()
        for j in row.values.indices { row.values[j] = 0 }
        row.values[steep[0].slot] = steep[0].weight > 0 ? 1e307 : -1e307    // term → +∞
        row.values[steep[1].slot] = steep[1].weight > 0 ? -1e307 : 1e307    // term → −∞
        let p = engine.probability(row)
        #expect(p >= 0 && p <= 1, "probability \(p)")
        // Ordinary rows take the fast path and are unchanged.
        row.values[steep[0].slot] = 1
        row.values[steep[1].slot] = 1
        #expect(abs(engine.probability(row) - artifact.predictor.probability(row.values)) < 1e-9)
    }

    @Test("a logistic model whose scale is so small that weight / scale overflows is refused on load")
    func tinyScaleRefused() throws {
        var artifact = BatchScorerTests.model
        guard case .logistic(var m) = artifact.predictor else { throw CancellationError() }
        m.scale[0] = 1e-310
        m.weights[0] = 1
        artifact.predictor = .logistic(m)
        let problem = try #require(artifact.validate())
        #expect(problem.contains("divided by its scale is not a finite number"))
        #expect(throws: ModelLoadError.self) { try ModelArtifact.decode(try artifact.jsonData()) }
    }

    @Test("a tree ensemble whose leaf values can sum past the largest double is refused on load")
    func overflowingTreesRefused() throws {
        var artifact = BatchScorerTests.model
        let split = DecisionTree(feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
                                 defaultLeft: [true, true, true], value: [0, 1e308, -1e308], cover: [2, 1, 1])
        artifact.predictor = .trees(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [split, split]))
        #expect(artifact.validate()?.contains("so large that a margin can overflow") == true)
        artifact.predictor = .trees(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [.leaf(0.5), split.scaled(1e-300)]))
        #expect(artifact.validate() == nil)
    }

    @Test("explanations of huge values are valid JSON numbers, never inf or a leading +")
    func jsonNumbers() throws {
        let cases: [(Double, String)] = [(0.78512, "0.785"), (-0.5, "-0.5"), (3e304, "3e+304"), (.infinity, "1.7976931348623157e+308"),
                                         (-.infinity, "-1.7976931348623157e+308"), (.nan, "0")]
        for (value, text) in cases {
            let w = ByteWriter()
            w.appendJSONNumber(value, decimals: 1000)
            #expect(String(decoding: w.bytes, as: UTF8.self) == text)
            #expect((try? JSONSerialization.jsonObject(with: Data(w.bytes), options: .fragmentsAllowed)) != nil, "\(text)")
        }
    }

    @Test("churn score --format jsonl --explain writes one valid JSON object per line, huge values included")
    func explainedJSONLines() throws {
        // Found while checking hostile input: every explained JSONL line had "contribution":+0.785, invalid JSON.
        let dir = TempDir()
        defer { dir.cleanup() }
        var rows = BatchScorerTests.telcoRows(copies: 1)
        rows[0] = BatchScorerTests.setting(rows[0], field: 19, to: "1e308")
        let input = dir.write("in.csv", BatchScorerTests.header + "\n" + rows.joined(separator: "\n") + "\n")
        var options = BatchOptions(input: input, output: dir.file("out.jsonl"), rejects: dir.file("rejects.csv"))
        options.format = .jsonl
        options.explain = .all
        let summary = try BatchScorer(engine: ScoringEngine(artifact: BatchScorerTests.model), options: options).run()
        let lines = try String(contentsOfFile: dir.file("out.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count == summary.scored && summary.scored == rows.count)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["reasons"] != nil, "\(line.prefix(200))")
        }
    }
}

extension DecisionTree {
    func scaled(_ k: Double) -> DecisionTree {
        var t = self
        t.value = value.map { $0 * k }
        return t
    }
}
