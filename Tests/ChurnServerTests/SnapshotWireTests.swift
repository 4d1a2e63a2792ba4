import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Hummingbird
import Logging
import Testing

/// The snapshot codec on both ends of a real socket: what the server's JSON writer sends, the console's API source
/// reads back unchanged, the values JSON cannot spell (NaN, ±infinity) included.
@Suite("Snapshot on the wire", .timeLimit(.minutes(2)))
struct SnapshotWireTests {
    /// A snapshot with NaN and both infinities where Doubles live: top level, nested, optional and in arrays.
    static func nonFinite() -> MonitorSnapshot {
        MonitorSnapshot(
            takenAt: Date(timeIntervalSince1970: 1_800_000_000), source: "api", uptimeSeconds: .infinity,
            windows: [TrafficWindow(seconds: 60, requests: 3, requestRate: .nan, errors: 0, errorRate: -.infinity,
                                    p50: .nan, p95: .infinity, p99: nil, predictions: 3)],
            f1: F1Status(value: .nan, precision: .infinity, recall: -.infinity, labelled: 2, threshold: 0.5),
            drift: DriftStatus(score: .nan, threshold: .infinity, alertThreshold: -.infinity),
            resources: Resources(residentBytes: 1 << 20, cpuSeconds: .nan),
            history: History(step: 10, requestRate: [1, .nan, .infinity], p95: [nil, .nan], p99: [-.infinity],
                             errorRate: [0], driftScore: [.nan]))
    }

    /// Bit patterns aside, NaN never equals itself: compare the two snapshots by their canonical encoding.
    static func canonical(_ s: MonitorSnapshot) throws -> String {
        String(decoding: try SnapshotJSON.encode(s, pretty: false), as: UTF8.self)
    }

    @Test("NaN and ±infinity from the server's writer come back identical through APISnapshotSource")
    func serverToClient() async throws {
        let sent = Self.nonFinite()
        let router = Router()
        router.get("api/v1/stats") { _, _ in APIResponse.json(.ok, encoding: sent) }
        let bound = Locked<Int?>(nil)
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in bound.withLock { $0 = channel.localAddress?.port } },
                              logger: Logger(label: "snapshot-wire-test"))
        let running = Task { try await app.runService() }
        defer { running.cancel() }
        #expect(await poll(until: { bound.withLock { $0 } != nil }))
        let port = try #require(bound.withLock { $0 })

        let got = try await APISnapshotSource(base: URL(string: "http://127.0.0.1:\(port)")!, timeout: loopbackAnswerTimeout).snapshot()
        #expect(got.windows.first?.requestRate.isNaN == true)
        #expect(got.windows.first?.errorRate == -.infinity)
        #expect(got.windows.first?.p95 == .infinity)
        #expect(got.drift.score.isNaN && got.drift.threshold == .infinity && got.drift.alertThreshold == -.infinity)
        #expect(got.f1.value?.isNaN == true && got.f1.precision == .infinity && got.f1.recall == -.infinity)
        #expect(got.uptimeSeconds == .infinity)
        #expect(got.history.requestRate.count == 3 && got.history.requestRate[1].isNaN)
        #expect(try Self.canonical(got) == Self.canonical(sent))
    }

    @Test("the wire spells them as strings a Python or JavaScript client can read, and finite values as numbers")
    func spelling() throws {
        let text = try Self.canonical(Self.nonFinite())
        #expect(text.contains("\"score\":\"NaN\""))
        #expect(text.contains("\"threshold\":\"Infinity\""))
        #expect(text.contains("\"alertThreshold\":\"-Infinity\""))
        #expect(text.contains("\"residentBytes\":1048576"))
        #expect(text.contains("\"takenAt\":\"2027-01-15T08:00:00Z\""))
    }
}
