import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Testing

@Suite("Scoring API over sockets", .serialized)
struct ServerRouteTests {
    @Test("POST /predict answers the model's own probability, risk level and version")
    func predict() async throws {
        try await TestServer.with { server in
            let body = TelcoFixture.json(1)
            let r = try await server.client.post("/predict", json: body)
            #expect(r.status == 200)
            let json = try #require(try r.json() as? [String: Any])
            #expect(json["customerID"] as? String == "0001-TEST")
            #expect(json["model_version"] as? String == TestServer.model.version)
            let p = try #require(json["churn_probability"] as? Double)
            // Same number as decoding and scoring in-process.
            var row = TestServer.serving.decoder.makeRow()
            _ = TestServer.serving.decoder.decode(try JSONParser.parse(Array(body.utf8)), into: &row)
            let expected = TestServer.serving.engine.probability(row)
            #expect(abs(p - expected) <= 5e-7)
            #expect(json["risk_level"] as? String == TestServer.model.riskThresholds.level(for: expected).rawValue)
            let explained = try await server.client.post("/predict?explain=true", json: body)
            let reasons = try #require((try explained.json() as? [String: Any])?["reasons"] as? [[String: Any]])
            #expect(!reasons.isEmpty && reasons.count <= 3)
            let sizes = reasons.map { abs($0["contribution"] as? Double ?? 0) }
            #expect(sizes == sizes.sorted(by: >), "largest absolute contribution first")
        }
    }

    @Test("malformed JSON is 400 with the parser's reason and position")
    func malformed() async throws {
        try await TestServer.with { server in
            let r = try await server.client.post("/predict", json: "{\"tenure\": 5,}")
            #expect(r.status == 400)
            let error = try #require((try r.json() as? [String: Any])?["error"] as? [String: Any])
            #expect(error["code"] as? String == "malformed_json")
            #expect((error["message"] as? String)?.contains("byte 13") == true)
        }
    }

    @Test("missing and invalid fields are 422 listing every bad field")
    func invalidFields() async throws {
        try await TestServer.with { server in
            var body = TelcoFixture.json(2, overrides: ["tenure": "many", "Contract": "Weekly"])
            body = body.replacingOccurrences(of: "\"gender\":\"Male\",", with: "").replacingOccurrences(of: "\"gender\":\"Female\",", with: "")
            let r = try await server.client.post("/predict", json: body)
            #expect(r.status == 422)
            let error = try #require((try r.json() as? [String: Any])?["error"] as? [String: Any])
            let fields = try #require(error["fields"] as? [[String: String]])
            // An unseen Contract is scored, not refused (docs/model-format.md); the rest are still errors.
            #expect(Set(fields.map { $0["field"]! }) == ["tenure", "gender"])
            let wrongType = try await server.client.post("/predict", json: "[1, 2]")
            #expect(wrongType.status == 422)
        }
    }

    @Test("bodies over the limit are 413; unknown routes are 404 JSON")
    func limits() async throws {
        try await TestServer.with(configure: { $0.maxBodyBytes = 4096 }) { server in
            let big = "{\"pad\":\"" + String(repeating: "x", count: 8000) + "\"}"
            let r = try await server.client.post("/predict", json: big)
            #expect(r.status == 413)
            #expect((try r.json() as? [String: Any])?["error"] != nil)
            let missing = try await server.client.get("/no/such/route")
            #expect(missing.status == 404)
            #expect(((try missing.json() as? [String: Any])?["error"] as? [String: Any])?["code"] as? String == "not_found")
        }
    }

    @Test("batch: a JSON array and a CSV body both come back in order, bad items reported in place")
    func batch() async throws {
        try await TestServer.with { server in
            let items = [TelcoFixture.json(10), TelcoFixture.json(11, overrides: ["tenure": "x"]), TelcoFixture.json(12)]
            let r = try await server.client.post("/predict/batch", json: "[" + items.joined(separator: ",") + "]")
            #expect(r.status == 200)
            let json = try #require(try r.json() as? [String: Any])
            let results = try #require(json["results"] as? [[String: Any]])
            #expect(results.count == 3)
            #expect(results[0]["customerID"] as? String == "0010-TEST")
            #expect(results[1]["index"] as? Int == 1 && results[1]["error"] != nil)
            #expect(results[2]["customerID"] as? String == "0012-TEST")
            #expect(json["scored"] as? Int == 2 && json["rejected"] as? Int == 1)

            let csv = TelcoFixture.csv(rows: 5, seed: 77)
            let c = try await server.client.request("POST", "/predict/batch", body: Data(csv.utf8), headers: ["Content-Type": "text/csv"])
            let csvResults = try #require((try c.json() as? [String: Any])?["results"] as? [[String: Any]])
            #expect(csvResults.map { $0["customerID"] as? String } == (0..<5).map { String(format: "%04d-TEST", $0) })
            let badHeader = try await server.client.request("POST", "/predict/batch", body: Data("customerID,tenure\nA,1\n".utf8), headers: ["Content-Type": "text/csv"])
            #expect(badHeader.status == 422)
        }
    }

