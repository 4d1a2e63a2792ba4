/// One regression tree laid out for TreeSHAP: each internal node carries the share of its training cover that
/// went to each child, the fractions path-dependent TreeSHAP weighs an unknown feature's branches by.
///
/// The shares are `cover(child) / cover(node)` when the covers add up (a tree trained here, XGBoost's
/// `sum_hessian`, LightGBM's counts), which is what the libraries use; where they do not (the indicator chains an
/// import writes for a categorical split share their subtrees, so a chain node's children can cover more than
/// the node) they are normalised to sum to 1. Either way contributions add up to the margin exactly.
struct ShapTree: Sendable {
    struct Node: Sendable {
        var feature: Int32
        var defaultLeft: Bool
        var left: Int32
        var right: Int32
        var threshold: Double
        /// The leaf value on leaves.
        var value: Double
        var leftShare: Double
        var rightShare: Double
    }

    let nodes: [Node]
    /// Limits beyond which a tree is not explained by TreeSHAP (root-to-leaf paths; splits on one path).
    static let maxPaths = 1 << 16
    static let maxDepth = 512
    /// The most internal nodes on one root-to-leaf path.
    let depth: Int
    /// The tree's mean output under the cover shares: its term of the base value.
    let expected: Double

    /// Nil when some internal node has no usable cover (absent, zero or not finite): TreeSHAP needs covers; or
    /// when the tree exceeds `maxPaths` or `maxDepth`.
    init?(_ tree: DecisionTree) {
        let n = tree.nodeCount
        guard tree.cover.count == n else { return nil }
        var nodes: [Node] = []
        nodes.reserveCapacity(n)
        for i in 0..<n {
            var node = Node(feature: tree.feature[i], defaultLeft: tree.defaultLeft[i], left: tree.left[i], right: tree.right[i],
                            threshold: tree.threshold[i], value: tree.value[i], leftShare: 0, rightShare: 0)
            if node.feature >= 0 {
                let c = tree.cover[i], cl = tree.cover[Int(node.left)], cr = tree.cover[Int(node.right)]
                guard c.isFinite, cl.isFinite, cr.isFinite, c > 0, cl >= 0, cr >= 0, cl + cr > 0 else { return nil }
                let total = abs(cl + cr - c) <= 1e-3 * c ? c : cl + cr
                node.leftShare = cl / total
                node.rightShare = cr / total
            }
            nodes.append(node)
        }
        // Children come after parents, so one backwards pass gives every node's depth below and mean value.
        // Shared subtrees (imported categorical chains) make root-to-leaf paths multiply; TreeSHAP walks every one,
        // so a tree with too many (only a damaged or hostile artifact) is left to path-based explanations.
        var below = [Int](repeating: 0, count: n)
        var paths = [Int](repeating: 1, count: n)
        var mean = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            let node = nodes[i]
            if node.feature < 0 {
                mean[i] = node.value
            } else {
                let l = Int(node.left), r = Int(node.right)
                below[i] = 1 + max(below[l], below[r])
                paths[i] = min(paths[l] + paths[r], ShapTree.maxPaths + 1)
                mean[i] = node.leftShare * mean[l] + node.rightShare * mean[r]
            }
        }
        guard paths[0] <= ShapTree.maxPaths, below[0] <= ShapTree.maxDepth else { return nil }
        self.nodes = nodes
        depth = below[0]
        expected = mean[0]
    }

    /// Path elements one row's walk through this tree needs at most.
    var scratchCount: Int { (depth + 2) * (depth + 3) / 2 + 1 }

    /// Adds this tree's TreeSHAP value of every encoded feature for row `x` to `phi`.
    func explain(_ x: UnsafePointer<Double>, comparison: SplitComparison, phi: UnsafeMutablePointer<Double>,
                 path: UnsafeMutablePointer<ShapPathElement>) {
        nodes.withUnsafeBufferPointer { nodes in
            Walk(nodes: nodes.baseAddress!, x: x, comparison: comparison, phi: phi)
                .visit(0, parent: path, depth: 0, zero: 1, one: 1, feature: -1)
        }
    }

    /// One row's recursive walk: every node gets its own copy of the path, in the scratch just past its parent's.
    private struct Walk {
        let nodes: UnsafePointer<Node>
        let x: UnsafePointer<Double>
        let comparison: SplitComparison
        let phi: UnsafeMutablePointer<Double>

        func visit(_ j: Int, parent: UnsafeMutablePointer<ShapPathElement>, depth: Int, zero: Double, one: Double, feature: Int32) {
            let path = parent + depth
            if depth > 0 { path.update(from: parent, count: depth) }
            ShapPath.extend(path, depth: depth, zero: zero, one: one, feature: feature)
            let node = nodes[j]
            if node.feature < 0 {
                var i = 1
                while i <= depth {
                    let e = path[i]
                    phi[Int(e.feature)] += ShapPath.unwoundSum(path, depth: depth, index: i) * (e.one - e.zero) * node.value
                    i += 1
                }
                return
            }
            let v = x[Int(node.feature)]
            let goesLeft = v.isNaN ? node.defaultLeft : TreeEnsemble.goesLeft(v, node.threshold, comparison)
            let (hot, cold) = goesLeft ? (Int(node.left), Int(node.right)) : (Int(node.right), Int(node.left))
            let (hotShare, coldShare) = goesLeft ? (node.leftShare, node.rightShare) : (node.rightShare, node.leftShare)
            // A feature met again on the path is taken off and re-added with both splits' fractions multiplied.
            var incomingZero = 1.0, incomingOne = 1.0
            var d = depth
            var k = 1
            while k <= d && path[k].feature != node.feature { k += 1 }
            if k <= d {
                incomingZero = path[k].zero
                incomingOne = path[k].one
                ShapPath.unwind(path, depth: d, index: k)
                d -= 1
            }
            // A branch that no training row took and the row does not take weighs nothing (and would divide by 0).
            let hotZero = hotShare * incomingZero, coldZero = coldShare * incomingZero
            if hotZero != 0 || incomingOne != 0 {
                visit(hot, parent: path, depth: d + 1, zero: hotZero, one: incomingOne, feature: node.feature)
            }
            if coldZero != 0 {
                visit(cold, parent: path, depth: d + 1, zero: coldZero, one: 0, feature: node.feature)
            }
        }
    }
}
