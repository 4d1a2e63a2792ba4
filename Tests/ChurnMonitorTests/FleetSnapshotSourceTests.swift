import ChurnModel
import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnMonitor

/// The Prometheus source against a fake Prometheus over real sockets: what each answer becomes on screen.
@Suite("Fleet snapshot source", .serialized)
struct FleetSnapshotSourceTests {
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let artifact: ModelArtifact

    init() throws { artifact = try ModelArtifact.bundledDefault() }

    func source(_ p: FakePrometheus, timeout: Double = loopbackAnswerTimeout, auth: PrometheusAuth = .none, model: ModelArtifact? = nil) -> FleetSnapshotSource {
        FleetSnapshotSource(client: PrometheusClient(base: p.url, auth: auth, timeout: timeout), selector: .standard,
                            model: model ?? artifact)
    }

    /// A fleet of two live replicas and one down, serving `version`.
    func fleet(version: String? = nil, otherVersion: String? = nil) -> String {
        let v = version ?? artifact.version
        var parts: [(String, [String: String], String)] = [
            ("up", ["instance": "10.0.0.5:8000", "job": "churn-api"], "1"),
            ("up", ["instance": "10.0.0.6:8000", "job": "churn-api"], "1"),
            ("up", ["instance": "10.0.0.7:8000", "job": "churn-api"], "0"),
            ("model_info", ["instance": "10.0.0.5:8000", "version": v, "learner": "logistic"], "1"),
            ("model_info", ["instance": "10.0.0.6:8000", "version": otherVersion ?? v, "learner": "logistic"], "1"),
            ("total_requests", [:], "1500"), ("total_errors", [:], "30"),
            ("total_by_risk", ["risk_level": "low"], "700"), ("total_by_risk", ["risk_level": "medium"], "400"),
            ("total_by_risk", ["risk_level": "high"], "300"),
            ("f1", ["instance": "10.0.0.5:8000"], "0.71"), ("f1", ["instance": "10.0.0.6:8000"], "NaN"),
            ("replica_rate", ["instance": "10.0.0.5:8000"], "12.5"), ("replica_rate", ["instance": "10.0.0.6:8000"], "7.5"),
            ("replica_p99", ["instance": "10.0.0.5:8000"], "0.004"), ("replica_p99", ["instance": "10.0.0.6:8000"], "NaN"),
            ("replica_memory", ["instance": "10.0.0.5:8000"], "41000000"), ("replica_memory", ["instance": "10.0.0.6:8000"], "52000000"),
            ("replica_cpu", ["instance": "10.0.0.5:8000"], "3.5"), ("replica_cpu", ["instance": "10.0.0.6:8000"], "1.5"),
            ("rate_60", [:], "20"), ("error_rate_60", [:], "0.5"), ("requests_60", [:], "1200.4"), ("errors_60", [:], "30"),
            ("predictions_60", [:], "1100"), ("p50_60", [:], "0.001"), ("p95_60", [:], "0.003"), ("p99_60", [:], "0.0045"),
            ("rate_300", [:], "4"), ("p99_900", [:], "+Inf"),
            ("drift_replicas", [:], "2"),
        ]
        // 300 rows, all in the first bin of every feature: heavily drifted.
        for column in artifact.reference.columns {
            parts.append(("drift_bins", ["feature": column.name, "bin": "0"], "300"))
        }
        return FakePrometheus.vector(parts)
    }

