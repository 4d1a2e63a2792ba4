/// Exact path-dependent TreeSHAP for a tree ensemble: every encoded feature's Shapley value for one row's
/// margin, the unknown features' branches weighed by the training covers. With `baseValue` they sum to the margin.
public struct TreeExplainer: Sendable {
    let trees: [ShapTree]
    /// Each tree's precomputed leaf table, where it fits the memory budget (nil: the recursion explains it).
    let tables: [ShapLeafTable?]
    /// The same tables and nodes in contiguous arrays, walked per row without touching per-tree objects.
    let flat: FlatTables
    let comparison: SplitComparison
    /// The margin of a row about which nothing is known: the ensemble's base margin plus each tree's
    /// cover-weighted mean (XGBoost's bias term of `pred_contribs`, LightGBM's expected value).
    public let baseValue: Double
    /// Path elements one call needs.
    public let scratchCount: Int
    /// Nodes of the largest tree (decision scratch one call needs).
    public let nodeCount: Int

    /// Leaf-table values (8 bytes each) an explainer may hold: 32 MiB, enough for 300 trees of 16 leaves at
    /// depth 4 many times over; deeper forests spill the rest to the recursion.
    public static let tableBudget = 4 << 20
    /// Nil when some tree lacks usable node covers (then only path-based explanations are possible).
    public init?(_ ensemble: TreeEnsemble, tableBudget: Int = TreeExplainer.tableBudget) {
        var trees: [ShapTree] = []
        trees.reserveCapacity(ensemble.trees.count)
        for tree in ensemble.trees {
            guard let t = ShapTree(tree) else { return nil }
            trees.append(t)
        }
        var budget = tableBudget
        tables = trees.map { tree in
            guard budget > 0, let table = ShapLeafTable(tree, budget: budget) else { return nil }
            budget -= table.values.count
            return table
        }
        self.trees = trees
        flat = FlatTables(trees: trees, tables: tables)
        nodeCount = trees.map(\.nodes.count).max() ?? 1
        comparison = ensemble.comparison
        baseValue = trees.reduce(ensemble.baseMargin) { $0 + $1.expected }
        scratchCount = trees.map(\.scratchCount).max() ?? 1
    }

    /// Adds every encoded feature's contribution for row `x` to `phi` (which the caller zeroes); `path` must
    /// hold `scratchCount` elements and `goesLeft` `nodeCount`.
    public func contributions(_ x: UnsafePointer<Double>, into phi: UnsafeMutablePointer<Double>,
                              path: UnsafeMutablePointer<ShapPathElement>, goesLeft: UnsafeMutablePointer<Bool>) {
        flat.explain(x, comparison: comparison, phi: phi, goesLeft: goesLeft) { t in
            trees[t].explain(x, comparison: comparison, phi: phi, path: path)
        }
    }

    /// Every encoded feature's contribution for row `x` (`featureCount` values), allocating; for tests and tools.
    public func contributions(_ x: UnsafePointer<Double>, featureCount: Int) -> [Double] {
        var phi = [Double](repeating: 0, count: featureCount)
        var path = [ShapPathElement](repeating: ShapPathElement(), count: scratchCount)
        var goesLeft = [Bool](repeating: false, count: nodeCount)
        phi.withUnsafeMutableBufferPointer { phi in
            path.withUnsafeMutableBufferPointer { path in
                goesLeft.withUnsafeMutableBufferPointer { contributions(x, into: phi.baseAddress!, path: path.baseAddress!, goesLeft: $0.baseAddress!) }
            }
        }
        return phi
    }
}
