/// Grows one regression tree on gradient pairs, best-first (leaf-wise), from histograms of bin codes.
///
/// Best-first: of all current leaves, the one whose best split gains most is split next, until `maxLeaves` leaves
/// exist or no leaf has a split worth making; `maxDepth` caps any path. For a fixed leaf budget this spends the
/// splits where the loss drops most (LightGBM's strategy), where depth-wise growth would spend them evenly.
///
/// Each split builds the histogram of its smaller child from rows and gets the larger child's by subtracting
/// that from the parent's, so a level of the tree costs a pass over fewer than half of its rows.
struct TreeGrower {
    let matrix: BinnedMatrix
    let parameters: GradientBoostingParameters
    let work: ParallelWork
    /// The node's row gradients in partition order, reused by every histogram build.
    private var ordered: [RowGradient]

    init(matrix: BinnedMatrix, parameters: GradientBoostingParameters, work: ParallelWork) {
        self.matrix = matrix
        self.parameters = parameters
        self.work = work
        self.ordered = [RowGradient](repeating: .zero, count: matrix.rows)
    }

    /// A leaf that may still be split.
    private struct OpenLeaf {
        var node: Int
        var range: Range<Int>
        var histogram: GradientHistogram?
        var best: SplitCandidate?
    }

    /// The grown tree (values set), and the partition whose leaf ranges say which sampled rows reached each leaf.
    struct Grown {
        var tree: BinnedTree
        var partition: RowPartition
        /// For each leaf node, its range in `partition.rows`.
        var leafRanges: [(node: Int, range: Range<Int>)]
    }

    /// Grows a tree on `sample.rows` and `sample.features`; `gradients[r]` is row r's gradient and hessian (only
    /// sampled rows are read).
    mutating func grow(sample: RowSample, gradients: [RowGradient]) -> Grown {
        let features = sample.features
        let plan = HistogramPlan(features: features, matrix: matrix)
        var partition = RowPartition(rows: sample.rows)
        var sum = GradientPair.zero
        for r in sample.rows { sum += GradientPair(gradients[Int(r)]) }
        let total = GradientSums(sum)
        var tree = BinnedTree(root: total)
        var open: [OpenLeaf] = []
        var closed: [(node: Int, range: Range<Int>)] = []
        let maxLeaves = max(parameters.maxLeaves, 1)

        if parameters.maxDepth > 0 && maxLeaves > 1 {
            let range = 0..<sample.rows.count
            let histogram = build(range, total: total, partition: partition, gradients: gradients, plan: plan)
            open.append(OpenLeaf(node: 0, range: range, histogram: histogram,
                                 best: SplitCandidate.best(in: histogram, total: total, features: features,
                                                           matrix: matrix, parameters: parameters)))
        } else {
            closed.append((0, 0..<sample.rows.count))
        }

        var leaves = 1
        while leaves < maxLeaves {
            // The open leaf with the largest gain; on a tie the earliest node, for determinism.
            var pick: Int?
            for (k, leaf) in open.enumerated() {
                guard let gain = leaf.best?.gain else { continue }
                if let p = pick, open[p].best!.gain >= gain { continue }
                pick = k
            }
            guard let k = pick else { break }
            let parent = open.remove(at: k)
            let split = parent.best!
            let (leftNode, rightNode) = tree.split(parent.node, by: split)
            leaves += 1
            let boundary = matrix.codes.withUnsafeBufferPointer { codes in
                partition.split(parent.range, column: codes.baseAddress! + split.feature * matrix.rows,
                                bin: UInt8(split.bin), missingCode: matrix.bins[split.feature].missingCode,
                                missingLeft: split.missingLeft)
            }
            let leftRange = parent.range.lowerBound..<boundary
            let rightRange = boundary..<parent.range.upperBound

            let depth = tree.nodes[leftNode].depth
            let splittable = [(leftNode, leftRange), (rightNode, rightRange)].map { node, range in
                depth < parameters.maxDepth && range.count >= 2
                    && tree.nodes[node].sums.hessian >= 2 * max(parameters.minChildWeight, SplitCandidate.hessianFloor)
            }
            guard splittable[0] || splittable[1], let parentHistogram = parent.histogram else {
                closed.append((leftNode, leftRange))
                closed.append((rightNode, rightRange))
                continue
            }
            let smallerIsLeft = leftRange.count <= rightRange.count
            let small = build(smallerIsLeft ? leftRange : rightRange,
                              total: tree.nodes[smallerIsLeft ? leftNode : rightNode].sums,
                              partition: partition, gradients: gradients, plan: plan)
            var large = GradientHistogram(slots: matrix.totalSlots)
            large.setDifference(parentHistogram, small, matrix: matrix, features: features)
            let children = smallerIsLeft ? [(leftNode, leftRange, small), (rightNode, rightRange, large)]
                                         : [(leftNode, leftRange, large), (rightNode, rightRange, small)]
            for (c, (node, range, histogram)) in children.enumerated() {
                guard splittable[c] else {
                    closed.append((node, range))
                    continue
                }
                let best = SplitCandidate.best(in: histogram, total: tree.nodes[node].sums, features: features,
                                               matrix: matrix, parameters: parameters)
                open.append(OpenLeaf(node: node, range: range, histogram: best == nil ? nil : histogram, best: best))
            }
        }
        closed += open.map { ($0.node, $0.range) }
        tree.finish(learningRate: parameters.learningRate, l2: parameters.l2, bins: matrix.bins)
        return Grown(tree: tree, partition: partition, leafRanges: closed)
    }

    /// The histogram of the rows in `range`, gathering their gradients into partition order first.
    private mutating func build(_ range: Range<Int>, total: GradientSums, partition: RowPartition,
                                gradients: [RowGradient], plan: HistogramPlan) -> GradientHistogram {
        var histogram = GradientHistogram(slots: matrix.totalSlots)
        let count = range.count
        partition.rows.withUnsafeBufferPointer { all in
            let rows = UnsafeBufferPointer(rebasing: all[range])
            gradients.withUnsafeBufferPointer { g in
                ordered.withUnsafeMutableBufferPointer { o in
                    // Scattered reads that miss cache: worth a second core on big nodes. Each k is written once.
                    let gather = count >= ParallelWork.chunkRows ? work : ParallelWork(threads: 1)
                    gather.forEachChunk(count) { chunk in
                        for k in chunk { o[k] = g[Int(rows[k])] }
                    }
                }
            }
            ordered.withUnsafeBufferPointer { o in
                histogram.build(rows: rows, ordered: UnsafeBufferPointer(rebasing: o[0..<count]), total: total.pair,
                                matrix: matrix, plan: plan, work: work)
            }
        }
        return histogram
    }
}
