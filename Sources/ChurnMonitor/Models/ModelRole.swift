/// What a model does in a scoring process right now.
public enum ModelRole: String, Codable, Sendable {
    /// Scores every customer not sent to the canary.
    case production
    /// Scores a stable share of customers (by id hash) beside production.
    case canary
    /// Was production or canary earlier in this process; kept only so its counters stay exported.
    case retired
}
