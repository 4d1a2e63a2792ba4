import ChurnModel

/// A model loaded for serving: its compiled scorer and the drift binning of its reference profile. Built once
/// per model; the routing that sends customers to it and the monitor's track that counts what it did refer to
/// this same instance, so nothing about a model is built or kept twice.
public final class LoadedModel: Sendable {
    public let engine: ScoringEngine
    public let tally: DriftTally

    public init(engine: ScoringEngine) {
        self.engine = engine
        tally = DriftTally(profile: engine.artifact.reference, layout: engine.layout)
    }

    public convenience init(artifact: ModelArtifact) {
        self.init(engine: ScoringEngine(artifact: artifact))
    }

    public var version: String { engine.version }
    public var artifact: ModelArtifact { engine.artifact }
}