    @Test("feedback joins logged predictions into a live F1 reported by stats and metrics")
    func feedback() async throws {
        try await TestServer.with { server in
            var confusion = ConfusionMatrix()
            for i in 0..<40 {
                let r = try await server.client.post("/predict", json: TelcoFixture.json(100 + i))
                let json = try #require(try r.json() as? [String: Any])
                let predicted = (json["churn_probability"] as! Double) >= TestServer.model.decisionThreshold
                let churned = i % 3 == 0
                switch (predicted, churned) {
                case (true, true): confusion.truePositives += 1
                case (true, false): confusion.falsePositives += 1
                case (false, false): confusion.trueNegatives += 1
                case (false, true): confusion.falseNegatives += 1
                }
                let f = try await server.client.post("/feedback", json: "{\"customerID\":\"\(json["customerID"] as! String)\",\"churned\":\(churned)}")
                #expect(f.status == 200)
            }
            let unknown = try await server.client.post("/feedback", json: "[{\"customerID\":\"nobody\",\"churned\":\"Yes\"}]")
            #expect((try unknown.json() as? [String: Any])?["unmatched"] as? [String] == ["nobody"])
            let stats = try #require(try (await server.client.get("/api/v1/stats")).json() as? [String: Any])
            let f1 = try #require(stats["f1"] as? [String: Any])
            #expect(f1["labelled"] as? Int == 40)
            #expect(abs((f1["value"] as? Double ?? -1) - confusion.f1) < 1e-9)
            let metrics = try await server.client.get("/metrics").text
            #expect(metrics.contains("model_f1_score \(confusion.f1)"))
            let invalid = try await server.client.post("/feedback", json: "{\"churned\":\"maybe\"}")
            #expect(invalid.status == 422)
        }
    }

    @Test("health, ready and model describe the service")
    func status() async throws {
        let dir = NSTemporaryDirectory() + "churn-store-" + UUID().uuidString
        try await TestServer.with(configure: { $0.storePath = dir + "/m.sqlite" }) { server in
            #expect(try await server.client.get("/health").status == 200)
            let ready = try await server.client.get("/ready")
            #expect(ready.status == 200)
            #expect((try ready.json() as? [String: Any])?["store"] as? String == "writable")
            let model = try #require(try (await server.client.get("/model")).json() as? [String: Any])
            #expect(model["version"] as? String == TestServer.model.version)
            #expect((model["columns"] as? [Any])?.count == TelcoSchema.features.count)
        }
        try? FileManager.default.removeItem(atPath: dir)
    }

    @Test("every route in the route table answers, and docs/openapi.yaml lists exactly those routes")
    func routeTableAndOpenAPI() async throws {
        try await TestServer.with { server in
            for route in ChurnAPI.routes {
                let r = try await server.client.request(route.method, route.path, body: route.method == "POST" ? Data("{}".utf8) : nil)
                #expect(r.status != 404, "\(route)")
            }
            let spec = try String(contentsOfFile: ServerRouteTests.repositoryRoot + "/docs/openapi.yaml", encoding: .utf8)
            var documented = Set<String>()
            var currentPath: String?
            for line in spec.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("  /"), line.hasSuffix(":") { currentPath = String(line.dropFirst(2).dropLast()) }
                else if let path = currentPath, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                    let method = line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()
                    if ["GET", "POST", "PUT", "DELETE", "PATCH"].contains(method) { documented.insert("\(method) \(path)") }
                } else if !line.hasPrefix(" ") && !line.isEmpty { currentPath = nil }
            }
            #expect(documented == Set(ChurnAPI.routes.map(\.description)))
        }
    }

    static let repositoryRoot = ChurnBinary.packageRoot
}
