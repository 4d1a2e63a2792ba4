/// A tree ensemble compiled for fast scoring: every tree flattened into one node array in which a node's two
/// children sit side by side and leaves loop onto themselves, so a row walks any tree in a fixed number of
/// branch-free steps.
///
/// Each step is the same few instructions for every node: load the feature value, compare it with the node's
/// threshold (`x <= t`), and move to `children + (x <= t ? 0 : 1)`. A leaf's threshold is +∞ and its children
/// index is itself, so once a row reaches a leaf further steps leave it there; after `depth` steps (the tree's
/// longest path) every row sits on its leaf. Because no step depends on a branch, many walks proceed at once: a
/// block of rows through one tree (`margins(rows:…)`), or one row through a group of trees (`margin(_:)`).
///
/// Missing values cost nothing per step: before walking, each feature is copied into two lanes, one where NaN
/// becomes +∞ (so `x <= t` fails and the row goes right) and one where it becomes -∞ (it goes left); a node reads
/// the lane of its default direction. (+∞ thresholds become the largest finite double, which decides every
/// finite value the same way.)
///
/// Results are bit-identical to `TreeEnsemble.margin` for the inputs the encoder produces, finite numbers or
/// NaN: each split decides exactly as the reference comparison does (XGBoost's `Float(x) < Float(t)` becomes the
/// equivalent `x <= t′` in double, see `float32Boundary`), and leaf values are added onto the base margin in
/// tree order.
public struct FlatForest: Sendable {
    /// 16 bytes: the threshold, the lane to read (feature, plus `featureCount` for the lane where missing goes
    /// left), and the index of the left child (the right child follows it).
    struct Node {
        var threshold: Double
        var lane: UInt32
        var children: UInt32
    }

    let nodes: [Node]
    /// The leaf value of each node (0 on internal nodes), read once per tree when the walk ends.
    let leafValues: [Double]
    let roots: [UInt32]
    /// Steps each tree needs: its longest root-to-leaf path.
    let depths: [Int32]
    public let baseMargin: Double
    /// Encoded features the trees read (one past the largest feature index; at least 1). Rows must carry them.
    public let featureCount: Int

    /// Rows scored together through each tree by `margins(rows:…)`: their two lanes (32 × 2 × features × 8
    /// bytes, 23 KiB for 45 features) stay in the first-level cache while every tree walks them. A power of two
    /// (lanes are addressed by shifting).
    static let blockRows = 32
    /// Trees walked together for one row by `margin(_:)` (independent walks hide each other's load latency).
    static let treeGroup = 16

    public init(_ ensemble: TreeEnsemble) {
        var maxFeature = 0
        for tree in ensemble.trees {
            for f in tree.feature where f > maxFeature { maxFeature = Int(f) }
        }
        let width = maxFeature + 1
        var nodes: [Node] = []
        var leafValues: [Double] = []
        var roots: [UInt32] = []
        var depths: [Int32] = []
        for tree in ensemble.trees {
            let placed = FlatForest.place(tree, comparison: ensemble.comparison, base: nodes.count, width: width)
            roots.append(UInt32(nodes.count))
            depths.append(Int32(placed.depth))
            nodes += placed.nodes
            leafValues += placed.leafValues
        }
        self.nodes = nodes
        self.leafValues = leafValues
        self.roots = roots
        self.depths = depths
        self.baseMargin = ensemble.baseMargin
        self.featureCount = width
    }

