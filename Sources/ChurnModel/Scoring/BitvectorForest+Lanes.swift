extension BitvectorForest {
    /// Rows that go through the packed split lists together in `laneMargins`: one 16-bit leaf word per row, two
    /// 128-bit vectors per tree (the width every x86-64 and ARM64 machine has). Sixteen measured a little faster
    /// than eight: the pass over a feature's splits reaches about as far, and does twice the rows.
    static let laneRows = 16

    /// Margins of `count` rows (row `r` at `rows + r * stride`), sixteen rows at a time (`scoresInLanes` only).
    ///
    /// The scalar scan applies each row's failing splits one row at a time. Here the sixteen rows share one pass over
    /// each feature's sorted splits, as far as the row whose value lies above the most of its distinct thresholds:
    /// the splits of threshold `b` clear their leaves in the lanes of the rows whose value lies above at least `b + 1`
    /// thresholds and leave the others as they are, one vector AND per split for sixteen rows. A lane's count of
    /// thresholds still to pass is counted down in a 16-bit lane, once per threshold (not per split: the splits of
    /// one threshold fail for the same rows); its sign, spread over the lane, is what makes the ANDs no-ops once
    /// the row has no more. A row whose
    /// value is missing applies the feature's missing-value list to its own lane. The leaves found and the order
    /// of the sums are those of `margins(rows:…)`, so the margins are bit for bit the same.
    func laneMargins(rows: UnsafePointer<Double>, stride: Int, count: Int, into out: UnsafeMutablePointer<Double>) {
        guard count > 0, let packedSplits, let packedMissing else { return }
        let trees = treeCount
        let width = BitvectorForest.laneRows
        let splits = packedSplits.base, missing = packedMissing.base
        let us = used.base, ms = missingStart.base
        let c = cuts.base, cs = cutStart.base, cc = cutCount.base, pe = prefixEnd.base
        let ls = leafStart.base, lv = leafValues.base
        withUnsafeTemporaryAllocation(of: SIMD16<UInt16>.self, capacity: max(trees, 1)) { laneBuffer in
            let lanes = laneBuffer.baseAddress!
            var lo = 0
            while lo < count {
                let m = min(width, count - lo)
                // Always sixteen lanes: past the last row, lanes repeat it and their results are dropped.
                @inline(__always) func row(_ r: Int) -> UnsafePointer<Double> { rows + (lo + Swift.min(r, m - 1)) * stride }
                lanes.update(repeating: SIMD16(repeating: UInt16.max), count: trees)
                for u in 0..<usedCount {
                    let feature = Int(us[u])
                    let firstCut = Int(cs[u]), cutsOfFeature = Int(cc[u])
                    // The feature's prefix table: entry b is where the splits of its b-th distinct threshold start
                    // (absolute index into the split list), entry `cutsOfFeature` where its splits end.
                    let prefix = pe + firstCut + u
                    // Per lane: distinct thresholds below the value minus one (-1 for none or a missing value);
                    // the most any lane passes.
                    var longest = 0
                    var missingLanes = 0
                    @inline(__always) func lane(_ r: Int) -> Int16 {
                        let v = row(r)[feature]
                        if v.isNaN { missingLanes |= 1 << r; return -1 }
                        let n = BitvectorForest.cutsBelow(v, c, from: firstCut, count: cutsOfFeature) &- firstCut
                        longest = Swift.max(longest, n)
                        return Int16(truncatingIfNeeded: n - 1)
                    }
                    var remaining = SIMD16<Int16>(lane(0), lane(1), lane(2), lane(3), lane(4), lane(5), lane(6), lane(7),
                                                  lane(8), lane(9), lane(10), lane(11), lane(12), lane(13), lane(14), lane(15))
                    // Splits that share a threshold fail for the same lanes: one done-mask per threshold, not per
                    // split (LightGBM's binned thresholds repeat across trees; a one-hot indicator has one).
                    var b = 0
                    while b < longest {
                        // 0xFFFF in lanes whose count went negative (done), 0 in the others.
                        let done = SIMD16<UInt16>(truncatingIfNeeded: remaining &>> 15)
                        var i = Int(prefix[b])
                        let end = Int(prefix[b + 1])
                        while i < end {
                            let e = splits[i]
                            lanes[Int(e >> 16)] &= done | SIMD16(repeating: UInt16(truncatingIfNeeded: e))
                            i += 1
                        }
                        remaining &-= 1
                        b += 1
                    }
                    while missingLanes != 0 {
                        let r = missingLanes.trailingZeroBitCount
                        missingLanes &= missingLanes - 1
                        for j in Int(ms[u])..<Int(ms[u + 1]) {
                            let e = missing[j]
                            lanes[Int(e >> 16)][r] &= UInt16(truncatingIfNeeded: e)
                        }
                    }
                }
                // Each row's sum in tree order, as the reference adds them; eight sums in registers at once.
                for half in 0..<2 where half * 8 < m {
                    var (z0, z1, z2, z3, z4, z5, z6, z7) = (baseMargin, baseMargin, baseMargin, baseMargin,
                                                            baseMargin, baseMargin, baseMargin, baseMargin)
                    // The lane words are read as scalars from memory: one load each, where extracting them from
                    // a vector register took two operations per word.
                    let words = UnsafeRawPointer(lanes).assumingMemoryBound(to: UInt16.self) + half * 8
                    for t in 0..<trees {
                        let w = words + t * 16
                        let leaf = lv + Int(ls[t])
                        z0 += leaf[w[0].trailingZeroBitCount]; z1 += leaf[w[1].trailingZeroBitCount]
                        z2 += leaf[w[2].trailingZeroBitCount]; z3 += leaf[w[3].trailingZeroBitCount]
                        z4 += leaf[w[4].trailingZeroBitCount]; z5 += leaf[w[5].trailingZeroBitCount]
                        z6 += leaf[w[6].trailingZeroBitCount]; z7 += leaf[w[7].trailingZeroBitCount]
                    }
                    withUnsafeTemporaryAllocation(of: Double.self, capacity: 8) { sums in
                        (sums[0], sums[1], sums[2], sums[3], sums[4], sums[5], sums[6], sums[7]) = (z0, z1, z2, z3, z4, z5, z6, z7)
                        (out + lo + half * 8).update(from: sums.baseAddress!, count: Swift.min(8, m - half * 8))
                    }
                }
                lo += m
            }
        }
    }
}
