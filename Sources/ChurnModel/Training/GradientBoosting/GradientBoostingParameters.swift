#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Settings of the gradient-boosted trees learner.
///
/// The defaults (small trees: depth 4, 15 leaves) were chosen across every real file in ../shared/data and
/// generated Telco-like, drifted and bank-like files, with rounds from cross-validated early stopping: deeper trees
/// (depth 6, 31 leaves) were behind on every one of them (docs/benchmarks.md, "Model quality").
public struct GradientBoostingParameters: Codable, Sendable, Equatable {
    /// Upper bound on boosting rounds; early stopping usually ends sooner.
    public var rounds = 1000
    /// Shrinkage applied to every leaf value (it is already in the values stored in the trees).
    public var learningRate = 0.05
    /// Maximum depth of a tree (root = depth 0).
    public var maxDepth = 4
    /// Maximum leaves per tree; trees grow best-first (the leaf whose split gains most is split next).
    public var maxLeaves = 15
    /// Minimum hessian sum in a child for a split to be kept (at least 1e-6 whatever is set).
    public var minChildWeight = 1.0
    /// L2 penalty on leaf values.
    public var l2 = 1.0
    /// Minimum loss reduction to make a split (½·[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)]).
    public var minSplitGain = 0.0
    /// Share of rows sampled (without replacement) for each tree.
    public var subsample = 0.8
    /// Share of features sampled for each tree.
    public var colsample = 0.8
    /// Value bins per feature (2...255), cut at quantiles of the training values; missing values get a bin of
    /// their own on top.
    public var maxBins = 255
    /// Stop when the validation loss has not improved for this many rounds, keeping the trees up to the best
    /// round; 0 turns early stopping off.
    public var earlyStoppingRounds = 50
    /// Seeds row and feature sampling; a seed gives the same ensemble whatever the thread count.
    public var seed: UInt64 = 42
    public var threads = ProcessInfo.processInfo.activeProcessorCount

    public init() {}

    /// The settings as strings, for the artifact's training record.
    public var asStrings: [String: String] {
        [
            "rounds": String(rounds), "learningRate": String(learningRate), "maxDepth": String(maxDepth),
            "maxLeaves": String(maxLeaves), "minChildWeight": String(minChildWeight), "l2": String(l2),
            "minSplitGain": String(minSplitGain), "subsample": String(subsample), "colsample": String(colsample),
            "maxBins": String(maxBins), "earlyStoppingRounds": String(earlyStoppingRounds), "seed": String(seed),
        ]
    }
}
