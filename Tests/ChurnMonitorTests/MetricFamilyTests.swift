import ChurnModel
import Foundation
import Testing
@testable import ChurnMonitor

/// `GET /metrics` against its table of names (`MetricFamily`), and the table against what infrastructure/ reads.
@Suite("Prometheus exposition and its table of names")
struct MetricFamilyTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    /// A monitor with production, a canary, a retired model, requests of both kinds, predictions and a reload,
    /// so every family has samples.
    static func busyMonitor() throws -> ServiceMonitor {
        var base = try ModelArtifact.bundledDefault()
        base.version = "prod-1"
        var other = base
        other.version = "canary-2"
        var old = base
        old.version = "old-0"
        let oldModel = LoadedModel(artifact: old)
        let production = LoadedModel(artifact: base)
        let canary = LoadedModel(artifact: other)
        let monitor = try ServiceMonitor(model: oldModel, store: nil)
        monitor.recordRequest(method: "POST", path: "/predict", status: 200, seconds: 0.002, modelVersion: "old-0")
        monitor.follow(ModelLineup(production: production, canary: canary, canaryShare: 0.25))
        monitor.recordReload(ModelReload(at: Date(), version: "prod-1", result: .ok, reason: nil))
        monitor.recordRequest(method: "GET", path: "/health", status: 200, seconds: 0.0001)
        monitor.recordRequest(method: "POST", path: "/predict", status: 200, seconds: 0.003, modelVersion: "prod-1")
        monitor.recordRequest(method: "POST", path: "/predict", status: 200, seconds: 0.004, modelVersion: "canary-2")
        for model in [production, canary] {
            var bins: [Int] = []
            var offset = 0
            for column in model.artifact.reference.columns {
                bins.append(offset + column.missingBin)
                offset += column.binCount
            }
            monitor.recordPredictions((0..<5).map {
                PredictionEvent(customerID: "\(model.version)-\($0)", probability: 0.8, risk: .high, bins: bins, modelVersion: model.version)
            })
        }
        return monitor
    }

    @Test("every family of the table is exported once, in table order, with its type; every sample has its labels")
    func exposition() throws {
        let text = try Self.busyMonitor().prometheusText()
        var families: [String] = []
        var sampled: Set<String> = []
        for line in text.split(separator: "\n").map(String.init) {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ").map(String.init)
                let family = try #require(MetricFamily(rawValue: parts[2]), "unknown family \(parts[2])")
                #expect(parts[3] == family.spec.type, "\(line)")
                families.append(parts[2])
                continue
            }
            if line.hasPrefix("#") { continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            var base = name
            for suffix in ["_bucket", "_sum", "_count"] where MetricFamily(rawValue: name) == nil && name.hasSuffix(suffix) {
                base = String(name.dropLast(suffix.count))
            }
            let family = try #require(MetricFamily(rawValue: base), "sample of unknown family: \(line)")
            #expect(base == families.last, "sample outside its family's block: \(line)")
            sampled.insert(base)
            var keys: Set<String> = []
            if let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") {
                for pair in line[line.index(after: open)..<close].split(separator: ",") {
                    keys.insert(String(pair.prefix { $0 != "=" }))
                }
            }
            let spec = family.spec
            #expect(Set(spec.labels).isSubset(of: keys), "\(line) lacks labels \(spec.labels)")
            #expect(keys.isSubset(of: Set(spec.labels + spec.optional)), "\(line) has labels beyond \(spec.labels + spec.optional)")
        }
        #expect(families == MetricFamily.allCases.map(\.rawValue))
        #expect(sampled == Set(MetricFamily.allCases.map(\.rawValue)), "families without samples: \(Set(families).subtracting(sampled))")
        // The model_version label goes on requests a model answered, never on the others.
        #expect(text.contains("http_requests_total{method=\"GET\",path=\"/health\",status=\"200\"} 1"))
        #expect(text.contains("http_requests_total{method=\"POST\",model_version=\"canary-2\",path=\"/predict\",status=\"200\"} 1"))
        #expect(text.contains("churn_model_traffic_share{model_version=\"canary-2\"} 0.25"))
        #expect(text.contains("predictions_total{model_version=\"old-0\",risk_level=\"low\"} 0"))
    }

    @Test("every metric name infrastructure/ reads (alert rules, promtool tests, Grafana) is in the table")
    func infrastructureNames() throws {
        let files = ["infrastructure/monitoring/alerts.yml", "infrastructure/monitoring/alerts.test.yml",
                     "infrastructure/monitoring/grafana/dashboards/churn-api.json"]
        var names: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: Self.root + "/" + file, encoding: .utf8)
            for match in text.matches(of: #/\b(?:http|predictions|model|data|churn|process)_[a-z0-9_]+\b/#) {
                names.insert(String(match.output))
            }
        }
        names.remove("churn_api")  // a job name, not a metric
        #expect(names.count >= 5, "found only \(names.sorted())")
        let known = Set(MetricFamily.allCases.flatMap { f in
            f.spec.type == "histogram" ? [f.rawValue, f.rawValue + "_bucket", f.rawValue + "_sum", f.rawValue + "_count"] : [f.rawValue]
        })
        #expect(names.subtracting(known).isEmpty, "read by infrastructure/ but not exported: \(names.subtracting(known).sorted())")
    }
}
