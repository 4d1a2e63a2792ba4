#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A monotone recalibration of a model's margin, p = σ(slope · margin + offset), fitted on predictions the model
/// made for rows it did not train on (out-of-fold).
///
/// Being affine on the margin, it folds into the model itself: scale every logistic coefficient or every tree
/// value by `slope` and add `offset` to the intercept or base margin. Scoring and explanations then need nothing
/// new, and the ranking (AUC) is unchanged.
public struct PlattScaling: Codable, Sendable, Equatable {
    public var slope: Double
    public var offset: Double

    public static let identity = PlattScaling(slope: 1, offset: 0)

    public init(slope: Double, offset: Double) {
        self.slope = slope
        self.offset = offset
    }

    /// The slope and offset minimising log loss of `margins` against `labels` (Newton's method on two unknowns,
    /// with a tiny ridge towards the identity so that separable data cannot push them to infinity).
    public static func fit(margins: [Double], labels: [UInt8]) -> PlattScaling {
        var a = 1.0
        var b = 0.0
        let ridge = 1e-6 * Double(max(margins.count, 1))
        for _ in 0..<50 {
            var ga = ridge * (a - 1), gb = ridge * b
            var haa = ridge, hab = 0.0, hbb = ridge
            for (m, y) in zip(margins, labels) {
                let p = sigmoid(a * m + b)
                let r = p - Double(y)
                let w = max(p * (1 - p), 1e-12)
                ga += r * m
                gb += r
                haa += w * m * m
                hab += w * m
                hbb += w
            }
            let det = haa * hbb - hab * hab
            guard det > 0 else { break }
            let da = (hbb * ga - hab * gb) / det
            let db = (haa * gb - hab * ga) / det
            a -= da
            b -= db
            if abs(da) + abs(db) < 1e-10 { break }
        }
        // A non-positive slope would reverse the ranking; it can only come from a model with no signal.
        return a > 0 && a.isFinite && b.isFinite ? PlattScaling(slope: a, offset: b) : .identity
    }

    /// Mean log loss of `margins` recalibrated by `self`.
    public func logLoss(margins: [Double], labels: [UInt8]) -> Double {
        guard !margins.isEmpty else { return 0 }
        var total = 0.0
        for (m, y) in zip(margins, labels) { total += LogLoss.loss(margin: slope * m + offset, label: y) }
        return total / Double(margins.count)
    }

    /// Log loss with and without recalibration, each row scored by a scaling fitted on the other folds (so the
    /// comparison is not flattered by fitting and measuring on the same rows).
    public static func crossValidated(margins: [Double], labels: [UInt8], folds: Int = 5, seed: UInt64)
        -> (scaling: PlattScaling, before: Double, after: Double) {
        let assignment = StratifiedFolds(labels: labels, folds: folds, seed: seed)
        var after = 0.0
        for k in 0..<folds {
            let fit = assignment.indexes { $0 != k }
            let held = assignment.indexes { $0 == k }
            let scaling = PlattScaling.fit(margins: fit.map { margins[$0] }, labels: fit.map { labels[$0] })
            for i in held { after += LogLoss.loss(margin: scaling.slope * margins[i] + scaling.offset, label: labels[i]) }
        }
        let n = Double(max(margins.count, 1))
        return (fit(margins: margins, labels: labels), identity.logLoss(margins: margins, labels: labels), after / n)
    }

    /// `predictor` with the recalibration folded into its parameters.
    public func apply(to predictor: Predictor) -> Predictor {
        switch predictor {
        case .logistic(var m):
            m.intercept = slope * m.intercept + offset
            m.weights = m.weights.map { slope * $0 }
            m.missingWeights = m.missingWeights?.map { slope * $0 }
            return .logistic(m)
        case .trees(var t):
            t.baseMargin = slope * t.baseMargin + offset
            for i in t.trees.indices { t.trees[i].value = t.trees[i].value.map { slope * $0 } }
            return .trees(t)
        }
    }
}
