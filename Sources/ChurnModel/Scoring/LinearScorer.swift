/// A logistic model folded with its standardisation: z = bias + Σ wⱼ·xⱼ, a missing xⱼ contributing mⱼ instead.
///
/// A class over raw memory, so scoring a row reads the weights without retaining an array: in batch scoring, the
/// retain and release of the two arrays cost more than the dot product itself. Immutable, so any thread may use it.
public final class LinearScorer: @unchecked Sendable {
    let bias: Double
    let count: Int
    let weights: UnsafeMutablePointer<Double>
    let missing: UnsafeMutablePointer<Double>
    /// Every weight and missing term is finite, so a zero indicator adds exactly nothing (`linearMargin`).
    let finite: Bool

    init(_ m: LogisticModel) {
        let count = m.weights.count
        let weights = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
        let missing = UnsafeMutablePointer<Double>.allocate(capacity: max(count, 1))
        var bias = m.intercept
        for j in 0..<count {
            let w = m.weights[j] / m.scale[j]
            weights[j] = w
            bias -= w * m.center[j]
            missing[j] = w * m.fill[j] + m.missingTerm(j)
        }
        self.bias = bias
        self.count = count
        self.weights = weights
        self.missing = missing
        finite = (0..<count).allSatisfy { weights[$0].isFinite && missing[$0].isFinite }
    }

    /// The folded terms as a plain value over this scorer's memory, valid while the scorer lives: a loop that
    /// scores row after row reads them without retaining and releasing the scorer for each row (4% of a logistic
    /// `churn score`).
    struct Terms {
        let bias: Double
        let weights: UnsafePointer<Double>
        let missing: UnsafePointer<Double>
    }

    var terms: Terms { Terms(bias: bias, weights: weights, missing: missing) }

    deinit {
        weights.deallocate()
        missing.deallocate()
    }

    /// The margin of one row of `count` values (the bounded sum when the plain one overflows to NaN).
    @inline(__always)
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        var z = bias
        for j in 0..<count {
            let v = x[j]
            z += v.isNaN ? missing[j] : weights[j] * v
        }
        return z.isNaN ? boundedMargin(x) : z
    }

    @inline(__always)
    public func probability(_ x: UnsafePointer<Double>) -> Double { sigmoid(margin(x)) }

    /// The margin with every term bounded so their sum cannot overflow: the slow path for the rare row whose huge
    /// values overflow one term to +∞ and another to −∞ (a NaN probability would crash the response writer). Terms
    /// beyond the bound saturate, so the probability goes where the dominant terms push it.
    @inline(never)
    func boundedMargin(_ x: UnsafePointer<Double>) -> Double {
        let bound = Double.greatestFiniteMagnitude / Double(count + 2)
        var z = min(max(bias, -bound), bound)
        for j in 0..<count {
            let term = x[j].isNaN ? missing[j] : weights[j] * x[j]
            z += term.isNaN ? 0 : min(max(term, -bound), bound)
        }
        return z
    }
}
