#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How far observed data has moved from the training data, per feature and overall.
///
/// PSI per feature = Σ (aᵢ − eᵢ)·ln(aᵢ/eᵢ) over the reference bins (missing values are a bin of their own),
/// where eᵢ is the reference share and aᵢ the observed share, each floored at `epsilon` (1e-4) so an empty bin
/// gives a large finite term instead of infinity. `score` (`data_drift_score`) is the share of features whose
/// PSI is at least `threshold` (0.25 by default, the usual "major shift" mark); 0.1–0.25 is a moderate shift.
///
/// Drift is measured only on enough rows (`minimumRows(for:)`): below that `isMeasured` is false, `score` is 0
/// and callers report "not measured" instead of a verdict. A handful of rows leaves most bins empty, and an
/// empty bin that holds 10% of the training data alone adds 0.1·ln(0.1/ε) ≈ 0.69 to PSI.
public struct DriftReport: Codable, Sendable, Equatable {
    public struct Feature: Codable, Sendable, Equatable {
        public var name: String
        public var psi: Double
    }

    public static let epsilon = 1e-4
    public static let defaultThreshold = 0.25
    public static let moderate = 0.1

    /// PSI per feature, in schema order.
    public var features: [Feature]
    public var threshold: Double
    /// Share of features with PSI ≥ threshold, in [0, 1].
    public var score: Double
    /// Rows the observed side is made of.
    public var rows: Int
    /// Rows needed before drift is measured (`minimumRows(for:)` of the reference profile).
    public var minimumRows: Int

    /// Whether there were enough rows for PSI to mean anything; when false, `score` is 0 and means nothing.
    public var isMeasured: Bool { rows >= minimumRows }

    /// Why drift was not measured, in words (nil when it was).
    public var notMeasuredReason: String? {
        isMeasured ? nil : "\(rows) row\(rows == 1 ? "" : "s"); drift needs at least \(minimumRows) (\(DriftReport.ruleText))"
    }

    /// Each reference bin that holds at least this share of the training rows must expect
    /// `minimumExpectedPerBin` observed rows before drift is measured.
    public static let minimumBinShare = 0.01
    public static let minimumExpectedPerBin = 5.0
    /// Never fewer rows than this, however coarse the bins.
    public static let minimumRowsFloor = 50
    /// The rule, as the summaries state it.
    public static let ruleText = "every reference bin holding at least 1% of the training rows must expect 5 rows"

    /// The sample a profile needs: n such that n × s ≥ 5 for the smallest reference bin share s ≥ 1% (over all
    /// features), and at least 50. The chi-square rule of thumb (expected count ≥ 5 per bin) keeps a common bin
    /// from being empty by chance (probability ≤ e⁻⁵ ≈ 0.7%); bins under 1% are left out of the rule, as an
    /// empty one adds at most 0.01·ln(0.01/ε) ≈ 0.05 to PSI. Deciles (10% bins) need 50 rows, a 2% category 250,
    /// and no profile more than 500.
    public static func minimumRows(for profile: ReferenceProfile) -> Int {
        var smallest = 1.0
        for column in profile.columns {
            for share in column.proportions where share >= minimumBinShare { smallest = min(smallest, share) }
        }
        return max(minimumRowsFloor, Int((minimumExpectedPerBin / smallest - 1e-9).rounded(.up)))
    }

    public init(features: [Feature], threshold: Double, score: Double, rows: Int, minimumRows: Int = 0) {
        self.features = features
        self.threshold = threshold
        self.score = score
        self.rows = rows
        self.minimumRows = minimumRows
    }

    enum CodingKeys: String, CodingKey { case features, threshold, score, rows, minimumRows, notMeasured }

    /// `score` is written as null (with `notMeasured` saying why) when drift was not measured.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(features, forKey: .features)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(isMeasured ? score : nil, forKey: .score)
        try c.encode(rows, forKey: .rows)
        try c.encode(minimumRows, forKey: .minimumRows)
        try c.encodeIfPresent(notMeasuredReason, forKey: .notMeasured)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        features = try c.decode([Feature].self, forKey: .features)
        threshold = try c.decode(Double.self, forKey: .threshold)
        score = try c.decodeIfPresent(Double.self, forKey: .score) ?? 0
        rows = try c.decode(Int.self, forKey: .rows)
        minimumRows = try c.decodeIfPresent(Int.self, forKey: .minimumRows) ?? 0
    }

    /// Compares observed bin counts with the reference profile.
    public init(counts: DriftCounts, profile: ReferenceProfile, threshold: Double = DriftReport.defaultThreshold) {
        var features: [Feature] = []
        for (c, column) in profile.columns.enumerated() {
            let observed = c < counts.bins.count ? counts.bins[c] : []
            let total = Double(observed.reduce(0, +))
            var psi = 0.0
            if total > 0 {
                for (i, expectedShare) in column.proportions.enumerated() {
                    let e = max(expectedShare, DriftReport.epsilon)
                    let a = max(i < observed.count ? Double(observed[i]) / total : 0, DriftReport.epsilon)
                    psi += (a - e) * log(a / e)
                }
            }
            features.append(Feature(name: column.name, psi: psi))
        }
        let drifted = features.filter { $0.psi >= threshold }.count
        self.features = features
        self.threshold = threshold
        self.rows = counts.rows
        self.minimumRows = DriftReport.minimumRows(for: profile)
        self.score = features.isEmpty || counts.rows < minimumRows ? 0 : Double(drifted) / Double(features.count)
    }

    /// Features sorted worst first.
    public var worstFirst: [Feature] { features.sorted { $0.psi > $1.psi } }

    /// Features at or over the threshold, worst first.
    public var drifted: [Feature] { worstFirst.filter { $0.psi >= threshold } }
}
