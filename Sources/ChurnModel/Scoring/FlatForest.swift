/// A tree ensemble laid out as one contiguous node array, for fast scoring.
///
/// Each node packs what traversal needs into 24 bytes; leaves carry their value in `threshold`.
/// Trees are visited in order and their leaf values summed onto the base margin.
public struct FlatForest: Sendable {
    struct Node {
        var threshold: Double   // leaf: the leaf value
        var feature: Int32      // < 0: leaf
        var left: Int32         // absolute node index
        var right: Int32
        var defaultLeft: Bool
    }

    let nodes: [Node]
    let roots: [Int32]
    public let baseMargin: Double
    let comparison: SplitComparison

    public init(_ ensemble: TreeEnsemble) {
        var nodes: [Node] = []
        var roots: [Int32] = []
        for tree in ensemble.trees {
            let base = Int32(nodes.count)
            roots.append(base)
            for i in 0..<tree.nodeCount {
                let leaf = tree.feature[i] < 0
                nodes.append(Node(threshold: leaf ? tree.value[i] : tree.threshold[i],
                                  feature: tree.feature[i],
                                  left: leaf ? -1 : base + tree.left[i],
                                  right: leaf ? -1 : base + tree.right[i],
                                  defaultLeft: tree.defaultLeft[i]))
            }
        }
        self.nodes = nodes
        self.roots = roots
        self.baseMargin = ensemble.baseMargin
        self.comparison = ensemble.comparison
    }

    @inline(__always)
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        switch comparison {
        case .lessOrEqual: return walk(x) { $0 <= $1 }
        case .lessThanFloat32: return walk(x) { Float($0) < Float($1) }
        }
    }

    @inline(__always)
    private func walk(_ x: UnsafePointer<Double>, _ goesLeft: (Double, Double) -> Bool) -> Double {
        var z = baseMargin
        nodes.withUnsafeBufferPointer { n in
            roots.withUnsafeBufferPointer { r in
                for root in r {
                    var i = Int(root)
                    while true {
                        let node = n[i]
                        if node.feature < 0 { z += node.threshold; break }
                        let v = x[Int(node.feature)]
                        let left = v.isNaN ? node.defaultLeft : goesLeft(v, node.threshold)
                        i = Int(left ? node.left : node.right)
                    }
                }
            }
        }
        return z
    }
}
