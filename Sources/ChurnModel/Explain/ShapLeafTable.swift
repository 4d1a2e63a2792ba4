/// TreeSHAP of one tree precomputed per leaf, so explaining a row costs a pass over the leaves' paths instead of
/// the O(L·D²) recursion (the idea of Yang's "Fast TreeSHAP" v2, in our own layout).
///
/// A leaf's share of feature f's contribution depends on the row only through which of the leaf path's distinct
/// features the row satisfies (goes the path's way at every split on it): for k distinct features, one of 2^k
/// patterns. For each pattern the k contributions are computed once, with the same path algebra as the
/// recursion; a row then finds each leaf's pattern from the tree's split decisions and adds k numbers.
struct ShapLeafTable: Sendable {
    struct Step: Sendable {
        var node: Int32
        var goesLeft: Bool
        /// Which of the leaf's distinct features this split tests (its bit in the pattern).
        var slot: UInt8
    }

    struct Leaf: Sendable {
        var stepStart: Int
        var stepCount: Int
        var featureStart: Int
        var featureCount: Int
        var valueStart: Int
    }

    let leaves: [Leaf]
    let steps: [Step]
    let features: [Int32]
    /// Per leaf, 2^k patterns of k contributions.
    let values: [Double]

    /// Distinct features on one path a table handles, and root-to-leaf paths per tree.
    static let maxFeatures = 10
    static let maxPaths = 4096

    /// Nil when the tree has too many paths, a path too many distinct features, or the table would hold more than
    /// `budget` values; such a tree is explained by the recursion instead.
    init?(_ tree: ShapTree, budget: Int) {
        var leaves: [Leaf] = []
        var steps: [Step] = []
        var features: [Int32] = []
        var values: [Double] = []
        var trail: [(node: Int32, goesLeft: Bool)] = []
        var path = [ShapPathElement](repeating: ShapPathElement(), count: Self.maxFeatures + 2)
        let nodes = tree.nodes

        // Adds the leaf at the end of `trail`; false when a limit is reached.
        func addLeaf(_ value: Double) -> Bool {
            var distinct: [Int32] = []
            var zero: [Double] = []
            let stepStart = steps.count
            for (node, goesLeft) in trail {
                let n = nodes[Int(node)]
                let share = goesLeft ? n.leftShare : n.rightShare
                let slot: Int
                if let s = distinct.firstIndex(of: n.feature) {
                    slot = s
                    zero[s] *= share
                } else {
                    slot = distinct.count
                    distinct.append(n.feature)
                    zero.append(share)
                }
                steps.append(Step(node: node, goesLeft: goesLeft, slot: UInt8(truncatingIfNeeded: slot)))
            }
            let k = distinct.count
            guard k <= Self.maxFeatures, leaves.count < Self.maxPaths, values.count + (k << k) <= budget else { return false }
            leaves.append(Leaf(stepStart: stepStart, stepCount: trail.count, featureStart: features.count, featureCount: k,
                               valueStart: values.count))
            features.append(contentsOf: distinct)
            path.withUnsafeMutableBufferPointer { p in
                let p = p.baseAddress!
                for pattern in 0..<(1 << k) {
                    let one = (0..<k).map { pattern & (1 << $0) != 0 ? 1.0 : 0.0 }
                    // A feature the row fails and no training row took weighs the whole leaf to nothing.
                    if (0..<k).contains(where: { one[$0] == 0 && zero[$0] == 0 }) {
                        values.append(contentsOf: repeatElement(0, count: k))
                        continue
                    }
                    ShapPath.extend(p, depth: 0, zero: 1, one: 1, feature: -1)
                    for i in 0..<k { ShapPath.extend(p, depth: i + 1, zero: zero[i], one: one[i], feature: distinct[i]) }
                    for i in 0..<k {
                        values.append(ShapPath.unwoundSum(p, depth: k, index: i + 1) * (one[i] - zero[i]) * value)
                    }
                }
            }
            return true
        }

        func visit(_ j: Int) -> Bool {
            let node = nodes[j]
            if node.feature < 0 { return addLeaf(node.value) }
            trail.append((Int32(j), true))
            guard visit(Int(node.left)) else { return false }
            trail[trail.count - 1].goesLeft = false
            guard visit(Int(node.right)) else { return false }
            trail.removeLast()
            return true
        }

        guard visit(0) else { return nil }
        self.leaves = leaves
        self.steps = steps
        self.features = features
        self.values = values
    }
}
