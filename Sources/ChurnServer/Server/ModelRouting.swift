import ChurnModel
import ChurnMonitor

/// Which model scores which customer: production, or a canary for a stable share of customers chosen by a hash
/// of their id. The one owner of that decision: the monitor follows its `lineup`. Immutable; `ScoringService`
/// swaps a whole new routing in at once, and a request keeps the routing it started with, so in-flight requests
/// finish on the models they began with.
public struct ModelRouting: Sendable {
    public let production: ServingModel
    public let canary: ServingModel?
    /// Share of customers (0–1) sent to the canary.
    public let canaryShare: Double
    /// Customers whose bucket (0..<10,000) is below this go to the canary.
    private let cutoff: UInt64

    public init(production: ServingModel, canary: ServingModel? = nil, canaryShare: Double = 0) {
        self.production = production
        self.canary = canary
        self.canaryShare = canary == nil ? 0 : min(1, max(0, canaryShare))
        cutoff = UInt64((self.canaryShare * Double(ModelRouting.buckets)).rounded())
    }

    static let buckets: UInt64 = 10_000

    /// The model for a customer id. The same id always gets the same model (FNV-1a 64 of the trimmed id, as
    /// `churn score --shard` uses); customers without an id go to production.
    @inline(__always)
    public func model(forCustomer id: String) -> ServingModel {
        guard let canary, cutoff > 0, !id.isEmpty else { return production }
        return ModelRouting.bucket(id) < cutoff ? canary : production
    }

    /// The customer's bucket in 0..<10,000.
    public static func bucket(_ id: String) -> UInt64 {
        var id = id
        return id.withUTF8 { Shard.hash(FieldParsing.trim($0)) } % buckets
    }

    /// The models and share, as the monitor follows them.
    public var lineup: ModelLineup {
        ModelLineup(production: production.loaded, canary: canary?.loaded, canaryShare: canaryShare)
    }

    /// The same routing with another production model (a canary that becomes production stops being a canary).
    public func replacingProduction(_ model: ServingModel) -> ModelRouting {
        let keep = canary.flatMap { $0.engine.version == model.engine.version ? nil : $0 }
        return ModelRouting(production: model, canary: keep, canaryShare: canaryShare)
    }
}
