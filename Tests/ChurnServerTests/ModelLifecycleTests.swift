import ChurnModel
import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnServer

/// The server's side of the model lifecycle, against a real `churn serve` process: canary routing, reloads
/// that go through or are refused, and the admin routes.
@Suite("Model lifecycle in churn serve")
struct ModelLifecycleTests {
    static func variant(_ version: String) -> ModelArtifact {
        var a = TestServer.model
        a.version = version
        // A different threshold so the variant is really another model, not only another name.
        a.decisionThreshold = min(0.9, a.decisionThreshold + 0.05)
        return a
    }

    static func version(_ r: HTTPTestClient.Response) throws -> String {
        try #require((try r.json() as? [String: Any])?["model_version"] as? String)
    }

    @Test("a canary scores a stable share of customers chosen by id hash; responses and metrics say which model scored")
    func canaryRouting() async throws {
        let dir = NSTemporaryDirectory() + "churn-canary-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let canary = Self.variant("canary-1")
        try canary.write(to: dir + "/canary.json")
        try await TestServer.with(arguments: ["--canary", dir + "/canary.json", "--canary-share", "0.3"]) { server in
            var toCanary = 0
            for i in 0..<120 {
                let r = try await server.client.post("/predict", json: TelcoFixture.json(i))
                #expect(r.status == 200)
                let id = String(format: "%04d-TEST", i)
                let expected = ModelRouting.bucket(id) < 3000 ? "canary-1" : TestServer.model.version
                #expect(try Self.version(r) == expected, "\(id)")
                #expect(r.header("X-Model-Version") == expected)
                if expected == "canary-1" { toCanary += 1 }
            }
            #expect(toCanary > 15 && toCanary < 60, "about 30% of 120 customers, got \(toCanary)")
            // The same customer always gets the same model.
            let again = try await server.client.post("/predict", json: TelcoFixture.json(7))
            let first = try await server.client.post("/predict", json: TelcoFixture.json(7))
            #expect(try Self.version(again) == Self.version(first))

            // Batches route row by row, each row naming its model.
            let items = (0..<40).map { TelcoFixture.json($0) }
            let b = try await server.client.post("/predict/batch", json: "[" + items.joined(separator: ",") + "]")
            let rows = try #require((try b.json() as? [String: Any])?["results"] as? [[String: Any]])
            for (i, row) in rows.enumerated() {
                let id = String(format: "%04d-TEST", i)
                #expect(row["model_version"] as? String == (ModelRouting.bucket(id) < 3000 ? "canary-1" : TestServer.model.version))
            }

            let stats = try #require(try (await server.client.request("GET", "/api/v1/stats")).json() as? [String: Any])
            let models = try #require(stats["models"] as? [[String: Any]])
            #expect(models.map { $0["role"] as? String } == ["production", "canary"])
            #expect(models[1]["share"] as? Double == 0.3)
            let metrics = try await server.client.request("GET", "/metrics").text
            #expect(metrics.contains("predictions_total{model_version=\"canary-1\",risk_level="))
            #expect(metrics.contains("http_requests_total{method=\"POST\",model_version=\"canary-1\",path=\"/predict\",status=\"200\"}"))
            #expect(metrics.contains("http_request_duration_seconds_count{model_version=\"canary-1\"}"))
        }
    }

    @Test("SIGHUP reloads the model file: a corrupt file is refused and the old model keeps serving; a good one swaps in")
    func sighupReload() async throws {
        try await TestServer.with { server in
            let json = TelcoFixture.json(3)
            // Half a file: what a copy interrupted mid-way leaves.
            let good = try TestServer.model.jsonData()
            try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: server.modelPath))
            kill(server.process.processIdentifier, SIGHUP)
            // The refusal is counted once the server has read and rejected the file.
            let refused = try await poll(until: {
                try await server.client.request("GET", "/metrics").text.contains("churn_model_reload_total{result=\"refused\"} 1")
            })
            #expect(refused)
            let during = try await server.client.post("/predict", json: json)
            #expect(during.status == 200)
            #expect(try Self.version(during) == TestServer.model.version)
            let metrics = try await server.client.request("GET", "/metrics").text
            #expect(metrics.contains("churn_model_reload_total{result=\"refused\"} 1"))
            #expect(server.log.contains("refused (SIGHUP)"))
            let stats = try #require(try (await server.client.request("GET", "/api/v1/stats")).json() as? [String: Any])
            let last = try #require((stats["reloads"] as? [String: Any])?["last"] as? [String: Any])
            #expect(last["result"] as? String == "refused")
            #expect((last["reason"] as? String)?.contains("truncated") == true)

            try Self.variant("reloaded-2").write(to: server.modelPath)
            kill(server.process.processIdentifier, SIGHUP)
            var version = ""
            try await poll(until: {
                version = try Self.version(try await server.client.post("/predict", json: json))
                return version == "reloaded-2"
            })
            #expect(version == "reloaded-2")
            #expect(try await server.client.request("GET", "/metrics").text.contains("churn_model_reload_total{result=\"ok\"} 1"))
        }
    }

    @Test("admin routes promote and roll back through the registry with the token, and are closed without one")
    func adminRoutes() async throws {
        let dir = NSTemporaryDirectory() + "churn-admin-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let registry = ModelRegistry(path: dir)
        try registry.register(TestServer.model, source: "test")
        try registry.register(Self.variant("next-2"), source: "test")
        try registry.promote("1")
        let auth = ["Authorization": "Bearer s3cret"]
        try await TestServer.with(arguments: ["--registry", dir], configure: { $0.token = "s3cret" }) { server in
            let unauthorised = try await server.client.post("/admin/model/promote", json: "{\"version\":\"2\"}")
            #expect(unauthorised.status == 401)
            let missing = try await server.client.post("/admin/model/promote", json: "{\"version\":\"9\"}", headers: auth)
            #expect(missing.status == 404)
            let promoted = try await server.client.post("/admin/model/promote", json: "{\"version\":\"2\"}", headers: auth)
            #expect(promoted.status == 200)
            let body = try #require(try promoted.json() as? [String: Any])
            #expect(body["production"] as? String == "next-2" && body["serving"] as? String == "next-2")
            #expect(body["previous"] as? String == TestServer.model.version)
            // Swapped before the answer: the very next request is scored by the new model.
            #expect(try Self.version(try await server.client.post("/predict", json: TelcoFixture.json(1), headers: auth)) == "next-2")
            #expect(try registry.read().production == "next-2")

            let back = try await server.client.post("/admin/model/rollback", json: "{}", headers: auth)
            #expect(back.status == 200)
            #expect(try Self.version(try await server.client.post("/predict", json: TelcoFixture.json(1), headers: auth)) == TestServer.model.version)
            let none = try await server.client.post("/admin/model/rollback", json: "{}", headers: auth)
            #expect(none.status == 409)
        }
        try await TestServer.with(arguments: ["--registry", dir]) { server in
            let r = try await server.client.post("/admin/model/promote", json: "{\"version\":\"2\"}")
            #expect(r.status == 403)
            #expect(r.text.contains("admin_disabled"))
        }
        try await TestServer.with(configure: { $0.token = "s3cret" }) { server in
            let r = try await server.client.post("/admin/model/rollback", json: "{}", headers: auth)
            #expect(r.status == 409)
            #expect(r.text.contains("no_registry"))
        }
    }
}
