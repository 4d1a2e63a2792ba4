import Foundation
import Testing
@testable import ChurnHTTP
@testable import ChurnMonitor

@Suite("Alert rules")
struct AlertEngineTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    func engine(hold: Double = 60) -> AlertEngine {
        var settings = AlertRule.Settings()
        settings.setAllHolds(hold)
        return AlertEngine(rules: AlertRule.standard(settings), now: t0)
    }

    func state(_ e: AlertEngine, _ name: String) -> AlertStatus.State { e.states.first { $0.name == name }!.state }

    @Test("a breach is pending first, fires after its hold time, and clears as soon as it stops")
    func lifecycle() {
        var e = engine()
        var inputs = AlertInputs(errorRate5m: 0.2, p99Latency5m: 0.01, driftScore: 0, f1: 0.8)
        e.evaluate(inputs, now: t0.addingTimeInterval(1))
        #expect(state(e, "HighErrorRate") == .pending)
        e.evaluate(inputs, now: t0.addingTimeInterval(60))
        #expect(state(e, "HighErrorRate") == .pending)
        e.evaluate(inputs, now: t0.addingTimeInterval(61))
        #expect(state(e, "HighErrorRate") == .firing)
        #expect(e.states.first { $0.name == "HighErrorRate" }!.since == t0.addingTimeInterval(61))
        inputs.errorRate5m = 0.01
        let cleared = e.evaluate(inputs, now: t0.addingTimeInterval(70))
        #expect(state(e, "HighErrorRate") == .ok)
        #expect(cleared.map { "\($0.from.rawValue)->\($0.to.rawValue)" } == ["firing->ok"])
        #expect(e.transitions.map(\.to) == [.ok, .firing, .pending])
        #expect(["HighLatencyP99", "DataDriftHigh", "ModelF1Low"].allSatisfy { state(e, $0) == .ok })
    }

    @Test("a breach that stops before the hold time never fires")
    func flapping() {
        var e = engine()
        e.evaluate(AlertInputs(errorRate5m: nil, p99Latency5m: 0.9, driftScore: nil, f1: nil), now: t0.addingTimeInterval(1))
        e.evaluate(AlertInputs(errorRate5m: nil, p99Latency5m: 0.1, driftScore: nil, f1: nil), now: t0.addingTimeInterval(30))
        e.evaluate(AlertInputs(errorRate5m: nil, p99Latency5m: 0.9, driftScore: nil, f1: nil), now: t0.addingTimeInterval(50))
        e.evaluate(AlertInputs(errorRate5m: nil, p99Latency5m: 0.9, driftScore: nil, f1: nil), now: t0.addingTimeInterval(100))
        #expect(state(e, "HighLatencyP99") == .pending)
    }

    @Test("low F1 fires below its threshold; unknown values never breach")
    func directions() {
        var e = engine(hold: 0)
        e.evaluate(AlertInputs(errorRate5m: nil, p99Latency5m: nil, driftScore: 0.5, f1: 0.3), now: t0)
        #expect(state(e, "ModelF1Low") == .firing)
        #expect(state(e, "DataDriftHigh") == .firing)
        e.evaluate(AlertInputs(errorRate5m: nil, p99Latency5m: nil, driftScore: .nan, f1: nil), now: t0.addingTimeInterval(1))
        #expect(state(e, "ModelF1Low") == .ok)
        #expect(state(e, "DataDriftHigh") == .ok)
    }
}

@Suite("Latency histogram")
struct LatencyHistogramTests {
    @Test("quantiles land within one bucket of the exact value")
    func quantiles() {
        var rng = SystemRandomNumberGenerator()
        var h = LatencyHistogram()
        var samples: [Double] = []
        for _ in 0..<20_000 {
            let v = exp(Double.random(in: log(5e-5)...log(0.2), using: &rng))
            samples.append(v)
            h.record(v)
        }
        samples.sort()
        for q in [0.5, 0.95, 0.99] {
            let exact = samples[Int(q * Double(samples.count)) - 1]
            let estimate = h.quantile(q)!
            #expect(abs(estimate - exact) / exact < 0.34, "q\(q): \(estimate) vs \(exact)")
        }
        #expect(h.quantile(0.5) != nil && LatencyHistogram().quantile(0.5) == nil)
    }

    @Test("exported Prometheus buckets are cumulative and exact at their bounds")
    func exported() {
        var h = LatencyHistogram()
        for v in [0.00005, 0.0001, 0.0002, 0.0009, 0.003, 0.7, 20] { h.record(v) }
        let cum = h.cumulative()
        #expect(cum[0] == 2)       // le 0.0001
        #expect(cum[1] == 3)       // le 0.00025
        #expect(cum[3] == 4)       // le 0.001
        #expect(cum[5] == 5)       // le 0.005
        #expect(cum[12] == 6)      // le 1
        #expect(cum.last == 6)     // le 10; the 20 s sample is only in +Inf
        #expect(zip(cum, cum.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(LatencyHistogram.exportedBounds.allSatisfy { b in LatencyHistogram.bounds.contains { abs($0 - b) < 1e-12 } })
    }

    @Test("intervals add and subtract exactly")
    func intervals() {
        var a = IntervalStats()
        a.requests = 5; a.errors = 1; a.risk = [1, 2, 3]; a.routes = ["GET /x 200": 5]; a.latency.record(0.001)
        var b = a
        b.add(a)
        #expect(b.requests == 10 && b.routes["GET /x 200"] == 10 && b.latency.total == 2)
        #expect(b.subtracting(a) == a)
    }
}

@Suite("Plain HTTP client")
struct PlainHTTPClientTests {
    @Test("chunked bodies are reassembled; truncated or malformed ones are errors")
    func chunked() throws {
        let body = Data("4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\n\r\n".utf8)
        #expect(String(decoding: try PlainHTTPClient.dechunk(body), as: UTF8.self) == "Wikipedia ")
        #expect(throws: PlainHTTPClient.Failure.self) { _ = try PlainHTTPClient.dechunk(Data("4\r\nWi".utf8)) }
        #expect(throws: PlainHTTPClient.Failure.self) { _ = try PlainHTTPClient.dechunk(Data("zz\r\nWiki\r\n".utf8)) }
    }

    @Test("a closed port is 'connection refused' and an https URL is refused up front")
    func failures() async throws {
        let client = PlainHTTPClient(timeout: 2)
        do {
            _ = try await client.get(URL(string: "http://127.0.0.1:1/x")!)
            Issue.record("connected to port 1")
        } catch {
            #expect("\(error)" == "connection refused")
        }
        await #expect(throws: PlainHTTPClient.Failure.self) { _ = try await client.get(URL(string: "https://127.0.0.1/")!) }
    }

    @Test("the length of a complete answer comes from Content-Length")
    func completeLength() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
        #expect(PlainHTTPClient.completeLength(Data((head + "hel").utf8)) == head.utf8.count + 5)
        #expect(PlainHTTPClient.completeLength(Data("HTTP/1.1 200 OK\r\n".utf8)) == nil)
    }
}
