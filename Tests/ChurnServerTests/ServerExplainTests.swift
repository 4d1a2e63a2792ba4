import ChurnModel
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Testing

/// The API's `explain` parameter over real sockets: accepted values, refused ones, and the same digits as the
/// batch scorer writes for the same customer.
@Suite("API explanations", .serialized)
struct ServerExplainTests {
    /// A tree model (with node covers, so TreeSHAP) on the Telco columns.
    static let trees: ModelArtifact = {
        let dir = NSTemporaryDirectory() + "churn-explain-model-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/train.csv"
        try! TelcoFixture.csv(rows: 800, seed: 5).write(toFile: path, atomically: true, encoding: .utf8)
        var options = TrainingOptions()
        options.learner = .gbt
        let artifact = ModelTrainer.train(try! TrainingTable.load(path: path), options: options).artifact
        try? FileManager.default.removeItem(atPath: dir)
        return artifact
    }()

    /// Customer `i` of `TelcoFixture.json(i)` as a one-row CSV file.
    static func csv(_ i: Int, in dir: String) throws -> String {
        var rng = SplitMix64(seed: 9 &+ UInt64(i))
        let c = TelcoFixture.customer(i, rng: &rng)
        let text = TelcoSchema.header.joined(separator: ",") + "\n" + TelcoSchema.header.map { c[$0]! }.joined(separator: ",") + "\n"
        let path = dir + "/customer-\(i).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The explanation part of a JSON object's text: from `,"base_value"` or `,"reasons"` to the end of the array.
    static func explanation(_ text: String) -> String? {
        guard let start = text.range(of: ",\"base_value\":") ?? text.range(of: ",\"reasons\":[") else { return nil }
        guard let end = text.range(of: "]", range: start.upperBound..<text.endIndex) else { return nil }
        return String(text[start.lowerBound..<end.upperBound])
    }

    @Test("explain=all answers base_value and every column; the batch scorer writes the same text for the same customer")
    func allMatchesBatch() async throws {
        #expect(ScoringEngine(artifact: Self.trees).explainer.method == .treeSHAP)
        let dir = NSTemporaryDirectory() + "churn-explain-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await TestServer.with(model: Self.trees) { server in
            for i in 0..<4 {
                let r = try await server.client.post("/predict?explain=all", json: TelcoFixture.json(i))
                #expect(r.status == 200)
                let text = String(decoding: r.body, as: UTF8.self)
                let json = try #require(try r.json() as? [String: Any])
                let reasons = try #require(json["reasons"] as? [[String: Any]])
                #expect(reasons.map { $0["column"] as? String } == Self.trees.schema.features.map(\.name))
                // Base value and contributions add up to the margin of the probability answered.
                let p = try #require(json["churn_probability"] as? Double)
                let total = (json["base_value"] as? Double ?? .nan) + reasons.reduce(0) { $0 + ($1["contribution"] as? Double ?? .nan) }
                #expect(abs(1 / (1 + exp(-total)) - p) <= 1e-5)

                var options = BatchOptions(input: try Self.csv(i, in: dir), output: dir + "/out.jsonl", rejects: dir + "/rejects.csv")
                options.format = .jsonl
                options.explain = .all
                options.force = true
                _ = try BatchScorer(engine: ScoringEngine(artifact: Self.trees), options: options).run()
                let batch = try String(contentsOfFile: dir + "/out.jsonl", encoding: .utf8)
                let ours = try #require(Self.explanation(text))
                #expect(ours.contains(".") && Self.explanation(batch) == ours, "API \(ours)\nbatch \(Self.explanation(batch) ?? "none")")
            }
        }
    }

    @Test("explain=N gives the N largest by absolute value; batch takes it per request; bad values are 422")
    func topAndRefused() async throws {
        try await TestServer.with(model: Self.trees) { server in
            for query in ["explain=2", "explain=top%202", "explain=top2"] {
                let r = try await server.client.post("/predict?\(query)", json: TelcoFixture.json(7))
                #expect(r.status == 200)
                let reasons = try #require((try r.json() as? [String: Any])?["reasons"] as? [[String: Any]], "\(query)")
                #expect(reasons.count == 2)
                let sizes = reasons.map { abs($0["contribution"] as? Double ?? 0) }
                #expect(sizes[0] >= sizes[1])
            }
            let none = try await server.client.post("/predict?explain=none", json: TelcoFixture.json(7))
            let noneJSON = try #require(try none.json() as? [String: Any])
            #expect(none.status == 200 && noneJSON["customerID"] != nil && noneJSON["reasons"] == nil)

            let batch = try await server.client.post("/predict/batch?explain=1", json: "[\(TelcoFixture.json(1)),\(TelcoFixture.json(2))]")
            #expect(batch.status == 200)
            let results = try #require((try batch.json() as? [String: Any])?["results"] as? [[String: Any]])
            #expect(results.count == 2 && results.allSatisfy { ($0["reasons"] as? [Any])?.count == 1 })

            for bad in ["explain=lots", "explain=-3", "explain=all3"] {
                for path in ["/predict", "/predict/batch"] {
                    let body = path == "/predict" ? TelcoFixture.json(1) : "[\(TelcoFixture.json(1))]"
                    let r = try await server.client.post("\(path)?\(bad)", json: body)
                    #expect(r.status == 422, "\(path)?\(bad)")
                    let error = try #require((try r.json() as? [String: Any])?["error"] as? [String: Any])
                    #expect(error["code"] as? String == "invalid_explain")
                    #expect((error["message"] as? String)?.contains("'all'") == true)
                }
            }
        }
    }
}
