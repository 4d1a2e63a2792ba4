import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Testing

/// `GET /api/v1/stats?range=…` on a real `churn serve` process.
@Suite("Stats ranges", .serialized)
struct StatsRangeTests {
    func stats(_ server: TestServer, _ query: String) async throws -> (status: Int, body: [String: Any]) {
        let r = try await server.client.get("/api/v1/stats" + query)
        return (r.status, try #require(try r.json() as? [String: Any]))
    }

    @Test("with a store, ?range=1h answers 180 points of 20 s read from it, traffic included once flushed")
    func storeRange() async throws {
        let dir = NSTemporaryDirectory() + "churn-stats-range-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try await TestServer.with(configure: { $0.storePath = dir + "/metrics.sqlite" }) { server in
            for i in 0..<6 { #expect(try await server.client.post("/predict", json: TelcoFixture.json(i)).status == 200) }
            // The server flushes every 0.2 s: wait until the requests are in the 1h history.
            var history: [String: Any] = [:]
            var requests = 0.0
            try await poll(until: {
                let (status, body) = try await stats(server, "?range=1h")
                #expect(status == 200)
                history = body["history"] as? [String: Any] ?? [:]
                requests = (history["requestRate"] as? [Double] ?? []).reduce(0, +) * 20
                return requests >= 6
            })
            #expect(history["range"] as? String == "1h")
            #expect(history["step"] as? Int == 20)
            #expect((history["requestRate"] as? [Any])?.count == 180)
            #expect((history["highRiskShare"] as? [Any])?.count == 180)
            #expect(requests >= 6)
            let live = try await stats(server, "")
            #expect((live.body["history"] as? [String: Any])?["range"] as? String == "live")
        }
    }

    @Test("an unknown range is a 400 with a JSON error naming the accepted ranges")
    func badRange() async throws {
        try await TestServer.with { server in
            let (status, body) = try await stats(server, "?range=2d")
            #expect(status == 400)
            let error = try #require(body["error"] as? [String: Any])
            #expect(error["code"] as? String == "invalid_range")
            #expect((error["message"] as? String)?.contains("live, 15m, 1h, 6h, 24h, 7d") == true)
        }
    }

    @Test("without a store a range answers the live history and says why in warnings")
    func memoryOnly() async throws {
        try await TestServer.with { server in
            let (status, body) = try await stats(server, "?range=24h")
            #expect(status == 200)
            #expect((body["history"] as? [String: Any])?["range"] as? String == "live")
            #expect((body["warnings"] as? [String])?.first?.contains("needs a metrics store") == true)
        }
    }
}
