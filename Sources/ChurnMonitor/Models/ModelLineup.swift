/// The models a service scores with, as its router decided them: production, and optionally a canary taking a
/// share of customers. The monitor follows a lineup (`ServiceMonitor.follow`); it never decides one.
public struct ModelLineup: Sendable {
    public var production: LoadedModel
    public var canary: LoadedModel?
    /// Share of customers (0–1) sent to the canary; 0 without one.
    public var canaryShare: Double

    public init(production: LoadedModel, canary: LoadedModel? = nil, canaryShare: Double = 0) {
        self.production = production
        self.canary = canary
        self.canaryShare = canary == nil ? 0 : canaryShare
    }
}
