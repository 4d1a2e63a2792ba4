/// Where a registered model version is in its life: trained and waiting, serving, or retired.
public enum ModelStage: String, Codable, Sendable, CaseIterable {
    /// Registered (trained, imported or pulled) and never served as production.
    case candidate
    /// The version `churn serve --registry` serves. At most one version is in production.
    case production
    /// Served once, then replaced by a promotion or a rollback. It can be promoted again.
    case archived
}
