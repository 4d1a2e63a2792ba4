import ChurnModel
import ChurnMonitor
@testable import ChurnServer
import ChurnTestSupport
import Foundation
import Testing

@Suite("Metrics store and exposition", .serialized)
struct ServerStoreTests {
    @Test("the store survives a restart: totals, alert history and the prediction log for feedback")
    func restart() async throws {
        let dir = NSTemporaryDirectory() + "churn-store-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/metrics.sqlite"
        let first = try await TestServer { $0.storePath = path }
        for i in 0..<7 { #expect(try await first.client.post("/predict", json: TelcoFixture.json(i)).status == 200) }
        #expect(try await first.client.post("/predict", json: "{").status == 400)
        await first.stop()

        // Another process's view while nothing runs: the store alone.
        let reader = try MetricsStore(readingAt: path)
        let offline = try reader.snapshot()
        #expect(offline.totals.requests == 8)
        #expect(offline.totals.predictions == 7)
        #expect(offline.totals.errors == 0)
        #expect(offline.model?.version == TestServer.model.version)
        #expect(try reader.integrityCheck() == "ok")

        let second = try await TestServer { $0.storePath = path }
        // The prediction made before the restart is found in the store.
        let f = try await second.client.post("/feedback", json: "{\"customerID\":\"0003-TEST\",\"churned\":true}")
        #expect((try f.json() as? [String: Any])?["matched"] as? Int == 1)
        #expect(try await second.client.post("/predict", json: TelcoFixture.json(50)).status == 200)
        await second.stop()
        let after = try MetricsStore(readingAt: path).snapshot()
        #expect(after.totals.requests == 10)
        #expect(after.totals.predictions == 8)
    }

    @Test("GET /metrics passes promtool check metrics and carries the seed's metric names")
    func promtool() async throws {
        try await TestServer.with { server in
            for i in 0..<30 { _ = try await server.client.post("/predict", json: TelcoFixture.json(i)) }
            _ = try await server.client.get("/nope")
            let text = try await server.client.get("/metrics").text
            // Requests a model answered, and predictions, also carry the model's version (sums over labels are unchanged).
            let v = "model_version=\"\(TestServer.model.version)\""
            for name in ["http_requests_total{method=\"POST\",\(v),path=\"/predict\",status=\"200\"} 30",
                         "http_request_duration_seconds_bucket{le=\"0.0001\"}", "http_request_duration_seconds_bucket{le=\"+Inf\"}",
                         "http_request_duration_seconds_count{\(v)} 30",
                         "predictions_total{\(v),risk_level=\"high\"}", "model_f1_score", "data_drift_score",
                         "churn_feature_drift_psi{feature=\"tenure\"}", "churn_feature_bin_total{bin=\"0\",feature=\"Contract\",\(v)}",
                         "churn_model_info{learner=\"logistic\",role=\"production\",version=\"\(TestServer.model.version)\"} 1",
                         "churn_model_reload_total{result=\"refused\"} 0",
                         "process_resident_memory_bytes", "process_cpu_seconds_total",
                         "http_requests_total{method=\"GET\",path=\"unmatched\",status=\"404\"} 1"] {
                #expect(text.contains(name), "missing \(name)")
            }
            let result = try runTool("promtool", ["check", "metrics"], stdin: Data(text.utf8))
            #expect(result.status == 0, "promtool: \(result.output)")
            #expect(result.output.isEmpty, "promtool findings: \(result.output)")
        }
    }

    func runTool(_ tool: String, _ args: [String], stdin: Data) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let input = Pipe()
        let output = Pipe()
        p.standardInput = input
        p.standardOutput = output
        p.standardError = output
        try p.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
