/// Each input column's additive share of a customer's margin (a categorical column's indicators summed), by the
/// best method the model allows: exact for logistic models, exact TreeSHAP for trees with node covers, and the
/// path-based (Saabas) split credits for trees without. With `baseValue` the shares sum to the margin.
public struct ColumnExplainer: Sendable {
    /// How contributions are computed, for `churn model show` and `GET /model`.
    public enum Method: String, Sendable, Codable {
        case logistic
        case treeSHAP = "tree_shap"
        case pathBased = "path_based"

        public var summary: String {
            switch self {
            case .logistic: return "exact (logistic: each feature's term against an average customer)"
            case .treeSHAP: return "exact TreeSHAP (path-dependent, weighted by node covers)"
            case .pathBased: return "path-based (Saabas): the trees carry no node covers (or branch too much), so exact TreeSHAP is unavailable"
            }
        }
    }

    enum Form: Sendable {
        case logistic(LogisticModel)
        case shap(TreeExplainer)
        case path(TreeEnsemble)
    }

    let form: Form
    public let method: Method
    /// The margin the contributions start from.
    public let baseValue: Double
    /// The input column of each encoded feature.
    let featureColumn: [Int]
    public let columnCount: Int

    public init(predictor: Predictor, layout: FeatureLayout, columnCount: Int) {
        featureColumn = layout.features.map(\.column)
        self.columnCount = columnCount
        switch predictor {
        case .logistic(let m):
            form = .logistic(m)
            method = .logistic
            baseValue = m.intercept
        case .trees(let ensemble):
            if let shap = TreeExplainer(ensemble) {
                form = .shap(shap)
                method = .treeSHAP
                baseValue = shap.baseValue
            } else {
                form = .path(ensemble)
                method = .pathBased
                baseValue = ensemble.trees.reduce(ensemble.baseMargin) { $0 + $1.value[0] }
            }
        }
    }

    /// The method `init` would pick for `predictor`, without building a forest's TreeSHAP leaf tables (megabytes):
    /// exact TreeSHAP when every tree has usable node covers, as `TreeExplainer` requires.
    public static func method(for predictor: Predictor) -> Method {
        switch predictor {
        case .logistic: .logistic
        case .trees(let ensemble): ensemble.trees.allSatisfy { ShapTree($0) != nil } ? .treeSHAP : .pathBased
        }
    }

    /// Buffers for one thread's explanations (one per block or request; not shared between threads).
    public func makeScratch() -> ExplainScratch {
        guard case .shap(let e) = form else { return ExplainScratch(features: featureColumn.count, columns: columnCount, path: 1, nodes: 1) }
        return ExplainScratch(features: featureColumn.count, columns: columnCount, path: e.scratchCount, nodes: e.nodeCount)
    }

    /// Fills `scratch.columns` with each input column's contribution for encoded row `x`.
    public func explain(_ x: UnsafePointer<Double>, scratch: ExplainScratch) {
        let phi = scratch.features
        phi.update(repeating: 0)
        switch form {
        case .logistic(let m):
            for j in 0..<m.weights.count {
                phi[j] = x[j].isNaN ? m.weights[j] * (m.fill[j] - m.center[j]) / m.scale[j] + m.missingTerm(j)
                    : m.weights[j] * (x[j] - m.center[j]) / m.scale[j]
            }
        case .shap(let e):
            e.contributions(x, into: phi.baseAddress!, path: scratch.path.baseAddress!, goesLeft: scratch.goesLeft.baseAddress!)
        case .path(let ensemble):
            let c = ensemble.contributions(x, featureCount: phi.count)
            for j in 0..<c.count { phi[j] = c[j] }
        }
        let columns = scratch.columns
        columns.update(repeating: 0)
        for j in 0..<featureColumn.count { columns[featureColumn[j]] += phi[j] }
    }
}
