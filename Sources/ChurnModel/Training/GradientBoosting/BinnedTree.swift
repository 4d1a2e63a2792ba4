/// A tree as the trainer grows it: splits on bin codes, nodes numbered in the order they were created (so every
/// child comes after its parent). It routes binned rows and becomes a `DecisionTree` on raw values.
struct BinnedTree: Sendable {
    /// One node; a leaf until `split` is set.
    struct Node: Sendable {
        var split: SplitCandidate?
        var left = -1
        var right = -1
        var depth: Int
        var sums: GradientSums
        /// Leaf value (learning rate applied) on leaves; cover-weighted mean of the leaves below on internal nodes.
        var value = 0.0
        /// Hessian sum of the training rows that reached the node.
        var cover = 0.0
    }

    private(set) var nodes: [Node]

    /// What routing reads of a node, packed in 16 bytes (set by `finish`).
    struct Step: Sendable {
        /// The split feature, or -1 on a leaf.
        var feature: Int32 = -1
        var bin: UInt8 = 0
        var missingCode: UInt8 = 0
        var missingLeft = false
        var left: Int32 = -1
        var right: Int32 = -1
    }

    /// Routing table, one step per node, so that routing thousands of rows walks 16-byte records.
    private(set) var steps: [Step] = []

    init(root sums: GradientSums) {
        nodes = [Node(depth: 0, sums: sums)]
    }

    /// Turns leaf `i` into a split and appends its two children; returns their indexes.
    mutating func split(_ i: Int, by candidate: SplitCandidate) -> (left: Int, right: Int) {
        let depth = nodes[i].depth + 1
        let left = nodes.count
        nodes.append(Node(depth: depth, sums: candidate.left))
        nodes.append(Node(depth: depth, sums: candidate.right))
        nodes[i].split = candidate
        nodes[i].left = left
        nodes[i].right = left + 1
        return (left, left + 1)
    }

    /// Sets every leaf to its shrunken Newton step and every internal node to the cover-weighted mean of its
    /// children, which (applied bottom-up) is the cover-weighted mean of all leaves below; builds the routing table.
    mutating func finish(learningRate: Double, l2: Double, bins: [FeatureBins]) {
        steps = nodes.map { node in
            guard let split = node.split else { return Step() }
            return Step(feature: Int32(split.feature), bin: UInt8(split.bin), missingCode: bins[split.feature].missingCode,
                        missingLeft: split.missingLeft, left: Int32(node.left), right: Int32(node.right))
        }
        for i in nodes.indices.reversed() {
            if nodes[i].split == nil {
                nodes[i].cover = nodes[i].sums.hessian
                nodes[i].value = learningRate * nodes[i].sums.leafWeight(l2: l2)
            } else {
                let l = nodes[nodes[i].left]
                let r = nodes[nodes[i].right]
                let cover = l.cover + r.cover
                nodes[i].cover = cover
                nodes[i].value = cover > 0 ? (l.cover * l.value + r.cover * r.value) / cover : (l.value + r.value) / 2
            }
        }
    }

    /// The leaf a binned row reaches (`codes` is the matrix's column-major codes, `rows` its row count).
    @inline(__always)
    func leaf(row: Int, codes: UnsafePointer<UInt8>, rows: Int, steps: UnsafeBufferPointer<Step>) -> Int {
        var i = 0
        while steps[i].feature >= 0 {
            let step = steps[i]
            let code = codes[Int(step.feature) * rows + row]
            let goesLeft = code == step.missingCode ? step.missingLeft : code <= step.bin
            i = Int(goesLeft ? step.left : step.right)
        }
        return i
    }

    /// Adds the leaf value each row reaches to `margins[row]`, for the given rows of `matrix` (all when nil).
    func addValues(of matrix: BinnedMatrix, rows selected: [Int32]?, to margins: UnsafeMutableBufferPointer<Double>,
                   work: ParallelWork) {
        let values = nodes.map(\.value)
        steps.withUnsafeBufferPointer { steps in
            matrix.codes.withUnsafeBufferPointer { codes in
                let codes = codes.baseAddress!
                if let selected {
                    work.forEachChunk(selected.count) { chunk in
                        for k in chunk {
                            let r = Int(selected[k])
                            margins[r] += values[leaf(row: r, codes: codes, rows: matrix.rows, steps: steps)]
                        }
                    }
                } else {
                    work.forEachChunk(matrix.rows) { chunk in
                        for r in chunk { margins[r] += values[leaf(row: r, codes: codes, rows: matrix.rows, steps: steps)] }
                    }
                }
            }
        }
    }

    /// The tree on raw feature values: `x <= threshold` goes left, as the bins did.
    func decisionTree(bins: [FeatureBins]) -> DecisionTree {
        var tree = DecisionTree(feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [])
        for node in nodes {
            if let split = node.split {
                tree.feature.append(Int32(split.feature))
                tree.threshold.append(bins[split.feature].threshold(afterBin: split.bin))
                tree.left.append(Int32(node.left))
                tree.right.append(Int32(node.right))
                tree.defaultLeft.append(split.missingLeft)
            } else {
                tree.feature.append(-1)
                tree.threshold.append(0)
                tree.left.append(-1)
                tree.right.append(-1)
                tree.defaultLeft.append(true)
            }
            tree.value.append(node.value)
            tree.cover.append(node.cover)
        }
        return tree
    }

    /// Adds each split's gain to its feature's total.
    func addGains(to totals: inout [Double]) {
        for node in nodes {
            if let split = node.split { totals[split.feature] += split.gain }
        }
    }
}
