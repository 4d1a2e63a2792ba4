import ChurnModel

/// One prediction as the monitor records it: who, what was predicted, and the row's drift bins.
public struct PredictionEvent: Sendable {
    public var customerID: String?
    public var probability: Double
    public var risk: RiskLevel
    /// Flat drift bin index of each column, in the layout of the model that scored the row (`DriftTally.binIndexes`).
    public var bins: [Int]
    /// The model that scored the row; nil means whichever is production when it is recorded.
    public var modelVersion: String?

    public init(customerID: String?, probability: Double, risk: RiskLevel, bins: [Int], modelVersion: String? = nil) {
        self.customerID = customerID
        self.probability = probability
        self.risk = risk
        self.bins = bins
        self.modelVersion = modelVersion
    }
}
