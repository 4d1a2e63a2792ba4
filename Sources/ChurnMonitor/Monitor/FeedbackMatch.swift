/// The outcome of joining one observed outcome with the prediction log.
public enum FeedbackMatch: Sendable, Equatable {
    case matched(predicted: Bool)
    case unmatched
}
