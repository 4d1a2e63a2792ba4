/// A tree ensemble compiled for fast scoring: every tree flattened into one node array in which a node's two
/// children sit side by side and leaves loop onto themselves, so a row walks any tree in a fixed number of
/// branch-free steps.
///
/// Each step is the same few instructions for every node: load the feature value, compare it with the node's
/// threshold, and move to `children + goesRight`. A leaf's threshold is +∞ and its children index is itself, so
/// once a row reaches a leaf further steps leave it there; after `depth` steps (the tree's longest path) every
/// row sits on its leaf. Because no step depends on a branch, many walks proceed at once: a block of rows through
/// one tree (`margins(rows:…)`), or one row through a group of trees (`margin(_:)`).
///
/// Results are bit-identical to `TreeEnsemble.margin`: each split decides exactly as the reference comparison
/// does (XGBoost's `Float(x) < Float(t)` becomes the equivalent `x <= t′` in double precision, see
/// `float32Boundary`), and leaf values are added onto the base margin in tree order. Inputs are what the
/// encoder produces: finite numbers or NaN (missing).
public struct FlatForest: Sendable {
    /// 16 bytes: the threshold, the feature's byte offset in a row with bit 0 set when a missing value goes
    /// right, and the index of the left child (the right child follows it).
    struct Node {
        var threshold: Double
        var offsetAndMissingRight: UInt32
        var children: UInt32
    }

    let nodes: [Node]
    /// The leaf value of each node (0 on internal nodes), read once per tree when the walk ends.
    let leafValues: [Double]
    let roots: [UInt32]
    /// Steps each tree needs: its longest root-to-leaf path.
    let depths: [Int32]
    public let baseMargin: Double
    /// Encoded features a row must carry (one past the largest feature index read).
    public let featureCount: Int

    /// Rows scored together through each tree by `margins(rows:…)`.
    static let blockRows = 64
    /// Trees walked together for one row by `margin(_:)`.
    static let treeGroup = 8

    public init(_ ensemble: TreeEnsemble) {
        var nodes: [Node] = []
        var leafValues: [Double] = []
        var roots: [UInt32] = []
        var depths: [Int32] = []
        var maxFeature = -1
        for tree in ensemble.trees {
            let placed = FlatForest.place(tree, comparison: ensemble.comparison, base: nodes.count)
            roots.append(UInt32(nodes.count))
            depths.append(Int32(placed.depth))
            nodes += placed.nodes
            leafValues += placed.leafValues
            maxFeature = max(maxFeature, placed.maxFeature)
        }
        self.nodes = nodes
        self.leafValues = leafValues
        self.roots = roots
        self.depths = depths
        self.baseMargin = ensemble.baseMargin
        self.featureCount = maxFeature + 1
    }

    /// Lays one tree out breadth first: each internal node gets a fresh pair of adjacent slots for its children.
    /// A node reached from several parents (imported categorical splits share subtrees) is copied into each
    /// parent's pair, but its own children pair is laid out once and shared by the copies.
    static func place(_ tree: DecisionTree, comparison: SplitComparison, base: Int)
        -> (nodes: [Node], leafValues: [Double], depth: Int, maxFeature: Int)
    {
        var nodes: [Node] = []
        var leafValues: [Double] = []
        var source: [Int] = []           // tree node held by each slot
        var pairOf = [Int](repeating: -1, count: tree.nodeCount)
        var maxFeature = -1
        func slot(_ node: Int) {
            source.append(node)
            nodes.append(Node(threshold: 0, offsetAndMissingRight: 0, children: 0))
            leafValues.append(0)
        }
        slot(0)
        var next = 0
        while next < source.count {
            let s = next
            let n = source[s]
            next += 1
            if tree.feature[n] < 0 {
                nodes[s] = Node(threshold: .infinity, offsetAndMissingRight: 0, children: UInt32(base + s))
                leafValues[s] = tree.value[n]
                continue
            }
            if pairOf[n] < 0 {
                pairOf[n] = nodes.count
                slot(Int(tree.left[n]))
                slot(Int(tree.right[n]))
            }
            let f = Int(tree.feature[n])
            maxFeature = max(maxFeature, f)
            let threshold = comparison == .lessThanFloat32 ? float32Boundary(tree.threshold[n]) : tree.threshold[n]
            nodes[s] = Node(threshold: threshold,
                            offsetAndMissingRight: UInt32(f * MemoryLayout<Double>.stride) | (tree.defaultLeft[n] ? 0 : 1),
                            children: UInt32(base + pairOf[n]))
        }
        return (nodes, leafValues, depth(tree), maxFeature)
    }

    /// Longest root-to-leaf path, in edges (children always come after their parent, so one backward pass does).
    static func depth(_ tree: DecisionTree) -> Int {
        var below = [Int](repeating: 0, count: tree.nodeCount)
        for i in stride(from: tree.nodeCount - 1, through: 0, by: -1) where tree.feature[i] >= 0 {
            below[i] = 1 + max(below[Int(tree.left[i])], below[Int(tree.right[i])])
        }
        return below[0]
    }

