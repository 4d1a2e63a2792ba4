extension BitvectorForest {
    /// The splits of used feature `u` that value `v` fails: a range of the split lists, or of the missing lists
    /// when `v` is NaN.
    @inline(__always)
    func failing(_ u: Int, _ v: Double) -> (start: Int, end: Int, missing: Bool) {
        if v.isNaN { return (Int(missingStart.base[u]), Int(missingStart.base[u + 1]), true) }
        let base = BitvectorForest.cutsBelow(v, cuts.base, from: Int(cutStart.base[u]), count: Int(cutCount.base[u]))
        // The feature's prefix table starts at cutStart[u] + u, so entry (base - cutStart[u]) is at base + u.
        return (Int(splitStart.base[u]), Int(prefixEnd.base[base + u]), false)
    }

    /// Where `v` goes among the `count` sorted thresholds from `c[first]`: `first` plus how many lie below it. The
    /// step count depends only on `count`, and each step is a mask, not a branch (the compiler turned a select
    /// into a branch that the values mispredict), so a row's values cost no mispredicted branches here.
    @inline(__always)
    static func cutsBelow(_ v: Double, _ c: UnsafePointer<Double>, from first: Int, count: Int) -> Int {
        var base = first, len = count
        while len > 1 {
            let half = len &>> 1
            base &+= half & (0 &- Int(unsafeBitCast(c[base &+ half &- 1] < v, to: UInt8.self)))
            len &-= half
        }
        if len == 1 { base &+= Int(unsafeBitCast(c[base] < v, to: UInt8.self)) }
        return base
    }

    /// Leaves `bits` (one word per tree) holding, for row `x`, the leaves no failing split ruled out.
    @inline(__always)
    func clearFailedLeaves(_ x: UnsafePointer<Double>, _ bits: UnsafeMutablePointer<UInt64>) {
        bits.update(repeating: ~0, count: treeCount)
        let st = splitTree.base, sm = splitMask.base, mt = missingTree.base, mm = missingMask.base, us = used.base
        for u in 0..<usedCount {
            let range = failing(u, x[Int(us[u])])
            var i = range.start
            let end = range.end
            if range.missing {
                while i < end { bits[Int(mt[i])] &= mm[i]; i += 1 }
            } else {
                while i < end { bits[Int(st[i])] &= sm[i]; i += 1 }
            }
        }
    }

    /// The same with 16-bit words, when every tree has at most 16 leaves (`packedSplits`).
    @inline(__always)
    func clearFailedLeaves(_ x: UnsafePointer<Double>, _ bits: UnsafeMutablePointer<UInt16>,
                           _ splits: UnsafePointer<UInt32>, _ missingSplits: UnsafePointer<UInt32>) {
        bits.update(repeating: ~0, count: treeCount)
        let us = used.base
        for u in 0..<usedCount {
            let range = failing(u, x[Int(us[u])])
            var i = range.start
            let end = range.end
            let list = range.missing ? missingSplits : splits
            while i < end {
                let e = list[i]
                bits[Int(e >> 16)] &= UInt16(truncatingIfNeeded: e)
                i += 1
            }
        }
    }

    /// The margin of one row: base margin plus each tree's leaf value, in tree order.
    public func margin(_ x: UnsafePointer<Double>) -> Double {
        let ls = leafStart.base, lv = leafValues.base
        var z = baseMargin
        if let packedSplits, let packedMissing {
            withUnsafeTemporaryAllocation(of: UInt16.self, capacity: max(treeCount, 1)) { buffer in
                let bits = buffer.baseAddress!
                clearFailedLeaves(x, bits, packedSplits.base, packedMissing.base)
                for t in 0..<treeCount { z += lv[Int(ls[t]) + bits[t].trailingZeroBitCount] }
            }
        } else {
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: max(treeCount, 1)) { buffer in
                let bits = buffer.baseAddress!
                clearFailedLeaves(x, bits)
                for t in 0..<treeCount { z += lv[Int(ls[t]) + bits[t].trailingZeroBitCount] }
            }
        }
        return z
    }

    /// Margins of `count` rows (row `r` at `rows + r * stride`), written to `out`: sixteen at a time in lanes when
    /// `scoresInLanes`, else (trees of 17 to 64 leaves) rows go through the splits one at a time; their leaves are then summed tree by tree across a block, so the additions of different rows
    /// overlap instead of waiting on each other (each row's sum is still in tree order).
    public func margins(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        guard count > 0 else { return }
        if scoresInLanes { return laneMargins(rows: rows, stride: stride, count: count, into: out) }
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
