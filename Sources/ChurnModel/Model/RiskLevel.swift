/// How likely a customer is to leave, in the three bands operations act on.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool {
        a.rank < b.rank
    }

    /// 0 for low, 1 for medium, 2 for high.
    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }
}

/// Probability cut points between risk levels: low < medium ≤ p < high ≤ p.
public struct RiskThresholds: Codable, Sendable, Equatable {
    public var medium: Double
    public var high: Double

    public static let standard = RiskThresholds(medium: 0.4, high: 0.7)

    public init(medium: Double, high: Double) {
        self.medium = medium
        self.high = high
    }

    @inline(__always)
    public func level(for probability: Double) -> RiskLevel {
        probability >= high ? .high : probability >= medium ? .medium : .low
    }

    /// Whether the cut points are usable: 0 < medium < high < 1.
    public var isValid: Bool { medium > 0 && medium < high && high < 1 }
}
