import ChurnModel
import ChurnMonitor

/// A loaded model with everything a request needs: the scorer and drift binning (`LoadedModel`, the same
/// instance the monitor counts for) and the JSON decoder for its schema. Immutable, so a new model can replace it
/// atomically.
public final class ServingModel: Sendable {
    public let loaded: LoadedModel
    public let decoder: CustomerDecoder

    public init(artifact: ModelArtifact) {
        loaded = LoadedModel(artifact: artifact)
        decoder = CustomerDecoder(schema: artifact.schema, reference: artifact.reference)
    }

    public var engine: ScoringEngine { loaded.engine }
    public var tally: DriftTally { loaded.tally }
    public var artifact: ModelArtifact { engine.artifact }
}
