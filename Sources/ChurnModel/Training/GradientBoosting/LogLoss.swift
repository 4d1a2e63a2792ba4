#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Binary log loss on the logit (margin) scale: its gradient and hessian for boosting, and its value for stopping.
enum LogLoss {
    /// Hessians never go below this, so a confidently right row still has a finite Newton step.
    static let minHessian = 1e-16

    /// The margin of a constant prediction at the training churn rate (clamped away from 0 and 1).
    static func baseMargin(labels: [UInt8]) -> Double {
        let positives = labels.reduce(0) { $0 + Int($1) }
        let rate = min(max(Double(positives) / Double(max(labels.count, 1)), 1e-6), 1 - 1e-6)
        return log(rate / (1 - rate))
    }

    /// d loss / d margin = p − y and d² loss / d margin² = p(1 − p).
    @inline(__always)
    static func derivatives(margin: Double, label: UInt8) -> (gradient: Double, hessian: Double) {
        let p = sigmoid(margin)
        return (p - Double(label), max(p * (1 - p), minHessian))
    }

    /// −log p(y | margin) = log(1 + e^m) − y·m, computed without overflow.
    @inline(__always)
    static func loss(margin m: Double, label: UInt8) -> Double {
        let softplus = m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))
        return softplus - (label == 1 ? m : 0)
    }
}
