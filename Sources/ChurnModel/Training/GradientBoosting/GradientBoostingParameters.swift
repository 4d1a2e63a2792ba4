import Foundation

/// Settings of the gradient-boosted trees learner.
public struct GradientBoostingParameters: Codable, Sendable, Equatable {
    /// Upper bound on boosting rounds; early stopping usually ends sooner.
    public var rounds = 1000
    public var learningRate = 0.05
    /// Maximum depth of a tree (root = depth 0).
    public var maxDepth = 6
    /// Maximum leaves per tree.
    public var maxLeaves = 31
    /// Minimum hessian sum in a child for a split to be kept.
    public var minChildWeight = 1.0
    /// L2 penalty on leaf values.
    public var l2 = 1.0
    /// Minimum loss reduction to make a split.
    public var minSplitGain = 0.0
    /// Share of rows sampled (without replacement) for each tree.
    public var subsample = 0.8
    /// Share of features sampled for each tree.
    public var colsample = 0.8
    /// Histogram bins per feature (at most 255).
    public var maxBins = 255
    /// Stop when the validation loss has not improved for this many rounds.
    public var earlyStoppingRounds = 50
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
