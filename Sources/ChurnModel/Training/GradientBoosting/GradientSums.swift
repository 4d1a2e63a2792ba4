/// The gradient and hessian totals of a set of rows, and what log loss makes of them under an L2 penalty.
struct GradientSums: Sendable, Equatable {
    var gradient: Double
    var hessian: Double

    static let zero = GradientSums(gradient: 0, hessian: 0)

    init(gradient: Double, hessian: Double) {
        self.gradient = gradient
        self.hessian = hessian
    }

    init(_ pair: GradientPair) {
        self.init(gradient: pair.x, hessian: pair.y)
    }

    var pair: GradientPair { GradientPair(gradient, hessian) }

    static func + (a: GradientSums, b: GradientSums) -> GradientSums {
        GradientSums(gradient: a.gradient + b.gradient, hessian: a.hessian + b.hessian)
    }

    static func - (a: GradientSums, b: GradientSums) -> GradientSums {
        GradientSums(gradient: a.gradient - b.gradient, hessian: a.hessian - b.hessian)
    }

    /// The leaf value that minimises the second-order loss: −G / (H + λ).
    @inline(__always)
    func leafWeight(l2: Double) -> Double { -gradient / (hessian + l2) }

    /// G² / (H + λ): twice the loss reduction this leaf achieves against predicting no change.
    @inline(__always)
    func score(l2: Double) -> Double { gradient * gradient / (hessian + l2) }
}
