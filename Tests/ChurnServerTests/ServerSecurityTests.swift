import ChurnModel
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Hummingbird
import Testing

@Suite("Bearer token", .serialized)
struct ServerSecurityTests {
    static let token = "s3cret-token-value-1234"

    @Test("predict and feedback need the token; health, ready and metrics stay open; the token is never echoed")
    func tokenRequired() async throws {
        try await TestServer.with(configure: { $0.token = ServerSecurityTests.token }) { server in
            let body = TelcoFixture.json(1)
            let none = try await server.client.post("/predict", json: body)
            #expect(none.status == 401)
            #expect(none.header("www-authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try await server.client.post("/predict", json: body, headers: ["Authorization": "Bearer not-the-token"])
            #expect(wrong.status == 401)
            let almost = try await server.client.post("/predict", json: body, headers: ["Authorization": "Bearer " + ServerSecurityTests.token.dropLast()])
            #expect(almost.status == 401)
            let basic = try await server.client.post("/predict", json: body, headers: ["Authorization": "Basic " + ServerSecurityTests.token])
            #expect(basic.status == 401)
            let right = try await server.client.post("/predict", json: body, headers: ["Authorization": "Bearer " + ServerSecurityTests.token])
            #expect(right.status == 200)
            #expect(try await server.client.post("/feedback", json: "{}").status == 401)
            for path in ["/health", "/ready", "/metrics", "/model"] {
                #expect(try await server.client.get(path).status == 200, "\(path)")
            }
            for r in [none, wrong, almost, basic, right] { #expect(!r.text.contains(ServerSecurityTests.token)) }
            #expect(!((try await server.client.get("/metrics")).text.contains(ServerSecurityTests.token)))
            #expect(!((try await server.client.get("/api/v1/stats")).text.contains(ServerSecurityTests.token)))
        }
    }

    @Test("neither the configured token nor a presented one appears in the server's log, even at trace level")
    func tokenNeverLogged() async throws {
        let presented = ["Bearer not-the-token-9f8e7d", "Bearer " + ServerSecurityTests.token.dropLast(), "Basic " + ServerSecurityTests.token,
                         "Bearer " + ServerSecurityTests.token]
        let server = try await TestServer(logLevel: "trace") { $0.token = ServerSecurityTests.token }
        for header in presented {
            _ = try await server.client.post("/predict", json: TelcoFixture.json(1), headers: ["Authorization": header])
            _ = try await server.client.post("/predict", json: "{", headers: ["Authorization": header])
            _ = try await server.client.post("/feedback", json: "[1]", headers: ["Authorization": header])
            _ = try await server.client.get("/nowhere", headers: ["Authorization": header])
        }
        await server.stop()
        let log = server.log
        #expect(log.contains("listening on"), "the log was captured")
        for secret in [ServerSecurityTests.token, String(ServerSecurityTests.token.dropLast()), "not-the-token-9f8e7d"] {
            #expect(!log.contains(secret), "the log contains \(secret)")
        }
        #expect(!log.lowercased().contains("authorization"), "the log mentions the Authorization header")
    }

    @Test("constant-time comparison agrees with equality")
    func comparison() {
        typealias M = BearerTokenMiddleware<BasicRequestContext>
        #expect(M.constantTimeEqual(Array("abc".utf8), Array("abc".utf8)))
        #expect(!M.constantTimeEqual(Array("abc".utf8), Array("abd".utf8)))
        #expect(!M.constantTimeEqual(Array("abc".utf8), Array("abcd".utf8)))
        #expect(!M.constantTimeEqual([], Array("a".utf8)))
    }
}
