import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension MetricsStore {
    /// Records a new production model: its summary and reference profile, and the first interval whose drift
    /// bins belong to it (`reference_since`), so readers never compare one model's bins with another's profile.
    public func recordProductionModel(_ artifact: ModelArtifact, referenceSince: Int) throws {
        let model = try MetricsStore.json(ModelSummary(artifact))
        let reference = try MetricsStore.json(artifact.reference)
        try pool.write("recording the production model") { db in
            try MetricsStore.setMeta(db, "model", model)
            try MetricsStore.setMeta(db, "reference", reference)
            try MetricsStore.setMeta(db, "reference_since", String(referenceSince))
        }
    }
}