    /// The largest double `d` with `Float(d) < Float(t)`, so that `x <= d` decides exactly as XGBoost's
    /// `Float(x) < Float(t)` for every non-NaN `x` (Float rounding is monotone, so the `x` going left form a
    /// down-set). When `Float(t)` is -∞ nothing finite goes left and -∞ is returned.
    static func float32Boundary(_ t: Double) -> Double {
        let f = Float(t)
        if f == -.infinity { return -.infinity }
        let below = f.nextDown
        // The midpoint between `f` and the float below it, exact in double; it rounds to one of them (ties to even).
        let mid: Double
        if below == -.infinity {
            mid = Double(f) - Double(f.ulp) / 2
        } else if f == .infinity {
            mid = Double(below) + Double(below.ulp) / 2
        } else {
            mid = (Double(below) + Double(f)) / 2
        }
        return Float(mid) < f ? mid : mid.nextDown
    }

    // MARK: Scoring

    /// One branch-free step of a walk: the next node for a row at `node`.
    @inline(__always)
    static func step(_ n: UnsafePointer<Node>, _ node: UInt32, _ row: UnsafeRawPointer) -> UInt32 {
        let record = n[Int(node)]
        let word = record.offsetAndMissingRight
        let v = row.load(fromByteOffset: Int(word & ~7), as: Double.self)
        let above: UInt32 = v > record.threshold ? 1 : 0           // false for NaN
        let notAtOrBelow: UInt32 = v <= record.threshold ? 0 : 1   // true for NaN
        return record.children &+ (above | (notAtOrBelow & word & 1))
    }

    /// The margin of one row: groups of trees walked together, leaf values added in tree order.
    @inline(__always)
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        var z = baseMargin
        let row = UnsafeRawPointer(x)
        nodes.withUnsafeBufferPointer { nb in
            leafValues.withUnsafeBufferPointer { lv in
                roots.withUnsafeBufferPointer { rb in
                    depths.withUnsafeBufferPointer { db in
                        let n = nb.baseAddress!
                        let trees = rb.count
                        var t = 0
                        while t + FlatForest.treeGroup <= trees {
                            var i0 = rb[t], i1 = rb[t + 1], i2 = rb[t + 2], i3 = rb[t + 3]
                            var i4 = rb[t + 4], i5 = rb[t + 5], i6 = rb[t + 6], i7 = rb[t + 7]
                            var steps = db[t]
                            for k in 1..<FlatForest.treeGroup { steps = max(steps, db[t + k]) }
                            for _ in 0..<steps {
                                i0 = FlatForest.step(n, i0, row); i1 = FlatForest.step(n, i1, row)
                                i2 = FlatForest.step(n, i2, row); i3 = FlatForest.step(n, i3, row)
                                i4 = FlatForest.step(n, i4, row); i5 = FlatForest.step(n, i5, row)
                                i6 = FlatForest.step(n, i6, row); i7 = FlatForest.step(n, i7, row)
                            }
                            z += lv[Int(i0)]; z += lv[Int(i1)]; z += lv[Int(i2)]; z += lv[Int(i3)]
                            z += lv[Int(i4)]; z += lv[Int(i5)]; z += lv[Int(i6)]; z += lv[Int(i7)]
                            t += FlatForest.treeGroup
                        }
                        while t < trees {
                            var i = rb[t]
                            for _ in 0..<db[t] { i = FlatForest.step(n, i, row) }
                            z += lv[Int(i)]
                            t += 1
                        }
                    }
                }
            }
        }
        return z
    }

    /// Margins of `count` rows (row `r` at `rows + r * stride`), written to `out`: blocks of rows walked
    /// through each tree together.
    public func margins(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        let block = FlatForest.blockRows
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: block) { index in
            let idx = index.baseAddress!
            nodes.withUnsafeBufferPointer { nb in
                leafValues.withUnsafeBufferPointer { lv in
                    roots.withUnsafeBufferPointer { rb in
                        depths.withUnsafeBufferPointer { db in
                            let n = nb.baseAddress!
                            let rowBytes = stride * MemoryLayout<Double>.stride
                            var lo = 0
                            while lo < count {
                                let m = min(block, count - lo)
                                let base = UnsafeRawPointer(rows + lo * stride)
                                let z = out + lo
                                z.update(repeating: baseMargin, count: m)
                                for t in 0..<rb.count {
                                    let root = rb[t]
                                    for r in 0..<m { idx[r] = root }
                                    for _ in 0..<db[t] {
                                        for r in 0..<m { idx[r] = FlatForest.step(n, idx[r], base + r * rowBytes) }
                                    }
                                    for r in 0..<m { z[r] += lv[Int(idx[r])] }
                                }
                                lo += m
                            }
                        }
                    }
                }
            }
        }
    }
}
