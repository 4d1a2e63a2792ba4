/// One point of a range history: what happened in the step ending at `end` (exclusive, Unix seconds).
public struct HistoryPoint: Sendable, Equatable {
    public var end: Int
    public var requestRate: Double
    public var p95: Double?
    public var p99: Double?
    public var errorRate: Double
    /// data_drift_score over the drift window ending at `end` (0 when too few rows to measure).
    public var driftScore: Double
    /// Share of the step's predictions at high risk (nil without predictions).
    public var highRiskShare: Double?

    public init(end: Int, requestRate: Double = 0, p95: Double? = nil, p99: Double? = nil, errorRate: Double = 0,
                driftScore: Double = 0, highRiskShare: Double? = nil) {
        self.end = end
        self.requestRate = requestRate
        self.p95 = p95
        self.p99 = p99
        self.errorRate = errorRate
        self.driftScore = driftScore
        self.highRiskShare = highRiskShare
    }
}
