import ChurnModel
import ChurnMonitor

/// A loaded model with everything a request needs: the scorer, the JSON decoder for its schema, and the drift
/// binning of its reference profile. Immutable, so a new model can replace it atomically.
public final class ServingModel: Sendable {
    public let engine: ScoringEngine
    public let decoder: CustomerDecoder
    public let tally: DriftTally

    public init(artifact: ModelArtifact) {
        engine = ScoringEngine(artifact: artifact)
        decoder = CustomerDecoder(schema: artifact.schema, reference: artifact.reference)
        tally = DriftTally(profile: artifact.reference, layout: engine.layout)
    }

    public var artifact: ModelArtifact { engine.artifact }
}
