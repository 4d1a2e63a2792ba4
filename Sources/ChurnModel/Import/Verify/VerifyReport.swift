/// What `churn import verify` found: rows scored, how long the scoring took, and (with expected probabilities)
/// how far the artifact's probabilities are from the library's.
public struct VerifyReport: Codable, Sendable, Equatable {
    public var rows: Int
    public var rejected: Int
    public var threads: Int
    /// Seconds of each timed run (encoding excluded).
    public var seconds: [Double]
    public var median: Double
    /// Rows compared with the expected probabilities (0 without them).
    public var compared = 0
    /// The largest absolute difference (infinity when a probability is NaN on either side); nil without expected.
    public var maxAbsDifference: Double?
    public var overTolerance = 0
    /// Up to ten rows over the tolerance, as "line N: ours vs theirs".
    public var examples: [String] = []

    public init(rows: Int, rejected: Int, threads: Int, seconds: [Double], median: Double) {
        self.rows = rows
        self.rejected = rejected
        self.threads = threads
        self.seconds = seconds
        self.median = median
    }
}
