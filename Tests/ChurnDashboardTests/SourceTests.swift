@testable import ChurnDashboard
@testable import ChurnMonitor
@testable import ChurnModel
import ChurnTestSupport
import Foundation
import Synchronization
import Testing

@Suite("Snapshot sources", .serialized)
struct SourceTests {
    @Test("the API source polls /api/v1/stats and decodes the snapshot with ISO 8601 dates")
    func apiSource() async throws {
        let snap = Fixtures.snapshot()
        let server = try TinyHTTPServer(body: try SnapshotJSON.encode(snap, pretty: false))
        defer { server.stop() }
        let source = APISnapshotSource(base: server.url, timeout: loopbackAnswerTimeout, token: "s3cret")
        #expect(source.url.path == "/api/v1/stats")
        #expect(source.name == "api http://127.0.0.1:\(server.port)")
        let got = try await source.snapshot()
        #expect(got == snap)
        let request = server.requests.withLock { $0.first } ?? ""
        #expect(request.hasPrefix("GET /api/v1/stats "))
        #expect(request.contains("Bearer s3cret"))
    }

    @Test("an HTTP error is reported with its status")
    func httpError() async throws {
        let server = try TinyHTTPServer(status: 503, body: Data("{}".utf8))
        defer { server.stop() }
        await #expect(throws: SourceFailure.self) { try await APISnapshotSource(base: server.url, timeout: loopbackAnswerTimeout).snapshot() }
        do {
            _ = try await APISnapshotSource(base: server.url, timeout: loopbackAnswerTimeout).snapshot()
        } catch let f as SourceFailure {
            #expect(f.message.contains("HTTP 503"))
        }
    }

    @Test("JSON that is not a snapshot names the missing field")
    func wrongJSON() async throws {
        let server = try TinyHTTPServer(body: Data(#"{"takenAt":"2026-11-28T10:00:00Z"}"#.utf8))
        defer { server.stop() }
        do {
            _ = try await APISnapshotSource(base: server.url, timeout: loopbackAnswerTimeout).snapshot()
            Issue.record("decoded a non-snapshot")
        } catch let f as SourceFailure {
            #expect(f.message.contains("not a snapshot"))
            #expect(f.message.contains("'source'") || f.message.contains("field"))
        }
    }

    @Test("a server that is not there is a plain 'cannot reach' failure")
    func refused() async throws {
        let server = try TinyHTTPServer()
        let url = server.url
        server.stop()
        do {
            _ = try await APISnapshotSource(base: url, timeout: 2).snapshot()
            Issue.record("reached a stopped server")
        } catch let f as SourceFailure {
            #expect(f.message.contains("cannot reach"))
        }
    }

    @Test("--api accepts http(s) URLs with a host only")
    func parse() {
        #expect(APISnapshotSource.parse("http://127.0.0.1:8000") != nil)
        #expect(APISnapshotSource.parse("https://churn.example/api/v1/stats") != nil)
        #expect(APISnapshotSource.parse("127.0.0.1:8000") == nil)
        #expect(APISnapshotSource.parse("file:///etc/passwd") == nil)
    }

    @Test("a poll that hangs ends as a timeout failure instead of freezing the console")
    func pollTimeout() async throws {
        let source = HangingSource()
        let got = Mutex<[DashboardEvent]>([])
        PollRunner.poll(source, timeout: 0.05) { e in got.withLock { $0.append(e) } }
        await poll(until: { !got.withLock { $0.isEmpty } }, deadline: 30)
        let events = got.withLock { $0 }
        #expect(events.count == 1)
        guard case .snapshot(.failure(let f), _) = events.first else { Issue.record("no failure event"); return }
        #expect(f.message.contains("did not answer"))
    }

    @Test("a store path that does not exist says which server should write it")
    func storeMissing() async {
        do {
            _ = try await StoreSnapshotSource(path: "/nonexistent/metrics.sqlite").snapshot()
        } catch let f as SourceFailure {
            #expect(f.message.contains("/nonexistent/metrics.sqlite"))
            #expect(f.message.contains("churn serve --store"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

/// A source that never answers (until cancelled).
struct HangingSource: SnapshotSource {
    var name: String { "hanging" }
    func snapshot() async throws -> MonitorSnapshot {
        await waitUntilCancelled()
        throw CancellationError()
    }
}

@Suite("Store source")
struct StoreSourceTests {
    @Test("the store source reads what a serving process flushed, and the console renders it")
    func readsFlushedStore() async throws {
        let path = NSTemporaryDirectory() + "churn-store-\(UUID().uuidString).sqlite"
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let model = try ModelArtifact.load(path: BatchRootTests.fixtureModel())
        let writer = try ServiceMonitor(engine: ScoringEngine(artifact: model), store: MetricsStore(path: path))
        let now = Date()
        for i in 0..<40 {
            writer.recordRequest(method: "POST", path: "/predict", status: i == 0 ? 500 : 200, seconds: 0.004, now: now)
        }
        try writer.flush(now: now)

        let source = StoreSnapshotSource(path: path)
        #expect(source.name == "store \(path)")
        let snap = try await source.snapshot()
        #expect(snap.totals.requests == 40)
        #expect(snap.totals.errors == 1)
        #expect(snap.model?.version == model.version)
        let text = SnapshotFrame.render(snap, sourceName: source.name, panel: .overview, width: 80, height: 24,
                                        charset: .utf8, now: now, timeZone: Fixtures.utc)
        #expect(text.contains("total 40"))
    }
}
