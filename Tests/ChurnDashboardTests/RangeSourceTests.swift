@testable import ChurnMonitor
import ChurnTestSupport
import Foundation
import Testing

/// Sources asked for a range: what goes over the wire, and what a source without stored history answers.
@Suite("Range sources", .serialized)
struct RangeSourceTests {
    @Test("the API source asks for ?range=24h (keeping a query the URL had) and nothing for live")
    func apiRange() async throws {
        let server = try TinyHTTPServer(body: try SnapshotJSON.encode(Fixtures.snapshot(), pretty: false))
        defer { server.stop() }
        let source = APISnapshotSource(base: server.url, timeout: loopbackAnswerTimeout)
        _ = try await source.snapshot(range: .hours24)
        _ = try await source.snapshot(range: .live)
        let requests = server.requests.withLock { $0 }
        #expect(requests.first?.hasPrefix("GET /api/v1/stats?range=24h ") == true, "\(requests)")
        #expect(requests.last?.hasPrefix("GET /api/v1/stats ") == true)
        let full = APISnapshotSource(base: URL(string: "http://h:1/api/v1/stats?x=1&range=1h")!)
        #expect(full.rangeURL(.days7).query == "x=1&range=7d")
    }

    @Test("a source without stored history answers a range with its live snapshot")
    func fixedSource() async throws {
        let snap = Fixtures.snapshot()
        let source = FixedSnapshotSource(name: "fixed", result: .success(snap))
        #expect(try await source.snapshot(range: .days7) == snap)
    }
}
