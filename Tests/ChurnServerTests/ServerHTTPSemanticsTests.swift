import ChurnModel
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Testing

/// What the route table gives every route: 405 with `Allow` for a known path asked with another method, `HEAD`
/// wherever `GET`, a JSON error body on every 4xx, and unknown query parameters refused on the predict routes.
@Suite("HTTP semantics of the route table", .serialized)
struct ServerHTTPSemanticsTests {
    /// The `error` object of a JSON error body (nil when the body is not one).
    static func error(_ r: HTTPTestClient.Response) -> [String: Any]? {
        (try? r.json() as? [String: Any])?["error"] as? [String: Any]
    }

    @Test("a known path with a method it does not take answers 405, Allow and a JSON error; the metrics count it there")
    func methodNotAllowed() async throws {
        try await TestServer.with { server in
            for (path, methods) in ChurnAPI.allowedMethods {
                for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] where !methods.contains(method) {
                    let r = try await server.client.request(method, path, body: method == "GET" ? nil : Data("{}".utf8))
                    #expect(r.status == 405, "\(method) \(path)")
                    #expect(r.header("Allow") == methods.joined(separator: ", "), "\(method) \(path)")
                    #expect(Self.error(r)?["code"] as? String == "method_not_allowed", "\(method) \(path)")
                }
            }
            #expect(ChurnAPI.allowedMethods["/predict"] == ["POST"])
            #expect(ChurnAPI.allowedMethods["/health"] == ["GET", "HEAD"])
            let metrics = try await server.client.get("/metrics").text
            #expect(metrics.contains("http_requests_total{method=\"DELETE\",path=\"/predict\",status=\"405\"} 1"))
            // A path no route has is still 404, under the one "unmatched" label.
            let unknown = try await server.client.request("DELETE", "/nowhere")
            #expect(unknown.status == 404 && Self.error(unknown)?["code"] as? String == "not_found")
        }
    }

    @Test("HEAD answers wherever GET does, with GET's status and headers and no body")
    func head() async throws {
        try await TestServer.with { server in
            for route in ChurnAPI.routes where route.method == "GET" {
                let get = try await server.client.get(route.path)
                let head = try await server.client.request("HEAD", route.path)
                #expect(head.status == get.status, "\(route.path)")
                #expect(head.header("Content-Type") == get.header("Content-Type"), "\(route.path)")
                #expect(head.body.isEmpty, "\(route.path)")
                #expect(!get.body.isEmpty, "\(route.path)")
            }
            let headPredict = try await server.client.request("HEAD", "/predict")
            #expect(headPredict.status == 405 && headPredict.header("Allow") == "POST" && headPredict.body.isEmpty)
            let metrics = try await server.client.get("/metrics").text
            #expect(metrics.contains("http_requests_total{method=\"HEAD\",path=\"/health\",status=\"200\"} 1"))
        }
    }

    @Test("unknown query parameters on the predict routes are 400 naming the parameter and the accepted ones")
    func unknownParameters() async throws {
        try await TestServer.with { server in
            let body = TelcoFixture.json(3)
            for path in ["/predict?explian=2", "/predict/batch?explain=1&verbose=yes"] {
                let r = try await server.client.post(path, json: path.hasPrefix("/predict/batch") ? "[" + body + "]" : body)
                #expect(r.status == 400, "\(path)")
                let error = try #require(Self.error(r), "\(path)")
                #expect(error["code"] as? String == "unknown_parameter")
                let message = error["message"] as? String ?? ""
                #expect(message.contains(path.hasPrefix("/predict/batch") ? "'verbose'" : "'explian'") && message.contains("accepted: explain"), "\(message)")
                let fields = error["fields"] as? [[String: String]]
                #expect(fields?.first?["field"] == (path.hasPrefix("/predict/batch") ? "verbose" : "explian"))
            }
            // The parameters the routes do take still work, and an unreadable value is still the 422 it was.
            #expect(try await server.client.post("/predict?explain=2", json: body).status == 200)
            #expect(try await server.client.post("/predict/batch?explain=all", json: "[" + body + "]").status == 200)
            let yes = try await server.client.post("/predict?explain=yes", json: body)
            #expect(yes.status == 422 && Self.error(yes)?["code"] as? String == "invalid_explain")
            // The stats route declares `range` and ignores parameters it does not know.
            #expect(try await server.client.get("/api/v1/stats?range=1h").status == 200)
            #expect(try await server.client.get("/api/v1/stats?cache-buster=42").status == 200)
        }
    }

    @Test("every 4xx the server gives has a JSON error body with a code and a message")
    func jsonErrors() async throws {
        try await TestServer.with(configure: { $0.token = "t0ken-for-4xx-bodies"; $0.maxBodyBytes = 4096 }) { server in
            let auth = ["Authorization": "Bearer t0ken-for-4xx-bodies"]
            let answers = [
                try await server.client.post("/predict", json: "{}"),  // 401
                try await server.client.post("/predict", json: "{,", headers: auth),  // 400
                try await server.client.post("/predict?x=1", json: "{}", headers: auth),  // 400
                try await server.client.post("/predict", json: "{\"tenure\":\"x\"}", headers: auth),  // 422
                try await server.client.post("/predict", json: String(repeating: " ", count: 8000), headers: auth),  // 413
                try await server.client.get("/missing"),  // 404
                try await server.client.request("PUT", "/metrics"),  // 405
            ]
            #expect(answers.map(\.status) == [401, 400, 400, 422, 413, 404, 405])
            for r in answers {
                let error = Self.error(r)
                #expect(error?["code"] is String && error?["message"] is String, "\(r.status): \(r.text)")
                #expect(r.header("Content-Type") == "application/json", "\(r.status)")
            }
        }
    }
}
