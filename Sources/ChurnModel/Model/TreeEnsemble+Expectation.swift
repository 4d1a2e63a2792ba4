/// The margin of a row some of whose inputs are not known to the model, averaged over the training data.
///
/// At a split on such an input (a NaN in a feature marked in `average`) the row goes both ways, and the two
/// subtrees' results are weighted by their training cover: the expected leaf value of a training customer who
/// reached that node. Other missing inputs follow the split's learned default direction as usual. With no marked
/// NaN the result is exactly `margin(_:)`.
extension TreeEnsemble {
    public func expectedMargin(_ x: UnsafePointer<Double>, average: [Bool]) -> Double {
        var z = baseMargin
        // Through a pointer: each tree is read in place, not copied (a copy retains its seven arrays, per tree per
        // row, which cost more than the walk itself).
        trees.withUnsafeBufferPointer { all in
            for t in all.indices { z += expectedValue(all.baseAddress! + t, from: 0, x, average) }
        }
        return z
    }

    func expectedValue(_ tree: UnsafePointer<DecisionTree>, from start: Int, _ x: UnsafePointer<Double>, _ average: [Bool]) -> Double {
        var i = start
        while tree.pointee.feature[i] >= 0 {
            let f = Int(tree.pointee.feature[i])
            let v = x[f]
            if v.isNaN && f < average.count && average[f] {
                let (l, r) = (Int(tree.pointee.left[i]), Int(tree.pointee.right[i]))
                let (wl, wr) = (max(tree.pointee.cover[l], 0), max(tree.pointee.cover[r], 0))
                let (el, er) = (expectedValue(tree, from: l, x, average), expectedValue(tree, from: r, x, average))
                // Imported trees may carry no cover; then both sides count the same.
                return wl + wr > 0 ? (wl * el + wr * er) / (wl + wr) : (el + er) / 2
            }
            let left = v.isNaN ? tree.pointee.defaultLeft[i] : TreeEnsemble.goesLeft(v, tree.pointee.threshold[i], comparison)
            i = Int(left ? tree.pointee.left[i] : tree.pointee.right[i])
        }
        return tree.pointee.value[i]
    }
}