    let rules = #"""
    {"status":"success","data":{"groups":[{"name":"churn-api","rules":[
      {"state":"firing","name":"DataDriftHigh","query":"data_drift_score{job=\"churn-api\"} > 0.3","duration":600,
       "annotations":{"summary":"drifted"},"alerts":[{"labels":{"instance":"10.0.0.6:8000"},"state":"firing",
       "activeAt":"2027-01-15T07:50:00Z","value":"4.2e-01"}],"health":"ok","type":"alerting"},
      {"state":"inactive","name":"HighErrorRate","query":"sum(rate(http_requests_total[5m])) > 0.05","duration":300,
       "annotations":{"summary":"errors"},"alerts":[],"health":"ok","type":"alerting"}]}]}}
    """#

    @Test("every Overview figure, the replicas and the alerts come from one poll")
    func fullSnapshot() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query_range", .init(status: 200, body: #"""
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"churn_query":"rate"},"values":[[1799999990,"3"],[1800000000,"5"]]},
          {"metric":{"churn_query":"p99"},"values":[[1800000000,"NaN"]]}]}}
        """#))
        p.answer("/api/v1/query", .init(status: 200, body: fleet()))
        p.answer("/api/v1/rules", .init(status: 200, body: rules))
        // A 30 s client timeout: Prometheus is asked to give up first, at 80% of it.
        let snap = try await source(p, timeout: 30).snapshot(now: t0)

        #expect(snap.takenAt == t0)
        #expect(snap.source == #"prometheus http://127.0.0.1:\#(p.port) {job="churn-api"}"#)
        let w = try #require(snap.window(60))
        #expect(w.requestRate == 20 && w.requests == 1200 && w.errors == 30 && w.errorRate == 0.025)
        #expect(w.p50 == 0.001 && w.p95 == 0.003 && w.p99 == 0.0045 && w.predictions == 1100)
        #expect(snap.window(300)?.requestRate == 4)
        #expect(snap.window(900)?.p99 == nil, "+Inf is no latency")
        #expect(snap.totals == Totals(requests: 1500, errors: 30, predictions: 1400, byRisk: ["low": 700, "medium": 400, "high": 300]))
        #expect(snap.f1.value == 0.71, "NaN replicas have no F1 yet")
        #expect(snap.resources == Resources(residentBytes: 52_000_000, cpuSeconds: 5))
        #expect(snap.replicas == [
            ReplicaStatus(instance: "10.0.0.5:8000", up: true, requestRate: 12.5, p99: 0.004, residentBytes: 41_000_000,
                          modelVersion: artifact.version),
            ReplicaStatus(instance: "10.0.0.6:8000", up: true, requestRate: 7.5, p99: nil, residentBytes: 52_000_000,
                          modelVersion: artifact.version),
            ReplicaStatus(instance: "10.0.0.7:8000", up: false),
        ])
        #expect(snap.drift.rows == 300 && snap.drift.isWarm && snap.drift.score > 0.5)
        #expect(snap.warnings == nil)
        #expect(snap.alerts.map(\.name) == ["DataDriftHigh", "HighErrorRate"])
        #expect(snap.alerts[0].state == .firing && snap.alerts[0].value == 0.42 && snap.alerts[0].threshold == 0.3)
        #expect(snap.alerts[1].state == .ok)
        #expect(snap.history.step == 10 && snap.history.requestRate.count == 90)
        #expect(snap.history.requestRate.suffix(2) == [3, 5])
        #expect(snap.history.p99.last! == nil)
        #expect(snap.model?.version == artifact.version)

        // One instant query at the snapshot's time, POSTed with the selector inside.
        let query = try #require(p.requests.withLock { $0 }.first { $0.hasPrefix("POST /api/v1/query ") })
        #expect(query.contains("time=1800000000.000"))
        #expect(query.contains("timeout=24000ms"))
        #expect(query.removingPercentEncoding?.contains(#"up{job="churn-api"}"#) == true)
    }

    @Test("a fleet serving another model is flagged, and drift counts only the replicas serving the reference")
    func modelMismatch() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query", .init(status: 200, body: fleet(otherVersion: "gbt-20270101-deadbeef")))
        p.answer("/api/v1/rules", .init(status: 200, body: rules))
        let snap = try await source(p).snapshot(now: t0)
        let warnings = try #require(snap.warnings)
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings[0].contains("MODEL MISMATCH"))
        #expect(warnings[0].contains("1 of 2 replicas serve gbt-20270101-deadbeef"))
        #expect(warnings[0].contains("only the 1 serving \(artifact.version)"))
        #expect(warnings[1].contains("history unavailable"), "no range answer configured: a 404")

        p.answer("/api/v1/query", .init(status: 200, body: fleet(version: "gbt-20270101-deadbeef")))
        let none = try await source(p).snapshot(now: t0)
        #expect(none.warnings?.first?.contains("drift is not computed") == true)
    }

    @Test("Prometheus's own error reaches the screen with its type and message")
    func queryError() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query", .init(status: 400, body: #"{"status":"error","errorType":"bad_data","error":"1:8: parse error: unexpected character"}"#))
        do {
            _ = try await source(p).snapshot(now: t0)
            Issue.record("a failed query gave a snapshot")
        } catch let e as FleetSourceError {
            #expect(e.message.contains("bad_data: 1:8: parse error: unexpected character"))
            #expect(e.message.contains("--selector"))
        }
    }

    @Test("a proxy's HTML error page is an HTTP error naming the status, with an auth hint for 401")
    func httpError() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query", .init(status: 401, body: "<html>Unauthorized</html>"))
        do {
            _ = try await source(p).snapshot(now: t0)
            Issue.record("a 401 gave a snapshot")
        } catch let e as FleetSourceError {
            #expect(e.message.contains("answered HTTP 401"))
            #expect(e.message.contains("--bearer-token-file"))
        }
    }

    @Test("an unreachable Prometheus says so and where")
    func unreachable() async throws {
        let p = try FakePrometheus()
        let url = p.url
        p.stop()
        let s = FleetSnapshotSource(client: PrometheusClient(base: url, timeout: 2), model: artifact)
        do {
            _ = try await s.snapshot(now: t0)
            Issue.record("reached a stopped server")
        } catch let e as FleetSourceError {
            #expect(e.message.contains("cannot reach Prometheus at http://127.0.0.1:\(url.port!)"))
        }
    }

    @Test("a query slower than the timeout ends as a timeout naming it, not a hang", .timeLimit(.minutes(1)))
    func timeout() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        // Held for an hour (until stop): only the client's own deadline can end the poll.
        p.answer("/api/v1/query", .init(status: 200, body: fleet(), delay: 3600))
        do {
            _ = try await source(p, timeout: 0.5).snapshot(now: t0)
            Issue.record("a hanging query gave a snapshot")
        } catch let e as FleetSourceError {
            #expect(e.message.contains("no answer within 0.5"), "\(e.message)")
        }
    }

    @Test("no target behind the selector is an error that points at --selector")
    func noTargets() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query", .init(status: 200, body: FakePrometheus.vector([])))
        do {
            _ = try await source(p).snapshot(now: t0)
            Issue.record("an empty fleet gave a snapshot")
        } catch let e as FleetSourceError {
            #expect(e.message.contains(#"no target matching {job="churn-api"}"#))
            #expect(e.message.contains("check --selector"))
        }
    }

    @Test("credentials from files: a bearer token, or basic auth from user:password")
    func credentials() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query", .init(status: 200, body: fleet()))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-auth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let token = dir.appendingPathComponent("token").path, basic = dir.appendingPathComponent("basic").path
        try "s3cret-token\n".write(toFile: token, atomically: true, encoding: .utf8)
        try "ops:pa:ss\n".write(toFile: basic, atomically: true, encoding: .utf8)
        _ = try await source(p, auth: .bearerTokenFile(token)).snapshot(now: t0)
        #expect(p.requests.withLock { $0 }.contains { $0.contains("Authorization: Bearer s3cret-token\r\n") })
        _ = try await source(p, auth: .basicAuthFile(basic)).snapshot(now: t0)
        let expected = "Basic " + Data("ops:pa:ss".utf8).base64EncodedString()
        #expect(p.requests.withLock { $0 }.contains { $0.contains("Authorization: \(expected)\r\n") })
        #expect(throws: PromQLError.self) { try PrometheusAuth.bearerTokenFile(dir.appendingPathComponent("missing").path).header() }
        try "no-colon\n".write(toFile: basic, atomically: true, encoding: .utf8)
        #expect(throws: PromQLError.self) { try PrometheusAuth.basicAuthFile(basic).header() }
    }

    @Test("fleet drift history builds up from the source's own polls")
    func driftHistory() async throws {
        let p = try FakePrometheus()
        defer { p.stop() }
        p.answer("/api/v1/query", .init(status: 200, body: fleet()))
        let s = source(p)
        _ = try await s.snapshot(now: t0)
        let later = try await s.snapshot(now: t0.addingTimeInterval(20))
        let series = later.history.driftScore
        #expect(series.count == 90)
        #expect(series[89] > 0.5 && series[87] > 0.5 && series[88] == 0 && series[86] == 0)
    }
}
