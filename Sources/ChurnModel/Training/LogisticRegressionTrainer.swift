import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Fits L2-regularised logistic regression by Newton's method (IRLS) to the optimum.
///
/// Features are standardised (mean 0, variance 1; a missing value becomes the mean) and the objective is
/// mean log loss + (l2/2)·‖w‖², intercept unpenalised. Newton steps with a backtracking line search stop when
/// the gradient norm falls below `tolerance`, which for these problem sizes takes 6–12 iterations.
public struct LogisticRegressionTrainer: Sendable {
    public var l2: Double
    public var maxIterations = 100
    public var tolerance = 1e-9
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init(l2: Double) {
        self.l2 = l2
    }

    /// The standardised design matrix, row-major, shared across fits with different penalties.
    ///
    /// Columns: every encoded feature (a missing value filled with the mean), then one 0/1 "was missing" indicator
    /// for each numeric feature that has missing values, so the model can learn what a blank means (in the Telco
    /// file a blank TotalCharges marks a brand-new customer) instead of treating it as an average value.
    public struct Design: Sendable {
        public let rows: Int
        /// Columns of `z`: features plus missing indicators.
        public let width: Int
        /// Encoded features.
        public let features: Int
        /// For each missing indicator, the feature it marks.
        public let indicatorOf: [Int]
        public let z: [Double]
        public let center: [Double]
        public let scale: [Double]
        public let fill: [Double]

        public init(matrix: FeatureMatrix) {
            let n = matrix.rows
            let f = matrix.columns.count
            var indicatorOf: [Int] = []
            for j in 0..<f where !matrix.layout.features[j].isIndicator && matrix.columns[j].contains(where: { $0.isNaN }) {
                indicatorOf.append(j)
            }
            let width = f + indicatorOf.count
            var center = [Double](repeating: 0, count: width)
            var scale = [Double](repeating: 1, count: width)
            var fill = [Double](repeating: 0, count: f)
            for j in 0..<width {
                let source = j < f ? matrix.columns[j] : matrix.columns[indicatorOf[j - f]].map { $0.isNaN ? 1 : 0 }
                var sum = 0.0
                var count = 0
                for v in source where !v.isNaN { sum += v; count += 1 }
                let mean = count > 0 ? sum / Double(count) : 0
                var ss = 0.0
                for v in source where !v.isNaN { ss += (v - mean) * (v - mean) }
                // Missing values are filled with the mean before scaling, so they count in the variance as zeros.
                let sd = count > 1 ? (ss / Double(n)).squareRoot() : 0
                center[j] = mean
                scale[j] = sd > 1e-12 ? sd : 1
                if j < f { fill[j] = mean }
            }
            var z = [Double](repeating: 0, count: n * width)
            for j in 0..<width {
                let (c, s) = (center[j], scale[j])
                if j < f {
                    let column = matrix.columns[j]
                    for i in 0..<n {
                        let v = column[i]
                        z[i * width + j] = v.isNaN ? 0 : (v - c) / s
                    }
                } else {
                    let column = matrix.columns[indicatorOf[j - f]]
                    for i in 0..<n { z[i * width + j] = ((column[i].isNaN ? 1 : 0) - c) / s }
                }
            }
            self.rows = n
            self.width = width
            self.features = f
            self.indicatorOf = indicatorOf
            self.z = z
            self.center = center
            self.scale = scale
            self.fill = fill
        }
    }

    /// A fitted model and the raw coefficients (for warm starts on the same design shape).
    public struct Fit: Sendable {
        public var model: LogisticModel
        /// Coefficients on the standardised design, intercept last.
        public var coefficients: [Double]
        /// The log-loss part of the last Hessian computed (packed dim×dim, no penalty), for a warm start's first steps.
        public var dataHessian: [Double]?
    }

