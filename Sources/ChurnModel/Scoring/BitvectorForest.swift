/// A tree ensemble scored feature by feature with leaf bitvectors (the QuickScorer idea), for ensembles whose
/// trees have at most 64 leaves each.
///
/// Each tree's leaves are numbered left to right and a row keeps one 64-bit word per tree, all ones at the start.
/// A split whose test fails for the row (the row goes right) clears the bits of the leaves in its left subtree;
/// after every failing split has been applied, the lowest bit left in a tree's word is the leaf the row reaches
/// (the leftmost leaf no failing split ruled out is exactly the one the root-to-leaf walk ends in).
///
/// Which splits fail is found without walking any tree: the splits of one feature are sorted by threshold, and a
/// finite value `x` fails exactly those with threshold `< x`, a prefix of that list. The row's value is placed
/// once among the feature's sorted distinct thresholds (a binary search, one comparison for a one-hot indicator)
/// and the prefix length is read from a table. A missing value fails exactly the feature's splits whose default
/// direction is right, kept in a second list. So the work per row is one search per feature the model uses plus
/// one AND per failing split, over arrays that stay in the first-level cache, with no data-dependent walk.
///
/// Results are bit-identical to `TreeEnsemble.margin` for finite or NaN inputs: every split decides as the
/// reference comparison does (XGBoost's `Float(x) < Float(t)` becomes `x <= FlatForest.float32Boundary(t)`),
/// a node shared by several parents (imported categorical chains) is copied into each, and leaf values are
/// added onto the base margin in tree order.
public struct BitvectorForest: Sendable {
    /// Splits in scan order: grouped by feature, sorted by threshold within a feature. Tree and mask of each.
    let splitTree: PinnedArray<UInt32>
    let splitMask: PinnedArray<UInt64>
    /// Splits that fail on a missing value (default direction right), grouped by feature.
    let missingTree: PinnedArray<UInt32>
    let missingMask: PinnedArray<UInt64>
    /// For each feature the model reads (`used[u]`): where its thresholds, prefix table and split lists start.
    let used: PinnedArray<Int32>
    let cutStart: PinnedArray<Int32>
    let cutCount: PinnedArray<Int32>
    let splitStart: PinnedArray<UInt32>
    let missingStart: PinnedArray<UInt32>
    /// Sorted distinct thresholds of each used feature, concatenated.
    let cuts: PinnedArray<Double>
    /// `prefixEnd[cutStart[u] + u + b]`: end (absolute index into the split lists) of feature `u`'s splits whose
    /// threshold is below the `b`-th distinct threshold, for `b` in `0...cutCount[u]`.
    let prefixEnd: PinnedArray<UInt32>
    /// Leaf values of tree `t`, left to right, from `leafStart[t]`.
    let leafStart: PinnedArray<UInt32>
    let leafValues: PinnedArray<Double>
    public let baseMargin: Double
    /// Encoded features the trees read (one past the largest feature index; at least 1).
    public let featureCount: Int
    public var treeCount: Int { leafStart.count }
    /// When every tree has at most 16 leaves (LightGBM's 15, XGBoost's depth 4): each split packed into 32 bits,
    /// tree in the high half and a 16-bit mask in the low half, in the same order as the split lists. A row's scan
    /// then reads a third of the bytes and its bitvectors take 2 bytes per tree, so both stay in the L1 cache.
    let packedSplits: PinnedArray<UInt32>?
    let packedMissing: PinnedArray<UInt32>?
    /// Whether `laneMargins` scores blocks: every tree has at most 16 leaves (`packedSplits`) and no feature has
    /// more splits than a 16-bit lane counter can count down.
    let scoresInLanes: Bool
    var usedCount: Int { used.count }

    /// Rows scored together by `margins(rows:…)`: their leaf indices (trees × rows × 4 bytes) stay in cache
    /// while the margins are summed tree by tree, so sixteen independent sums proceed at once.
    static let blockRows = 16

    /// The most leaves a tree may have (one bit each).
    public static let maxLeaves = 64

