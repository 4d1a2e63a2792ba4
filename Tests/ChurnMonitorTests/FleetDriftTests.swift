import ChurnModel
import ChurnTestSupport
import Foundation
import Testing
@testable import ChurnMonitor

/// Fleet drift is the drift of the union of the replicas' traffic: the bin counters each replica exports add up.
@Suite("Fleet drift from summed bin counters")
struct FleetDriftTests {
    let artifact: ModelArtifact
    let engine: ScoringEngine

    init() throws {
        artifact = try ModelArtifact.bundledDefault()
        engine = ScoringEngine(artifact: artifact)
    }

    /// Generated customers, encoded as the server encodes them.
    func customers(seed: UInt64, drift: Double, count: Int) throws -> [EncodedRow] {
        let bytes = CustomerGenerator(options: .init(rows: count, seed: seed, labelled: false, drift: drift)).csvFile()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fleet-drift-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let header = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self).split(separator: ",").map(String.init)
        let encoder = try RowEncoder(schema: artifact.schema, header: header)
        var rows: [EncodedRow] = []
        try CSVReader.forEachRecord(path: path) { record in
            var row = encoder.makeRow()
            if encoder.encode(record, into: &row) == nil { rows.append(row) }
        }
        return rows
    }

    /// A replica's monitor after scoring `rows`.
    func replica(_ rows: [EncodedRow]) throws -> ServiceMonitor {
        let m = try ServiceMonitor(engine: engine, store: nil)
        m.recordPredictions(rows.map { row in
            let p = engine.probability(row)
            return PredictionEvent(customerID: nil, probability: p, risk: engine.risk(p), bins: m.bins(row))
        })
        return m
    }

    /// What `sum by (feature, bin) (churn_feature_bin_total)` answers over these replicas' /metrics, as Prometheus
    /// sends it (JSON), decoded by the real decoder.
    func summedBinCounters(_ replicas: [ServiceMonitor]) throws -> [PromQLSample] {
        var sums: [String: (feature: String, bin: String, value: Double)] = [:]
        for r in replicas {
            for line in r.prometheusText().split(separator: "\n") where line.hasPrefix("churn_feature_bin_total{") {
                // churn_feature_bin_total{bin="3",feature="tenure"} 42
                let labels = line.split(separator: "{")[1].split(separator: "}")[0]
                var bin = "", feature = ""
                for pair in labels.split(separator: ",") {
                    let kv = pair.split(separator: "=", maxSplits: 1)
                    let value = String(kv[1].dropFirst().dropLast())
                    if kv[0] == "bin" { bin = value } else if kv[0] == "feature" { feature = value }
                }
                let value = Double(line.split(separator: " ").last!)!
                sums["\(feature)/\(bin)", default: (feature, bin, 0)].value += value
            }
        }
        let json = FakePrometheus.vector(sums.values.map { ("drift_bins", ["feature": $0.feature, "bin": $0.bin], PrometheusText.number($0.value)) })
        return FleetQueries.split(try PromQLResponse.decode(Data(json.utf8)).vector())["drift_bins"] ?? []
    }

    @Test("two replicas with different traffic: the drift of their summed counters equals the drift of the union")
    func unionOfTwoReplicas() throws {
        let calm = try customers(seed: 11, drift: 0, count: 700)
        let shifted = try customers(seed: 12, drift: 0.9, count: 450)
        let a = try replica(calm), b = try replica(shifted)
        let union = try replica(calm + shifted)

        let (counts, ignored) = FleetDrift.counts(try summedBinCounters([a, b]), profile: artifact.reference)
        #expect(ignored == 0)
        let fleet = FleetDrift.status(counts, profile: artifact.reference)
        let expected = union.snapshot().drift
        #expect(fleet.rows == calm.count + shifted.count)
        #expect(fleet == expected, "fleet drift must be the union's, feature by feature")

        // The check means something only if the replicas disagree with the fleet and with each other.
        let ownA = a.snapshot().drift, ownB = b.snapshot().drift
        #expect(ownA.features != fleet.features && ownB.features != fleet.features)
        #expect(ownB.score > ownA.score)
        let tenure = { (d: DriftStatus) in d.features.first { $0.name == "tenure" }!.psi }
        #expect(tenure(fleet) > tenure(ownA) && tenure(fleet) < tenure(ownB))
    }

    @Test("however traffic is spread over replicas, fleet drift is the same", arguments: [1, 3, 5])
    func spreadDoesNotMatter(_ replicas: Int) throws {
        let rows = try customers(seed: 21, drift: 0.5, count: 600)
        var monitors: [ServiceMonitor] = []
        for r in 0..<replicas {
            monitors.append(try replica(rows.enumerated().filter { $0.offset % replicas == r }.map(\.element)))
        }
        let (counts, _) = FleetDrift.counts(try summedBinCounters(monitors), profile: artifact.reference)
        #expect(FleetDrift.status(counts, profile: artifact.reference) == (try replica(rows)).snapshot().drift)
    }

    @Test("below the minimum rows the score is 0, as on a single server; foreign bins are left out and counted")
    func minimumRowsAndForeignBins() throws {
        let few = try customers(seed: 31, drift: 1, count: 50)
        var samples = try summedBinCounters([try replica(few)])
        samples.append(PromQLSample(labels: ["feature": "not_a_feature", "bin": "0"], time: 0, value: 5))
        samples.append(PromQLSample(labels: ["feature": "tenure", "bin": "999"], time: 0, value: 5))
        samples.append(PromQLSample(labels: ["feature": "tenure", "bin": "0"], time: 0, value: .nan))
        let (counts, ignored) = FleetDrift.counts(samples, profile: artifact.reference)
        #expect(ignored == 3)
        let status = FleetDrift.status(counts, profile: artifact.reference)
        #expect(status.rows == 50 && !status.isWarm && status.score == 0)
        #expect(status.minimumRows == DriftReport.minimumRows(for: artifact.reference) && status.minimumRows > 50)
        #expect(status.features.contains { $0.psi > 0.25 }, "PSI per feature is still shown while warming up")
    }
}
