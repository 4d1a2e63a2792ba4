import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One fuzz input through the model-artifact loader, and through everything a server does with a model it has
/// loaded: compile the scoring engine, describe the model (`GET /model`), score and explain a customer whose
/// values are all missing, and count that row into the drift bins.
///
/// Besides "does not crash", a model that loads must give a probability in [0, 1] (a NaN would crash the
/// response writer), and must survive being written and read back unchanged.
public enum ModelArtifactFuzz {
    /// Runs one input; returns the first broken invariant, or nil.
    public static func run(_ input: [UInt8]) -> String? {
        let artifact: ModelArtifact
        do {
            artifact = try ModelArtifact.decode(Data(input), file: "fuzz")
        } catch {
            _ = error.description
            return nil
        }
        let engine = ScoringEngine(artifact: artifact)
        _ = ModelDescription(artifact)
        let encoder = RowEncoder(schema: artifact.schema)
        var row = encoder.makeRow()
        for c in artifact.schema.features.indices { _ = encoder.encodeNumber(c, nil, into: &row) }
        let p = engine.probability(row)
        guard p >= 0 && p <= 1 else { return "a loaded model scores an all-missing customer as \(p)" }
        _ = engine.risk(p)
        _ = engine.reasons(row)
        // Rows at the edge of a double, in both directions: still a probability.
        for pattern in 0..<3 {
            for (j, feature) in artifact.layout.features.enumerated() {
                let sign: Double = pattern == 0 ? 1 : pattern == 1 ? -1 : (j % 2 == 0 ? 1 : -1)
                row.values[j] = feature.isIndicator ? 1 : sign * 1.7976931348623157e308
            }
            let q = engine.probability(row)
            guard q >= 0 && q <= 1 else { return "a loaded model scores an extreme customer (pattern \(pattern)) as \(q)" }
            _ = engine.reasons(row)
        }
        _ = DriftTally(profile: artifact.reference, layout: artifact.layout).binIndexes(row)
        do {
            let again = try ModelArtifact.decode(try artifact.jsonData(), file: "fuzz (written back)")
            if again != artifact { return "the model changes when written and read back" }
        } catch {
            return "a loaded model cannot be written and read back: \(error)"
        }
        return nil
    }
}
