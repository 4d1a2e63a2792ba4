/// A boosted tree ensemble as XGBoost or LightGBM stores it, read but not yet mapped onto a ChurnOps feature
/// layout: feature indexes are the library's, splits keep the library's own missing-value rules.
struct ForeignForest {
    /// "xgboost" or "lightgbm": the artifact's `learner`.
    var library: String
    var libraryVersion: String
    var objective: String
    /// The library's feature names, by feature index.
    var featureNames: [String]
    /// Features the library treats as categories (integer codes), with the category of each code when the model
    /// records them (XGBoost ≥ 3.1 in `cats`, LightGBM in `pandas_categorical`); nil when it does not.
    var categoricalFeatures: [Int: [String]?]
    /// Margin every prediction starts from (logit scale).
    var baseMargin: Double
    var comparison: SplitComparison
    var trees: [ForeignTree]
    /// Trees added per boosting round (XGBoost's `num_parallel_tree`; 1 for LightGBM binary models).
    var treesPerRound = 1
    /// Facts worth telling the person importing (e.g. a recorded best iteration that predict ignores).
    var notes: [String]
    /// What goes into the artifact's `training.parameters`.
    var parameters: [String: String]
}

/// One tree in library terms: node 0 the root.
struct ForeignTree {
    struct Node {
        /// nil for a leaf.
        var split: ForeignSplit?
        var left: Int
        var right: Int
        /// The leaf value (leaves only; internal values are recomputed from the leaves).
        var value: Double
        /// Training weight (hessian sum, or row count when the library keeps no weights).
        var cover: Double
        /// Split gain, for importance.
        var gain: Double
    }

    var nodes: [Node]
    /// Where the tree is in its file, for error messages (`learner.gradient_booster.model.trees[3]`, `Tree=3`).
    var location: String
}

/// How a library node decides.
enum ForeignSplit {
    /// Left when the value passes the threshold under the ensemble's comparison; `missing` says where NaN goes.
    case numeric(feature: Int, threshold: Double, missing: MissingRule)
    /// Left when the category code is in `codes` (`codesGoLeft`) or not in it (`!codesGoLeft`); a missing
    /// category goes left when `missingLeft`.
    case categorical(feature: Int, codes: Set<Int>, codesGoLeft: Bool, missingLeft: Bool)

    var feature: Int {
        switch self {
        case .numeric(let f, _, _), .categorical(let f, _, _, _): return f
        }
    }
}

/// Where a numeric split sends a missing value.
enum MissingRule: Equatable {
    /// NaN follows the default direction (XGBoost; LightGBM missing type NaN).
    case nan(defaultLeft: Bool)
    /// NaN is read as 0 (LightGBM missing type None).
    case asZero
    /// NaN and every value in [-1e-35f, 1e-35f] follow the default direction (LightGBM missing type Zero,
    /// `zero_as_missing=true`).
    case zero(defaultLeft: Bool)
}
