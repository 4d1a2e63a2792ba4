import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Why a customer scored high: one input column, its value, and how much it raised the margin (logit).
public struct ScoreReason: Codable, Sendable, Equatable {
    public var column: String
    public var value: String
    public var contribution: Double

    public init(column: String, value: String, contribution: Double) {
        self.column = column
        self.value = value
        self.contribution = contribution
    }
}

/// One scored customer.
public struct ScoredCustomer: Codable, Sendable, Equatable {
    public var id: String
    public var probability: Double
    public var risk: RiskLevel
    public var line: Int
    /// The record as it appears in the file (kept for the few highest-risk customers of a batch, so the console
    /// can explain one without reading the file again). Not part of the JSON summary.
    public var record: String?

    public init(id: String, probability: Double, risk: RiskLevel, line: Int, record: String? = nil) {
        self.id = id
        self.probability = probability
        self.risk = risk
        self.line = line
        self.record = record
    }

    enum CodingKeys: String, CodingKey {
        case id, probability, risk, line
    }
}

/// A predictor prepared for speed: logistic weights folded with the standardisation, or trees laid out flat.
public struct CompiledPredictor: Sendable {
    enum Form: Sendable {
        /// z = bias + Σ w'ⱼ·xⱼ, a missing xⱼ contributing missingⱼ instead.
        case linear(LinearScorer)
        /// Trees of at most 64 leaves: scored feature by feature with leaf bitvectors.
        case bitvector(BitvectorForest)
        /// Larger trees: branch-free walks.
        case forest(FlatForest)
    }

    let form: Form

    /// A linear model's scorer; nil for trees, whose rows score faster in groups (for a linear model a group only
    /// adds a copy of each row).
    public var linear: LinearScorer? {
        if case .linear(let scorer) = form { return scorer }
        return nil
    }

    /// Which kernel scores a tree ensemble. `automatic` takes leaf bitvectors for trees of at most 64 leaves (with
    /// at most 16, sixteen rows share each pass over the splits: `BitvectorForest.laneMargins`) and walks larger
    /// trees; `walk` and `bitvector` force one (`bitvector` still walks trees of more than 64 leaves), so
    /// `churn import verify --kernel` can compare them.
    public enum TreeKernel: String, Sendable, CaseIterable {
        case automatic = "auto"
        case walk
        case bitvector
    }

    /// Under `automatic`, a lone row through trees at most this deep is walked (at most that many tests a tree),
    /// while blocks of rows take the bitvector lanes. Measured on 1M rows, 2 threads, depth-4 XGBoost trees (300):
    /// walks 1.21 s, lanes 0.67 s; a single row's bitvector scan would visit every failing split instead.
    static let shallowDepth = 4

    /// Set for `automatic` on shallow trees: what scores a lone row (`probability(_:)`).
    let singleRow: FlatForest?

    public init(_ predictor: Predictor, trees kernel: TreeKernel = .automatic) {
        var lone: FlatForest?
        switch predictor {
        case .logistic(let m):
            form = .linear(LinearScorer(m))
        case .trees(let ensemble):
            if kernel != .walk, let bitvector = BitvectorForest(ensemble) {
                form = .bitvector(bitvector)
                if kernel == .automatic, ensemble.trees.allSatisfy({ FlatForest.depth($0) <= CompiledPredictor.shallowDepth }) {
                    lone = FlatForest(ensemble)
                }
            } else {
                form = .forest(FlatForest(ensemble))
            }
        }
        singleRow = lone
    }

    @inline(__always)
    public func probability(_ x: UnsafePointer<Double>) -> Double {
        switch form {
        case .linear(let scorer):
            return scorer.probability(x)
        case .bitvector(let forest):
            if let singleRow { return sigmoid(singleRow.margin(x)) }
            return sigmoid(forest.margin(x))
        case .forest(let forest):
            return sigmoid(forest.margin(x))
        }
    }

    /// Probabilities of `count` rows (row `r` at `rows + r * stride`), written to `out`. Trees walk the rows in
    /// blocks, faster per row than `probability(_:)` on many rows; the results are identical.
    public func probabilities(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        switch form {
        case .linear(let scorer):
            for r in 0..<count { out[r] = scorer.probability(rows + r * stride) }
        case .bitvector(let forest):
            forest.margins(rows: rows, stride: stride, count: count, into: out)
            for r in 0..<count { out[r] = sigmoid(out[r]) }
        case .forest(let forest):
            forest.margins(rows: rows, stride: stride, count: count, into: out)
            for r in 0..<count { out[r] = sigmoid(out[r]) }
        }
    }

    /// Probabilities of every row of a row-major matrix (`count` rows of `stride` values), on `threads` threads
    /// that take slices of `sliceRows` rows in turn, so a busy core slows its own share only.
    public func probabilities(matrix rows: UnsafePointer<Double>, count: Int, stride: Int,
                              threads: Int = ProcessInfo.processInfo.activeProcessorCount,
                              sliceRows: Int = 4096) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        guard count > 0 else { return out }
        let slices = (count + sliceRows - 1) / sliceRows
        let workers = max(1, min(threads, slices))
        let next = SliceCounter()
        out.withUnsafeMutableBufferPointer { buffer in
            let target = UncheckedBox((rows, buffer.baseAddress!))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                let (rows, out) = target.value
                while let s = next.take(below: slices) {
                    let lo = s * sliceRows
                    probabilities(rows: rows + lo * stride, stride: stride, count: min(sliceRows, count - lo), into: out + lo)
                }
            }
        }
        return out
    }
}

