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

    public init(features: [Feature], threshold: Double, score: Double, rows: Int) {
        self.features = features
        self.threshold = threshold
        self.score = score
        self.rows = rows
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
        self.score = features.isEmpty ? 0 : Double(drifted) / Double(features.count)
        self.rows = counts.rows
    }

    /// Features sorted worst first.
    public var worstFirst: [Feature] { features.sorted { $0.psi > $1.psi } }

    /// Features at or over the threshold, worst first.
    public var drifted: [Feature] { worstFirst.filter { $0.psi >= threshold } }
}