    /// Fits on the design's rows with the given labels; `start` warm-starts from earlier coefficients of a
    /// design of the same width (ignored otherwise).
    public func fit(_ design: Design, labels: [UInt8], start: [Double]? = nil, warmHessian: [Double]? = nil) -> Fit {
        let n = design.rows
        let w = design.width
        let dim = w + 1 // index w is the intercept
        var beta = [Double](repeating: 0, count: dim)
        if let start, start.count == dim {
            beta = start
        } else {
            let rate = Double(labels.reduce(0) { $0 + Int($1) }) / Double(max(n, 1))
            beta[w] = log(max(rate, 1e-6) / max(1 - rate, 1e-6))
        }
        var previous = objective(design, labels, beta)
        // Warm-started along a penalty path, the previous fit's Hessian (its log-loss part plus this penalty) is
        // close to this one's: steps with it cost one gradient pass (dim times cheaper than a Hessian) and still
        // converge fast. The exact Hessian is computed as soon as such a step fails or converges slowly, and always
        // for a cold start, so the optimum reached is Newton's.
        var dataHessian = start?.count == dim ? warmHessian.flatMap { $0.count == dim * dim ? $0 : nil } : nil
        var reused = dataHessian.map { penalised($0, dim: dim, features: w) }
        var lastNorm = Double.infinity
        for _ in 0..<maxIterations {
            // The gradient alone first: the last iteration only checks it, and the Hessian costs dim/2 times more.
            let gradient = derivatives(design, labels, beta, hessian: false).0
            let gnorm = gradient.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if gnorm < tolerance { break }
            if reused != nil && gnorm > 0.25 * lastNorm { reused = nil }
            lastNorm = gnorm
            let hessian: [Double]
            if let reused {
                hessian = reused
            } else {
                hessian = derivatives(design, labels, beta).1
                dataHessian = unpenalised(hessian, dim: dim, features: w)
            }
            guard let step = Cholesky.solve(hessian, gradient, size: dim) else { break }
            let decrease = zip(gradient, step).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0
            var improved = false
            for _ in 0..<30 {
                let candidate = zip(beta, step).map { $0 - t * $1 }
                let value = objective(design, labels, candidate)
                if value <= previous - 1e-4 * t * decrease || value < previous {
                    beta = candidate
                    improved = value < previous - 1e-15
                    previous = value
                    break
                }
                t *= 0.5
            }
            if !improved {
                // A reused Hessian's step that did not help: try again with the exact one before giving up.
                if reused != nil { reused = nil; lastNorm = .infinity; continue }
                break
            }
        }
        return Fit(model: model(from: beta, design: design), coefficients: beta, dataHessian: dataHessian)
    }

    /// A data Hessian with this fit's penalty added on the features' diagonal (the intercept is not penalised).
    func penalised(_ h: [Double], dim: Int, features: Int) -> [Double] {
        var h = h
        for j in 0..<features { h[j * dim + j] += l2 }
        return h
    }

    /// The penalty taken back off a full Hessian.
    func unpenalised(_ h: [Double], dim: Int, features: Int) -> [Double] {
        var h = h
        for j in 0..<features { h[j * dim + j] -= l2 }
        return h
    }

    /// Folds the indicator columns back into per-feature "missing" weights of the model.
    func model(from beta: [Double], design: Design) -> LogisticModel {
        let f = design.features
        var intercept = beta[design.width]
        var missing: [Double]? = design.indicatorOf.isEmpty ? nil : [Double](repeating: 0, count: f)
        for (k, j) in design.indicatorOf.enumerated() {
            let column = f + k
            let weight = beta[column] / design.scale[column]
            intercept -= weight * design.center[column]
            missing![j] = weight
        }
        return LogisticModel(intercept: intercept, weights: Array(beta[0..<f]), center: Array(design.center[0..<f]),
                             scale: Array(design.scale[0..<f]), fill: design.fill, l2: l2, missingWeights: missing)
    }

