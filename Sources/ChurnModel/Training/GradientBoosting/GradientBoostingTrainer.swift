/// Gradient-boosted decision trees for binary log loss, with histogram binning. (Implementation in progress.)
public struct GradientBoostingTrainer: Sendable {
    public var parameters: GradientBoostingParameters

    public init(parameters: GradientBoostingParameters = GradientBoostingParameters()) {
        self.parameters = parameters
    }

    /// The outcome of a fit: the ensemble (truncated to the best validation round) and the loss history.
    public struct Result: Sendable {
        public var ensemble: TreeEnsemble
        public var bestRound: Int
        public var validationLoss: [Double]
        /// Total split gain per encoded feature (for importance).
        public var featureGain: [Double]
    }

    public func fit(_ train: FeatureMatrix, labels: [UInt8], validation: FeatureMatrix?, validationLabels: [UInt8]?) -> Result {
        let rate = Double(labels.reduce(0) { $0 + Int($1) }) / Double(max(labels.count, 1))
        let base = log(rate / (1 - rate))
        return Result(ensemble: TreeEnsemble(baseMargin: base, comparison: .lessOrEqual, trees: []), bestRound: 0, validationLoss: [], featureGain: [Double](repeating: 0, count: train.columns.count))
    }
}

import Foundation