    /// Lays one tree out breadth first: each internal node gets a fresh pair of adjacent slots for its children.
    /// A node reached from several parents (imported categorical splits share subtrees) is copied into each
    /// parent's pair, but its own children pair is laid out once and shared by the copies.
    static func place(_ tree: DecisionTree, comparison: SplitComparison, base: Int, width: Int)
        -> (nodes: [Node], leafValues: [Double], depth: Int)
    {
        var nodes: [Node] = []
        var leafValues: [Double] = []
        var source: [Int] = []           // tree node held by each slot
        var pairOf = [Int](repeating: -1, count: tree.nodeCount)
        func slot(_ node: Int) {
            source.append(node)
            nodes.append(Node(threshold: 0, lane: 0, children: 0))
            leafValues.append(0)
        }
        slot(0)
        var next = 0
        while next < source.count {
            let s = next
            let n = source[s]
            next += 1
            if tree.feature[n] < 0 {
                nodes[s] = Node(threshold: .infinity, lane: 0, children: UInt32(base + s))
                leafValues[s] = tree.value[n]
                continue
            }
            if pairOf[n] < 0 {
                pairOf[n] = nodes.count
                slot(Int(tree.left[n]))
                slot(Int(tree.right[n]))
            }
            let f = Int(tree.feature[n])
            var threshold = comparison == .lessThanFloat32 ? float32Boundary(tree.threshold[n]) : tree.threshold[n]
            if threshold == .infinity { threshold = .greatestFiniteMagnitude }
            nodes[s] = Node(threshold: threshold, lane: UInt32(tree.defaultLeft[n] ? width + f : f),
                            children: UInt32(base + pairOf[n]))
        }
        return (nodes, leafValues, depth(tree))
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
    /// down-set). When `Float(t)` is -∞ no finite value goes left, and neither does one ≤ -∞.
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

    /// One branch-free step of a walk: the node a row at `node` moves to. Lane `l` of the row starts at
    /// `lanes + (l << laneShift)` (shift 0 for one row, log2 of the block size for a block).
    @inline(__always)
    static func step(_ n: UnsafePointer<Node>, _ node: UInt32, _ lanes: UnsafePointer<Double>, _ laneShift: UInt32) -> UInt32 {
        let record = n[Int(node)]
        let v = lanes[Int(record.lane &<< laneShift)]
        return record.children &+ (v <= record.threshold ? 0 : 1)
    }

    /// Copies `count` rows into lane layout: value `f` of row `r` at `f * laneStride + r` (NaN as +∞) and at
    /// `(featureCount + f) * laneStride + r` (NaN as -∞).
    @inline(__always)
    func fillLanes(_ lanes: UnsafeMutablePointer<Double>, rows: UnsafePointer<Double>, stride: Int, count: Int, laneStride: Int) {
        let width = featureCount
        for r in 0..<count {
            let row = rows + r * stride
            for f in 0..<width {
                let v = row[f]
                let nan = v.isNaN
                lanes[f * laneStride + r] = nan ? .infinity : v
                lanes[(width + f) * laneStride + r] = nan ? -.infinity : v
            }
        }
    }

    /// The margin of one row: groups of trees walked together, leaf values added in tree order.
    @inline(__always)
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        var z = baseMargin
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * featureCount) { buffer in
            let lanes = buffer.baseAddress!
            fillLanes(lanes, rows: x, stride: featureCount, count: 1, laneStride: 1)
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
                                var j0 = rb[t + 8], j1 = rb[t + 9], j2 = rb[t + 10], j3 = rb[t + 11]
                                var j4 = rb[t + 12], j5 = rb[t + 13], j6 = rb[t + 14], j7 = rb[t + 15]
                                var steps = db[t]
                                for k in 1..<FlatForest.treeGroup { steps = max(steps, db[t + k]) }
                                for _ in 0..<steps {
                                    i0 = FlatForest.step(n, i0, lanes, 0); i1 = FlatForest.step(n, i1, lanes, 0)
                                    i2 = FlatForest.step(n, i2, lanes, 0); i3 = FlatForest.step(n, i3, lanes, 0)
                                    i4 = FlatForest.step(n, i4, lanes, 0); i5 = FlatForest.step(n, i5, lanes, 0)
                                    i6 = FlatForest.step(n, i6, lanes, 0); i7 = FlatForest.step(n, i7, lanes, 0)
                                    j0 = FlatForest.step(n, j0, lanes, 0); j1 = FlatForest.step(n, j1, lanes, 0)
                                    j2 = FlatForest.step(n, j2, lanes, 0); j3 = FlatForest.step(n, j3, lanes, 0)
                                    j4 = FlatForest.step(n, j4, lanes, 0); j5 = FlatForest.step(n, j5, lanes, 0)
                                    j6 = FlatForest.step(n, j6, lanes, 0); j7 = FlatForest.step(n, j7, lanes, 0)
                                }
                                z += lv[Int(i0)]; z += lv[Int(i1)]; z += lv[Int(i2)]; z += lv[Int(i3)]
                                z += lv[Int(i4)]; z += lv[Int(i5)]; z += lv[Int(i6)]; z += lv[Int(i7)]
                                z += lv[Int(j0)]; z += lv[Int(j1)]; z += lv[Int(j2)]; z += lv[Int(j3)]
                                z += lv[Int(j4)]; z += lv[Int(j5)]; z += lv[Int(j6)]; z += lv[Int(j7)]
                                t += FlatForest.treeGroup
                            }
                            while t < trees {
                                var i = rb[t]
                                for _ in 0..<db[t] { i = FlatForest.step(n, i, lanes, 0) }
                                z += lv[Int(i)]
                                t += 1
                            }
                        }
                    }
                }
            }
        }
        return z
    }

    /// Margins of `count` rows (row `r` at `rows + r * stride`), written to `out`: blocks of rows copied into
    /// lanes, then walked through each tree together.
    public func margins(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        let block = FlatForest.blockRows
        let shift = UInt32(block.trailingZeroBitCount)
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * featureCount * block) { laneBuffer in
            let lanes = laneBuffer.baseAddress!
            nodes.withUnsafeBufferPointer { nb in
                leafValues.withUnsafeBufferPointer { lv in
                    roots.withUnsafeBufferPointer { rb in
                        depths.withUnsafeBufferPointer { db in
                            let n = nb.baseAddress!
                            var lo = 0
                            while lo < count {
                                let m = min(block, count - lo)
                                fillLanes(lanes, rows: rows + lo * stride, stride: stride, count: m, laneStride: block)
                                let z = out + lo
                                z.update(repeating: baseMargin, count: m)
                                for t in 0..<rb.count {
                                    let root = rb[t]
                                    let steps = db[t]
                                    // Sixteen rows at a time, their positions in registers: sixteen independent
                                    // chains of loads keep the core busy while each waits for its node.
                                    var r = 0
                                    while r + 16 <= m {
                                        let l = lanes + r
                                        var i0 = root, i1 = root, i2 = root, i3 = root
                                        var i4 = root, i5 = root, i6 = root, i7 = root
                                        var j0 = root, j1 = root, j2 = root, j3 = root
                                        var j4 = root, j5 = root, j6 = root, j7 = root
                                        for _ in 0..<steps {
                                            i0 = FlatForest.step(n, i0, l, shift); i1 = FlatForest.step(n, i1, l + 1, shift)
                                            i2 = FlatForest.step(n, i2, l + 2, shift); i3 = FlatForest.step(n, i3, l + 3, shift)
                                            i4 = FlatForest.step(n, i4, l + 4, shift); i5 = FlatForest.step(n, i5, l + 5, shift)
                                            i6 = FlatForest.step(n, i6, l + 6, shift); i7 = FlatForest.step(n, i7, l + 7, shift)
                                            j0 = FlatForest.step(n, j0, l + 8, shift); j1 = FlatForest.step(n, j1, l + 9, shift)
                                            j2 = FlatForest.step(n, j2, l + 10, shift); j3 = FlatForest.step(n, j3, l + 11, shift)
                                            j4 = FlatForest.step(n, j4, l + 12, shift); j5 = FlatForest.step(n, j5, l + 13, shift)
                                            j6 = FlatForest.step(n, j6, l + 14, shift); j7 = FlatForest.step(n, j7, l + 15, shift)
                                        }
                                        z[r] += lv[Int(i0)]; z[r + 1] += lv[Int(i1)]; z[r + 2] += lv[Int(i2)]; z[r + 3] += lv[Int(i3)]
                                        z[r + 4] += lv[Int(i4)]; z[r + 5] += lv[Int(i5)]; z[r + 6] += lv[Int(i6)]; z[r + 7] += lv[Int(i7)]
                                        z[r + 8] += lv[Int(j0)]; z[r + 9] += lv[Int(j1)]; z[r + 10] += lv[Int(j2)]; z[r + 11] += lv[Int(j3)]
                                        z[r + 12] += lv[Int(j4)]; z[r + 13] += lv[Int(j5)]; z[r + 14] += lv[Int(j6)]; z[r + 15] += lv[Int(j7)]
                                        r += 16
                                    }
                                    while r + 8 <= m {
                                        let l = lanes + r
                                        var i0 = root, i1 = root, i2 = root, i3 = root
                                        var i4 = root, i5 = root, i6 = root, i7 = root
                                        for _ in 0..<steps {
                                            i0 = FlatForest.step(n, i0, l, shift); i1 = FlatForest.step(n, i1, l + 1, shift)
                                            i2 = FlatForest.step(n, i2, l + 2, shift); i3 = FlatForest.step(n, i3, l + 3, shift)
                                            i4 = FlatForest.step(n, i4, l + 4, shift); i5 = FlatForest.step(n, i5, l + 5, shift)
                                            i6 = FlatForest.step(n, i6, l + 6, shift); i7 = FlatForest.step(n, i7, l + 7, shift)
                                        }
                                        z[r] += lv[Int(i0)]; z[r + 1] += lv[Int(i1)]; z[r + 2] += lv[Int(i2)]; z[r + 3] += lv[Int(i3)]
                                        z[r + 4] += lv[Int(i4)]; z[r + 5] += lv[Int(i5)]; z[r + 6] += lv[Int(i6)]; z[r + 7] += lv[Int(i7)]
                                        r += 8
                                    }
                                    while r < m {
                                        var i = root
                                        for _ in 0..<steps { i = FlatForest.step(n, i, lanes + r, shift) }
                                        z[r] += lv[Int(i)]
                                        r += 1
                                    }
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