    /// Mean log loss plus the penalty.
    func objective(_ d: Design, _ y: [UInt8], _ beta: [Double]) -> Double {
        let f = d.width
        let partial = parallelSum(rows: d.rows) { range -> [Double] in
            var loss = 0.0
            d.z.withUnsafeBufferPointer { z in
                for i in range {
                    var m = beta[f]
                    let row = z.baseAddress! + i * f
                    for j in 0..<f { m += beta[j] * row[j] }
                    // log(1 + e^m) - y·m, computed stably.
                    let softplus = m > 0 ? m + log1p(exp(-m)) : log1p(exp(m))
                    loss += softplus - (y[i] == 1 ? m : 0)
                }
            }
            return [loss]
        }
        var penalty = 0.0
        for j in 0..<f { penalty += beta[j] * beta[j] }
        return partial[0] / Double(d.rows) + 0.5 * l2 * penalty
    }

    /// Gradient and Hessian (packed dim×dim, row-major) of the objective.
    /// The gradient is the same to the bit with or without the Hessian (same chunks, same order).
    func derivatives(_ d: Design, _ y: [UInt8], _ beta: [Double], hessian withHessian: Bool = true) -> ([Double], [Double]) {
        let f = d.width
        let dim = f + 1
        let sums = parallelSum(rows: d.rows) { range -> [Double] in
            var acc = [Double](repeating: 0, count: withHessian ? dim + dim * dim : dim)
            var x = [Double](repeating: 1, count: dim)
            d.z.withUnsafeBufferPointer { z in
                acc.withUnsafeMutableBufferPointer { a in
                    for i in range {
                        let row = z.baseAddress! + i * f
                        var m = beta[f]
                        for j in 0..<f { x[j] = row[j]; m += beta[j] * row[j] }
                        let p = sigmoid(m)
                        let r = p - Double(y[i])
                        let w = max(p * (1 - p), 1e-12)
                        for j in 0..<dim { a[j] += r * x[j] }
                        if !withHessian { continue }
                        let h = a.baseAddress! + dim
                        for j in 0..<dim {
                            let wxj = w * x[j]
                            let rowH = h + j * dim
                            for k in 0...j { rowH[k] += wxj * x[k] }
                        }
                    }
                }
            }
            return acc
        }
        let n = Double(d.rows)
        var gradient = Array(sums[0..<dim]).map { $0 / n }
        var hessian = [Double](repeating: 0, count: withHessian ? dim * dim : 0)
        for j in 0..<(withHessian ? dim : 0) {
            for k in 0...j {
                let v = sums[dim + j * dim + k] / n
                hessian[j * dim + k] = v
                hessian[k * dim + j] = v
            }
        }
        for j in 0..<f {
            gradient[j] += l2 * beta[j]
            if withHessian { hessian[j * dim + j] += l2 }
        }
        return (gradient, hessian)
    }

    /// Splits rows into one chunk per thread and adds up the per-chunk vectors.
    func parallelSum(rows: Int, _ body: @Sendable (Range<Int>) -> [Double]) -> [Double] {
        let chunks = max(1, min(threads, rows / 2048))
        if chunks == 1 { return body(0..<rows) }
        let results = ResultSlots<[Double]>(count: chunks)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = rows * c / chunks
            let hi = rows * (c + 1) / chunks
            results[c] = body(lo..<hi)
        }
        var total = results[0]!
        for c in 1..<chunks {
            let part = results[c]!
            for k in total.indices { total[k] += part[k] }
        }
        return total
    }
}

/// Dense Cholesky solve of a symmetric positive-definite system.
enum Cholesky {
    /// Solves A·x = b; nil when A is not positive definite.
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { return nil }
                    l[i * n + i] = s.squareRoot()
                } else {
                    l[i * n + j] = s / l[j * n + j]
                }
            }
        }
        var y = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = b[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = y[i]
            for k in (i + 1)..<n { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}

/// Fixed slots that concurrent workers fill, one each, without sharing anything else.
final class ResultSlots<T>: @unchecked Sendable {
    private var values: [T?]
    // A plain POSIX mutex (its condition unused): `Mutex` would need T to be Sendable.
    private let lock = ThreadCondition()

    init(count: Int) { values = [T?](repeating: nil, count: count) }

    subscript(i: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return values[i] }
        set { lock.lock(); values[i] = newValue; lock.unlock() }
    }
}
