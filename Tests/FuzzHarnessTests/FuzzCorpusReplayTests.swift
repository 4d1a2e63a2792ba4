import Foundation
import FuzzHarness
import Testing

/// Every input in `Corpus/<target>/` goes through the same code the libFuzzer target runs (scripts/fuzz/run).
/// `seed-*` files are the fuzzers' starting points; `crash-*` files are inputs a fuzzer once found crashing or
/// breaking an invariant, kept so the bug stays fixed (docs/reliability.md lists them).
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    static func inputs(_ target: String) throws -> [(String, [UInt8])] {
        let dir = try #require(Bundle.module.url(forResource: "Corpus", withExtension: nil)).appendingPathComponent(target)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: dir.appendingPathComponent($0)))) }
    }

    @Test("CSV reader: chunked reads agree, rows are accounted for, formula ids are neutralised")
    func csvReader() throws {
        let inputs = try Self.inputs("csv-reader")
        #expect(inputs.count >= 4)
        for (name, bytes) in inputs {
            #expect(CSVReaderFuzz.run(bytes) == nil, "\(name)")
        }
    }

    @Test("JSON request decoder: strict parse, every problem named")
    func jsonRequest() throws {
        let inputs = try Self.inputs("json-request")
        #expect(inputs.count >= 4)
        for (name, bytes) in inputs {
            #expect(JSONRequestFuzz.run(bytes) == nil, "\(name)")
        }
    }

    @Test("PromQL response decoder: decodes or throws PromQLError, finite times, splits lose nothing extra")
    func promQLResponse() throws {
        let inputs = try Self.inputs("promql-response")
        #expect(inputs.count >= 4)
        for (name, bytes) in inputs {
            #expect(PromQLResponseFuzz.run(bytes) == nil, "\(name)")
        }
    }

    @Test("model artifact loader: a model that loads scores within [0, 1] and round-trips")
    func modelArtifact() throws {
        let inputs = try Self.inputs("model-artifact")
        #expect(inputs.count >= 1)
        for (name, bytes) in inputs {
            #expect(ModelArtifactFuzz.run(bytes) == nil, "\(name)")
        }
    }
}
