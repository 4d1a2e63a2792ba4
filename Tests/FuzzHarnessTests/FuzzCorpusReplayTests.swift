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

    /// Each target's checker: nil when the input passes, else what went wrong.
    static let targets: [String: @Sendable ([UInt8]) -> String?] = [
        "csv-reader": CSVReaderFuzz.run,
        "json-request": JSONRequestFuzz.run,
        "promql-response": PromQLResponseFuzz.run,
        "model-artifact": ModelArtifactFuzz.run,
    ]

    /// csv-reader: chunked reads agree, rows are accounted for, formula ids are neutralised. json-request: strict
    /// parse, every problem named. promql-response: decodes or throws PromQLError, finite times, splits lose nothing
    /// extra. model-artifact: a model that loads scores within [0, 1] and round-trips.
    @Test("every corpus input passes its target's checks", arguments: ["csv-reader", "json-request", "promql-response", "model-artifact"])
    func replay(target: String) throws {
        let check = try #require(Self.targets[target])
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= (target == "model-artifact" ? 1 : 4))
        for (name, bytes) in inputs {
            #expect(check(bytes) == nil, "\(target)/\(name)")
        }
    }
}
