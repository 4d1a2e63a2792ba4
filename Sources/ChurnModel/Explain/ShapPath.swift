/// One feature on the path TreeSHAP carries down a tree: the share of rows that reach this point when the
/// feature is unknown (`zero`), whether the row itself does when it is known (`one`, 0 or 1), and the running
/// weight of the subsets of path features of one size (`weight`, indexed by position).
public struct ShapPathElement: Sendable {
    var feature: Int32
    var zero: Double
    var one: Double
    var weight: Double

    init(feature: Int32 = -1, zero: Double = 0, one: Double = 0, weight: Double = 0) {
        self.feature = feature
        self.zero = zero
        self.one = one
        self.weight = weight
    }
}

/// The path operations of path-dependent TreeSHAP (Lundberg et al., "Consistent individualized feature
/// attribution for tree ensembles", Algorithm 2), on a path of `depth + 1` elements `p[0...depth]`.
///
/// `weight[i]` is the summed Shapley weight, i!(n−i−1)!/n!, of the subsets of `i` path features, each subset's
/// term the product of `one` over its features and `zero` over the others. Adding an element updates those
/// sums in one backwards pass; removing one (a feature met a second time) inverts that pass.
enum ShapPath {
    /// Appends (feature, zero, one) at index `depth` of a path that holds `depth` elements.
    @inline(__always)
    static func extend(_ p: UnsafeMutablePointer<ShapPathElement>, depth: Int, zero: Double, one: Double, feature: Int32) {
        p[depth] = ShapPathElement(feature: feature, zero: zero, one: one, weight: depth == 0 ? 1 : 0)
        let n = Double(depth + 1)
        var i = depth - 1
        while i >= 0 {
            p[i + 1].weight += one * p[i].weight * Double(i + 1) / n
            p[i].weight = zero * p[i].weight * Double(depth - i) / n
            i -= 1
        }
    }

    /// Removes element `index` (≥ 1) from a path of `depth + 1` elements, leaving `depth`.
    @inline(__always)
    static func unwind(_ p: UnsafeMutablePointer<ShapPathElement>, depth: Int, index: Int) {
        let one = p[index].one
        let zero = p[index].zero
        let n1 = Double(depth + 1)
        var carried = p[depth].weight
        var i = depth - 1
        while i >= 0 {
            if one != 0 {
                let previous = p[i].weight
                p[i].weight = carried * n1 / (Double(i + 1) * one)
                carried = previous - p[i].weight * zero * Double(depth - i) / n1
            } else {
                p[i].weight = p[i].weight * n1 / (zero * Double(depth - i))
            }
            i -= 1
        }
        var j = index
        while j < depth {
            p[j].feature = p[j + 1].feature
            p[j].zero = p[j + 1].zero
            p[j].one = p[j + 1].one
            j += 1
        }
    }

    /// The total weight the path would have with element `index` removed, without removing it.
    @inline(__always)
    static func unwoundSum(_ p: UnsafePointer<ShapPathElement>, depth: Int, index: Int) -> Double {
        let one = p[index].one
        let zero = p[index].zero
        let n1 = Double(depth + 1)
        var total = 0.0
        var i = depth - 1
        if one != 0 {
            var carried = p[depth].weight
            while i >= 0 {
                let w = carried * n1 / (Double(i + 1) * one)
                total += w
                carried = p[i].weight - w * zero * Double(depth - i) / n1
                i -= 1
            }
        } else {
            while i >= 0 {
                total += p[i].weight * n1 / (zero * Double(depth - i))
                i -= 1
            }
        }
        return total
    }
}
