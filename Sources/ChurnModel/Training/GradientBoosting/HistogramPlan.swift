/// The passes over a node's rows that fill its histogram for a tree's sampled features: one per feature, except
/// that the sampled members of a one-hot bundle share one pass over the bundle's column.
struct HistogramPlan: Sendable {
    enum Pass: Sendable {
        case feature(Int)
        /// A bundle (index into `BinnedMatrix.bundles`) and its sampled members as (position in bundle, feature).
        case bundle(Int, [(position: Int, feature: Int)])
    }

    /// The sampled features, ascending: the histogram slots that a build fills.
    let features: [Int]
    let passes: [Pass]

    init(features: [Int], matrix: BinnedMatrix) {
        var passes: [Pass] = []
        var members: [Int: [(position: Int, feature: Int)]] = [:]
        for f in features {
            let b = matrix.bundleOf[f]
            if b < 0 {
                passes.append(.feature(f))
            } else {
                members[b, default: []].append((matrix.bundles[b].members.firstIndex(of: f)!, f))
            }
        }
        for (b, selected) in members.sorted(by: { $0.key < $1.key }) {
            // A lone sampled member is cheaper on its own binary column than through the bundle.
            if selected.count == 1 {
                passes.append(.feature(selected[0].feature))
            } else {
                passes.append(.bundle(b, selected))
            }
        }
        self.features = features
        self.passes = passes
    }
}
