/// Every tree's nodes and leaf tables concatenated, so explaining a row reads a few contiguous arrays instead of
/// retaining and releasing each tree's own arrays 300 times a row.
struct FlatTables: Sendable {
    let nodes: [ShapTree.Node]
    /// Tree t's nodes are `nodeStart[t]..<nodeStart[t + 1]`, its leaves `leafStart[t]..<leafStart[t + 1]`.
    let nodeStart: [Int]
    let leafStart: [Int]
    /// False for a tree without a table (explained by the recursion).
    let hasTable: [Bool]
    let leaves: [ShapLeafTable.Leaf]
    let steps: [ShapLeafTable.Step]
    let features: [Int32]
    let values: [Double]

    init(trees: [ShapTree], tables: [ShapLeafTable?]) {
        var nodes: [ShapTree.Node] = [], nodeStart = [0], leafStart = [0], hasTable: [Bool] = []
        var leaves: [ShapLeafTable.Leaf] = [], steps: [ShapLeafTable.Step] = [], features: [Int32] = [], values: [Double] = []
        for (tree, table) in zip(trees, tables) {
            nodes.append(contentsOf: tree.nodes)
            nodeStart.append(nodes.count)
            hasTable.append(table != nil)
            if let table {
                for var leaf in table.leaves {
                    leaf.stepStart += steps.count
                    leaf.featureStart += features.count
                    leaf.valueStart += values.count
                    leaves.append(leaf)
                }
                steps.append(contentsOf: table.steps)
                features.append(contentsOf: table.features)
                values.append(contentsOf: table.values)
            }
            leafStart.append(leaves.count)
        }
        (self.nodes, self.nodeStart, self.leafStart, self.hasTable) = (nodes, nodeStart, leafStart, hasTable)
        (self.leaves, self.steps, self.features, self.values) = (leaves, steps, features, values)
    }

    /// Adds the tabled trees' contributions for row `x` to `phi`; calls `recurse(t)` for each tree without a table.
    @inline(__always)
    func explain(_ x: UnsafePointer<Double>, comparison: SplitComparison, phi: UnsafeMutablePointer<Double>,
                 goesLeft: UnsafeMutablePointer<Bool>, recurse: (Int) -> Void) {
        nodes.withUnsafeBufferPointer { nodes in
        leaves.withUnsafeBufferPointer { leaves in
        steps.withUnsafeBufferPointer { steps in
        features.withUnsafeBufferPointer { features in
        values.withUnsafeBufferPointer { values in
            for t in 0..<hasTable.count {
                guard hasTable[t] else { recurse(t); continue }
                let first = nodeStart[t]
                for i in first..<nodeStart[t + 1] {
                    let node = nodes[i]
                    if node.feature < 0 { continue }
                    let v = x[Int(node.feature)]
                    goesLeft[i - first] = v.isNaN ? node.defaultLeft : TreeEnsemble.goesLeft(v, node.threshold, comparison)
                }
                for l in leafStart[t]..<leafStart[t + 1] {
                    let leaf = leaves[l]
                    let k = leaf.featureCount
                    var pattern = (1 << k) - 1
                    for s in leaf.stepStart..<(leaf.stepStart + leaf.stepCount) {
                        let step = steps[s]
                        if goesLeft[Int(step.node)] != step.goesLeft { pattern &= ~(1 << Int(step.slot)) }
                    }
                    let v = leaf.valueStart + pattern * k
                    for i in 0..<k { phi[Int(features[leaf.featureStart + i])] += values[v + i] }
                }
            }
        }
        }
        }
        }
        }
    }
}
