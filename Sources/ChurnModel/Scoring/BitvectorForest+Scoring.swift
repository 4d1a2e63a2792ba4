extension BitvectorForest {
    /// Leaves `bits` (one word per tree) holding, for row `x`, the leaves no failing split ruled out.
    @inline(__always)
    func clearFailedLeaves(_ x: UnsafePointer<Double>, _ bits: UnsafeMutablePointer<UInt64>) {
        bits.update(repeating: ~0, count: treeCount)
        let st = splitTree.base, sm = splitMask.base, mt = missingTree.base, mm = missingMask.base
        let c = cuts.base, pe = prefixEnd.base, cs = cutStart.base, cc = cutCount.base
        let ss = splitStart.base, ms = missingStart.base, us = used.base
        for u in 0..<usedCount {
            let v = x[Int(us[u])]
            var i: Int, end: Int
            if v.isNaN {
                i = Int(ms[u])
                end = Int(ms[u + 1])
                while i < end {
                    bits[Int(mt[i])] &= mm[i]
                    i += 1
                }
                continue
            }
            // How many of the feature's distinct thresholds lie below v: a lower bound whose step count depends
            // only on the number of thresholds and whose steps are conditional moves, so a row's values cost no
            // mispredicted branches here.
            var base = Int(cs[u])
            var len = Int(cc[u])
            while len > 1 {
                let half = len >> 1
                base = c[base + half - 1] < v ? base + half : base
                len -= half
            }
            if len == 1 && c[base] < v { base += 1 }
            // The feature's prefix table starts at cutStart[u] + u, so entry (base - cutStart[u]) is at base + u.
            i = Int(ss[u])
            end = Int(pe[base + u])
            while i < end {
                bits[Int(st[i])] &= sm[i]
                i += 1
            }
        }
    }

    /// The margin of one row: base margin plus each tree's leaf value, in tree order.
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(treeCount, 1)) { buffer in
            let bits = buffer.baseAddress!
            clearFailedLeaves(x, bits)
            let ls = leafStart.base, lv = leafValues.base
            var z = baseMargin
            for t in 0..<treeCount { z += lv[Int(ls[t]) + bits[t].trailingZeroBitCount] }
            return z
        }
    }

    /// Margins of `count` rows (row `r` at `rows + r * stride`), written to `out`. Rows go through the splits one
    /// at a time; their leaves are then summed tree by tree across a block, so the additions of different rows
    /// overlap instead of waiting on each other (each row's sum is still in tree order).
    public func margins(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        let trees = treeCount
        let block = BitvectorForest.blockRows
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(trees, 1)) { bitsBuffer in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(trees * block, 1)) { leafBuffer in
                let bits = bitsBuffer.baseAddress!
                let leaves = leafBuffer.baseAddress!
                let ls = leafStart.base, lv = leafValues.base
                var lo = 0
                while lo < count {
                    let m = min(block, count - lo)
                    for r in 0..<m {
                        clearFailedLeaves(rows + (lo + r) * stride, bits)
                        for t in 0..<trees { leaves[t &* block &+ r] = ls[t] &+ UInt32(bits[t].trailingZeroBitCount) }
                    }
                    let z = out + lo
                    z.update(repeating: baseMargin, count: m)
                    for t in 0..<trees {
                        let l = leaves + t &* block
                        for r in 0..<m { z[r] += lv[Int(l[r])] }
                    }
                    lo += m
                }
            }
        }
    }
}
