/// The best way found to split one node: on which feature, after which bin, where missing values go, and its gain.
struct SplitCandidate: Sendable, Equatable {
    var feature: Int
    /// Value bins `0...bin` go left, the others right.
    var bin: Int
    /// Where rows whose value is missing go (learnt, or the larger side when the node had none).
    var missingLeft: Bool
    /// Loss reduction, ½·[G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ)].
    var gain: Double
    var left: GradientSums
    var right: GradientSums

    /// Smallest hessian a child may have whatever `minChildWeight` says: it keeps rounding residue of histogram
    /// subtraction (an "empty" bin left at 1e-12) from passing for a child with rows in it.
    static let hessianFloor = 1e-6

    /// The best split of a node with totals `total` over `features`, or nil when none gains more than
    /// `minSplitGain` with both children at or above `minChildWeight`.
    ///
    /// Each cut between value bins is tried with the node's missing rows on the left and on the right (XGBoost's
    /// sparsity-aware search), which also covers "missing against everything else". Ties keep the lowest
    /// feature, then the lowest bin, so the search is deterministic.
    static func best(in histogram: GradientHistogram, total: GradientSums, features: [Int], matrix: BinnedMatrix,
                     parameters: GradientBoostingParameters) -> SplitCandidate? {
        let l2 = parameters.l2
        let minHessian = max(parameters.minChildWeight, hessianFloor)
        guard total.hessian >= 2 * minHessian else { return nil }
        let parentScore = total.score(l2: l2)
        var best: SplitCandidate?
        var bestGain = max(parameters.minSplitGain, 0)
        histogram.sums.withUnsafeBufferPointer { sums in
            for f in features {
                let bins = matrix.bins[f]
                let base = matrix.slotOffsets[f]
                let valueBins = bins.valueBins
                let missing = GradientSums(sums[base + valueBins])
                let hasMissing = missing.hessian >= hessianFloor
                func consider(_ l: GradientSums, bin b: Int, missingLeft: Bool) {
                    let r = total - l
                    guard l.hessian >= minHessian, r.hessian >= minHessian else { return }
                    let gain = 0.5 * (l.score(l2: l2) + r.score(l2: l2) - parentScore)
                    guard gain > bestGain else { return }
                    bestGain = gain
                    // With no missing rows in the node, unseen missing values follow the majority (larger cover).
                    let defaultLeft = hasMissing ? missingLeft : l.hessian >= r.hessian
                    best = SplitCandidate(feature: f, bin: b, missingLeft: defaultLeft, gain: gain, left: l, right: r)
                }
                var left = GradientSums.zero
                for b in 0..<valueBins {
                    left.gradient += sums[base + b].x
                    left.hessian += sums[base + b].y
                    consider(left, bin: b, missingLeft: false)
                    if hasMissing { consider(left + missing, bin: b, missingLeft: true) }
                }
            }
        }
        return best
    }
}
