/// One row of a reliability table: customers whose predicted probability fell in `lower..<upper`, how many, what
/// the model said on average, and how many of them really churned.
///
/// A well-calibrated model has `meanPredicted` close to `observedRate` in every bin with enough rows.
public struct ReliabilityBin: Codable, Sendable, Equatable {
    public var lower: Double
    public var upper: Double
    public var rows: Int
    public var meanPredicted: Double
    public var observedRate: Double

    public init(lower: Double, upper: Double, rows: Int, meanPredicted: Double, observedRate: Double) {
        self.lower = lower
        self.upper = upper
        self.rows = rows
        self.meanPredicted = meanPredicted
        self.observedRate = observedRate
    }

    /// Bins of equal width over [0, 1] (`bins` of them; the last one includes 1), keeping only bins with rows.
    public static func table(_ probabilities: [Double], _ labels: [UInt8], bins: Int = 10) -> [ReliabilityBin] {
        precondition(probabilities.count == labels.count)
        var count = [Int](repeating: 0, count: bins)
        var predicted = [Double](repeating: 0, count: bins)
        var observed = [Int](repeating: 0, count: bins)
        for (p, y) in zip(probabilities, labels) where !p.isNaN {
            let b = min(max(Int(p * Double(bins)), 0), bins - 1)
            count[b] += 1
            predicted[b] += p
            observed[b] += Int(y)
        }
        return (0..<bins).compactMap { b in
            guard count[b] > 0 else { return nil }
            return ReliabilityBin(lower: Double(b) / Double(bins), upper: Double(b + 1) / Double(bins), rows: count[b],
                                  meanPredicted: predicted[b] / Double(count[b]),
                                  observedRate: Double(observed[b]) / Double(count[b]))
        }
    }

    /// Expected calibration error: the row-weighted mean gap between predicted and observed rates over the bins.
    public static func expectedError(_ table: [ReliabilityBin]) -> Double {
        let rows = table.reduce(0) { $0 + $1.rows }
        guard rows > 0 else { return 0 }
        return table.reduce(0) { $0 + Double($1.rows) * abs($1.meanPredicted - $1.observedRate) } / Double(rows)
    }
}
