/// Whether a Platt recalibration of the margin was kept, and the validation log loss without and with it.
public struct CalibrationRecord: Codable, Sendable, Equatable {
    /// "platt" when the scaling was folded into the model, "none" when it did not help enough.
    public var method: String
    public var slope: Double
    public var offset: Double
    public var logLossBefore: Double
    public var logLossAfter: Double

    public init(method: String, slope: Double, offset: Double, logLossBefore: Double, logLossAfter: Double) {
        self.method = method
        self.slope = slope
        self.offset = offset
        self.logLossBefore = logLossBefore
        self.logLossAfter = logLossAfter
    }
}
