/// What a training run is doing, for a person watching it: the phase, how far into it, and what it last measured.
///
/// The trainer calls the handler from its own thread, often (every boosting round); a handler that draws should
/// rate-limit itself.
public struct TrainingProgress: Sendable {
    public enum Phase: String, Sendable {
        /// Reading the file and encoding its columns (reported by the caller, which does the reading).
        case reading = "reading and encoding"
        case crossValidation = "cross-validation"
        case holdout = "validation"
        case refit = "refit on all rows"
        case calibration
    }

    public var phase: Phase
    /// Share of the phase done, 0...1 (an estimate while early stopping may end a fit sooner).
    public var fraction: Double
    /// What is running and its latest figure, e.g. "gbt fold 2/5, round 140, validation log loss 0.4127".
    public var detail: String
    /// True once, when the phase has ended.
    public var finished: Bool

    public init(phase: Phase, fraction: Double, detail: String, finished: Bool = false) {
        self.phase = phase
        self.fraction = fraction
        self.detail = detail
        self.finished = finished
    }
}

/// Receives training progress; see `TrainingProgress`.
public typealias TrainingProgressHandler = @Sendable (TrainingProgress) -> Void