/// Hands out slice numbers 0, 1, 2, … to the threads of a parallel loop.
private final class SliceCounter: @unchecked Sendable {
    private let next = Mutex(0)

    func take(below limit: Int) -> Int? {
        next.withLock { next in
            guard next < limit else { return nil }
            next += 1
            return next - 1
        }
    }
}

/// A loaded model ready to score encoded rows quickly; shared by batch scoring, the API and the console.
public final class ScoringEngine: Sendable {
    public let artifact: ModelArtifact
    public let layout: FeatureLayout
    private let compiled: CompiledPredictor
    /// See `CompiledPredictor.linear`.
    public var linear: LinearScorer? { compiled.linear }
    /// Trees only: the ensemble and, per encoded feature, whether a NaN there is averaged over the training data
    /// (every indicator; for this project's own trainer also numeric columns that had no missing values).
    /// The logistic model needs nothing: a NaN input contributes its training mean there already.
    private let averaging: (trees: TreeEnsemble, features: [Bool])?
    /// Logistic only: the training mean of each encoded feature whose NaN is averaged (every indicator, and numeric
    /// columns without a learned missing level), NaN for the others; it replaces the input in unresolved rows so the
    /// learned missing weight of a barely-missing column does not apply.
    private let means: [Double]?
    /// Per-column contributions (see `ScoringEngine.reasons`), built on first use: a forest's TreeSHAP leaf tables
    /// take megabytes and tens of milliseconds, which scoring without explanations never needs.
    public var explainer: ColumnExplainer {
        explainerCell.withLock { cell in
            if let cell { return cell }
            let built = ColumnExplainer(predictor: artifact.predictor, layout: layout, columnCount: artifact.schema.features.count)
            cell = built
            return built
        }
    }
    private let explainerCell = Mutex<ColumnExplainer?>(nil)

    public init(artifact: ModelArtifact) {
        self.artifact = artifact
        self.layout = artifact.layout
        compiled = CompiledPredictor(artifact.predictor)
        let profiles = artifact.reference.columns
        let layout = self.layout
        func unlearned(_ f: EncodedFeature) -> Bool { f.column < profiles.count && !profiles[f.column].missingIsLearned }
        switch artifact.predictor {
        case .trees(let ensemble):
            let native = artifact.learner == "gbt"
            averaging = (ensemble, layout.features.map { f in f.isIndicator || (native && unlearned(f)) })
            means = nil
        case .logistic(let m):
            averaging = nil
            means = layout.features.enumerated().map { j, f in f.isIndicator || unlearned(f) ? m.center[j] : .nan }
        }
    }

    public var version: String { artifact.version }

    /// Churn probability of an encoded row.
    @inline(__always)
    public func probability(_ row: borrowing EncodedRow) -> Double {
        if row.unresolved {
            if let averaging {
                return row.values.withUnsafeBufferPointer { sigmoid(averaging.trees.expectedMargin($0.baseAddress!, average: averaging.features)) }
            }
            if let means {
                var x = row.values
                for j in x.indices where x[j].isNaN && !means[j].isNaN { x[j] = means[j] }
                return x.withUnsafeBufferPointer { probability($0.baseAddress!) }
            }
        }
        return row.values.withUnsafeBufferPointer { probability($0.baseAddress!) }
    }

    @inline(__always)
    public func probability(_ x: UnsafePointer<Double>) -> Double {
        compiled.probability(x)
    }

    /// Probabilities of `count` encoded rows (row `r` at `rows + r * stride`): the same values as `probability`
    /// row by row, faster for trees, which score the rows together.
    public func probabilities(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        compiled.probabilities(rows: rows, stride: stride, count: count, into: out)
    }

    @inline(__always)
    public func risk(_ probability: Double) -> RiskLevel { artifact.riskThresholds.level(for: probability) }

    /// The columns of a row whose value was missing, and those whose value was not a named category (unseen, or
    /// the "other" level), for answers that say what the score is built on.
    public func gaps(_ row: EncodedRow) -> (missing: [String], unseen: [String]) {
        var missing: [String] = []
        var unseen: [String] = []
        for (c, column) in artifact.schema.features.enumerated() {
            if row.codes[c] == RowEncoder.missing { missing.append(column.name) }
            else if row.codes[c] == RowEncoder.unknown { unseen.append(column.name) }
        }
        return (missing, unseen)
    }

    /// The customer's value of column `c` as text ("Month-to-month", "12", "missing").
    func valueText(_ row: EncodedRow, column c: Int) -> String {
        let schemaColumn = artifact.schema.features[c]
        switch schemaColumn.kind {
        case .numeric:
            let v = row.values[layout.offsets[c]]
            if v.isNaN { return "missing" }
            return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
        case .categorical:
            let code = row.codes[c]
            if code == RowEncoder.missing { return "missing" }
            if code == RowEncoder.unknown { return schemaColumn.otherLevel ? "other" : "unseen" }
            return schemaColumn.categories[Int(code)]
        }
    }
}