    /// nil when some tree has more than 64 leaves (counting copies of shared nodes): use `FlatForest` then.
    public init?(_ ensemble: TreeEnsemble) {
        struct Split { var feature: Int32; var threshold: Double; var defaultLeft: Bool; var tree: UInt32; var mask: UInt64 }
        var splits: [Split] = []
        var leafStart: [UInt32] = []
        var leafValues: [Double] = []
        var maxFeature = 0
        for (t, tree) in ensemble.trees.enumerated() {
            // Leaves below each node, copies of shared nodes counted (saturating, children come after parents).
            var leaves = [Int](repeating: 1, count: tree.nodeCount)
            for i in stride(from: tree.nodeCount - 1, through: 0, by: -1) where tree.feature[i] >= 0 {
                leaves[i] = min(leaves[Int(tree.left[i])] + leaves[Int(tree.right[i])], BitvectorForest.maxLeaves + 1)
            }
            guard leaves[0] <= BitvectorForest.maxLeaves else { return nil }
            leafStart.append(UInt32(leafValues.count))
            // Depth first, left before right: leaves are numbered in left-to-right order.
            func visit(_ node: Int, _ first: Int) -> Int {
                guard tree.feature[node] >= 0 else {
                    leafValues.append(tree.value[node])
                    return first + 1
                }
                let mid = visit(Int(tree.left[node]), first)
                let end = visit(Int(tree.right[node]), mid)
                let width = mid - first   // 1...63: the right subtree keeps at least one leaf
                let leftLeaves = ((UInt64(1) << UInt64(width)) - 1) << UInt64(first)
                let f = tree.feature[node]
                maxFeature = max(maxFeature, Int(f))
                let threshold = ensemble.comparison == .lessThanFloat32
                    ? FlatForest.float32Boundary(tree.threshold[node]) : tree.threshold[node]
                splits.append(Split(feature: f, threshold: threshold, defaultLeft: tree.defaultLeft[node],
                                    tree: UInt32(t), mask: ~leftLeaves))
                return end
            }
            _ = visit(0, 0)
        }
        splits.sort { ($0.feature, $0.threshold) < ($1.feature, $1.threshold) }
        var used: [Int32] = [], cutStart: [Int32] = [], cutCount: [Int32] = []
        var splitStart: [UInt32] = [], missingStart: [UInt32] = []
        var cuts: [Double] = [], prefixEnd: [UInt32] = []
        var missingTree: [UInt32] = [], missingMask: [UInt64] = []
        var lo = 0
        while lo < splits.count {
            let f = splits[lo].feature
            var hi = lo
            while hi < splits.count && splits[hi].feature == f { hi += 1 }
            used.append(f)
            cutStart.append(Int32(cuts.count))
            splitStart.append(UInt32(lo))
            missingStart.append(UInt32(missingTree.count))
            // Distinct thresholds; prefixEnd[b] = first split whose threshold is not below the b-th one.
            var count = 0
            for i in lo..<hi where i == lo || splits[i].threshold != splits[i - 1].threshold {
                cuts.append(splits[i].threshold)
                prefixEnd.append(UInt32(i))
                count += 1
            }
            prefixEnd.append(UInt32(hi))
            cutCount.append(Int32(count))
            for i in lo..<hi where !splits[i].defaultLeft {
                missingTree.append(splits[i].tree)
                missingMask.append(splits[i].mask)
            }
            lo = hi
        }
        missingStart.append(UInt32(missingTree.count))
        splitTree = PinnedArray(splits.map(\.tree))
        splitMask = PinnedArray(splits.map(\.mask))
        self.missingTree = PinnedArray(missingTree)
        self.missingMask = PinnedArray(missingMask)
        self.used = PinnedArray(used)
        self.cutStart = PinnedArray(cutStart)
        self.cutCount = PinnedArray(cutCount)
        self.splitStart = PinnedArray(splitStart)
        self.missingStart = PinnedArray(missingStart)
        self.cuts = PinnedArray(cuts)
        self.prefixEnd = PinnedArray(prefixEnd)
        self.leafStart = PinnedArray(leafStart)
        self.leafValues = PinnedArray(leafValues)
        let narrow = ensemble.trees.count <= 1 << 16
            && (0..<leafStart.count).allSatisfy { (t: Int) -> Bool in
                let end: Int = t + 1 < leafStart.count ? Int(leafStart[t + 1]) : leafValues.count
                return end - Int(leafStart[t]) <= 16
            }
        func pack(_ trees: [UInt32], _ masks: [UInt64]) -> PinnedArray<UInt32> {
            PinnedArray(zip(trees, masks).map { $0 << 16 | UInt32(truncatingIfNeeded: UInt16(truncatingIfNeeded: $1)) })
        }
        packedSplits = narrow ? pack(splits.map(\.tree), splits.map(\.mask)) : nil
        packedMissing = narrow ? pack(missingTree, missingMask) : nil
        let widest = zip(splitStart, splitStart.dropFirst() + [UInt32(splits.count)]).map { Int($1 - $0) }.max() ?? 0
        scoresInLanes = narrow && widest < Int(Int16.max)
        baseMargin = ensemble.baseMargin
        featureCount = maxFeature + 1
    }
}
