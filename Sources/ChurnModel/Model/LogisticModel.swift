#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fitted logistic regression over standardised encoded features.
///
/// p = σ(intercept + Σ wⱼ·(xⱼ − centerⱼ)/scaleⱼ), with a missing xⱼ replaced by `fill[j]` (the training mean) and
/// `missingWeights[j]` added: the learned effect of the value being missing (absent when no feature had missing values).
public struct LogisticModel: Codable, Sendable, Equatable {
    public var intercept: Double
    public var weights: [Double]
    public var center: [Double]
    public var scale: [Double]
    public var fill: [Double]
    /// The L2 penalty the model was fitted with (on the standardised scale, per mean example).
    public var l2: Double
    /// Added to the margin when feature j is missing.
    public var missingWeights: [Double]?

    public init(intercept: Double, weights: [Double], center: [Double], scale: [Double], fill: [Double], l2: Double,
                missingWeights: [Double]? = nil) {
        self.intercept = intercept
        self.weights = weights
        self.center = center
        self.scale = scale
        self.fill = fill
        self.l2 = l2
        self.missingWeights = missingWeights
    }

    @inline(__always)
    func missingTerm(_ j: Int) -> Double { missingWeights?[j] ?? 0 }

    @inline(__always)
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        var z = intercept
        weights.withUnsafeBufferPointer { w in
            center.withUnsafeBufferPointer { c in
                scale.withUnsafeBufferPointer { s in
                    fill.withUnsafeBufferPointer { f in
                        for j in 0..<w.count {
                            let v = x[j]
                            z += v.isNaN ? w[j] * (f[j] - c[j]) / s[j] + missingTerm(j) : w[j] * (v - c[j]) / s[j]
                        }
                    }
                }
            }
        }
        return z
    }

    /// Each feature's exact additive share of the margin, relative to an average customer (x = center, present).
    public func contributions(_ x: UnsafePointer<Double>) -> [Double] {
        (0..<weights.count).map { j in
            x[j].isNaN ? weights[j] * (fill[j] - center[j]) / scale[j] + missingTerm(j) : weights[j] * (x[j] - center[j]) / scale[j]
        }
    }
}

@inline(__always)
public func sigmoid(_ z: Double) -> Double {
    z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
}
