/// A row's (or a set of rows') gradient and hessian side by side, so one vector add accumulates both.
typealias GradientPair = SIMD2<Double>

/// Per feature and bin, the sums of gradient and hessian over the rows of one tree node.
///
/// A split search only needs these sums, so a node costs one pass over its rows instead of a sort per feature.
/// Slots are laid out as in `BinnedMatrix.slotOffsets`; each holds a `GradientPair`.
struct GradientHistogram: Sendable {
    var sums: [GradientPair]

    init(slots: Int) {
        sums = [GradientPair](repeating: .zero, count: slots)
    }

    /// Below this much work (rows × features) one thread builds the histogram: waking a second costs more.
    static let parallelThreshold = 32_768

    /// Fills the slots of `plan.features` from `rows`, where `ordered[k]` is row `rows[k]`'s gradient pair
    /// (gathered once per node so that every pass reads them in sequence) and `total` is their sum.
    ///
    /// Passes are shared out between threads and each is summed by one thread in row order, so the result does
    /// not depend on the thread count.
    mutating func build(rows: UnsafeBufferPointer<Int32>, ordered: UnsafeBufferPointer<GradientPair>, total: GradientPair,
                        matrix: BinnedMatrix, plan: HistogramPlan, work: ParallelWork) {
        let work = rows.count * plan.passes.count >= GradientHistogram.parallelThreshold ? work : ParallelWork(threads: 1)
        let n = matrix.rows
        matrix.codes.withUnsafeBufferPointer { codes in
            sums.withUnsafeMutableBufferPointer { sums in
                let sums = UncheckedBox(sums.baseAddress!)
                work.forEach(plan.passes.count) { k in
                    switch plan.passes[k] {
                    case .feature(let f):
                        let column = codes.baseAddress! + f * n
                        let slots = sums.value + matrix.slotOffsets[f]
                        if matrix.isBinary[f] {
                            let ones = GradientHistogram.sumOfOnes(column: column, rows: rows, ordered: ordered)
                            slots[0] = total - ones
                            slots[1] = ones
                            slots[2] = .zero
                        } else {
                            GradientHistogram.accumulate(column: column, rows: rows, ordered: ordered,
                                                         into: slots, slots: matrix.bins[f].slots)
                        }
                    case .bundle(let b, let members):
                        let bundle = matrix.bundles[b]
                        let width = bundle.members.count + 1
                        bundle.codes.withUnsafeBufferPointer { column in
                            withUnsafeTemporaryAllocation(of: GradientPair.self, capacity: width) { perMember in
                                GradientHistogram.accumulate(column: column.baseAddress!, rows: rows, ordered: ordered,
                                                             into: perMember.baseAddress!, slots: width)
                                for (position, f) in members {
                                    let slots = sums.value + matrix.slotOffsets[f]
                                    slots[0] = total - perMember[position]
                                    slots[1] = perMember[position]
                                    slots[2] = .zero
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The sum over rows whose code is 1, for a feature whose codes are all 0 or 1.
    ///
    /// Multiplying by the code instead of indexing by it keeps the sums in registers: a histogram in memory makes
    /// each row wait for the previous row's store to the same slot, which for two slots is nearly every row.
    @inline(__always)
    private static func sumOfOnes(column: UnsafePointer<UInt8>, rows: UnsafeBufferPointer<Int32>,
                                  ordered: UnsafeBufferPointer<GradientPair>) -> GradientPair {
        var even = GradientPair.zero
        var odd = GradientPair.zero
        let m = rows.count
        var k = 0
        while k + 1 < m {
            even += Double(column[Int(rows[k])]) * ordered[k]
            odd += Double(column[Int(rows[k + 1])]) * ordered[k + 1]
            k += 2
        }
        if k < m { even += Double(column[Int(rows[k])]) * ordered[k] }
        return even + odd
    }

    /// A plain histogram pass. Rows go round-robin to four partial histograms, added up at the end: with few bins
    /// consecutive rows often land in the same slot, and each addition would otherwise wait for the previous
    /// row's store to that slot.
    @inline(__always)
    private static func accumulate(column: UnsafePointer<UInt8>, rows: UnsafeBufferPointer<Int32>,
                                   ordered: UnsafeBufferPointer<GradientPair>, into slots: UnsafeMutablePointer<GradientPair>,
                                   slots width: Int) {
        withUnsafeTemporaryAllocation(of: GradientPair.self, capacity: 4 * width) { lanes in
            lanes.initialize(repeating: .zero)
            let l0 = lanes.baseAddress!
            let l1 = l0 + width
            let l2 = l1 + width
            let l3 = l2 + width
            let m = rows.count
            var k = 0
            while k + 3 < m {
                l0[Int(column[Int(rows[k])])] += ordered[k]
                l1[Int(column[Int(rows[k + 1])])] += ordered[k + 1]
                l2[Int(column[Int(rows[k + 2])])] += ordered[k + 2]
                l3[Int(column[Int(rows[k + 3])])] += ordered[k + 3]
                k += 4
            }
            while k < m {
                l0[Int(column[Int(rows[k])])] += ordered[k]
                k += 1
            }
            for j in 0..<width { slots[j] = (l0[j] + l1[j]) + (l2[j] + l3[j]) }
        }
    }

    /// Sets the slots of `features` to `parent − sibling`: the histogram subtraction trick, which gives the larger
    /// child of a split for the cost of building only the smaller one.
    mutating func setDifference(_ parent: GradientHistogram, _ sibling: GradientHistogram, matrix: BinnedMatrix, features: [Int]) {
        for f in features {
            let start = matrix.slotOffsets[f]
            for j in start..<(start + matrix.bins[f].slots) {
                sums[j] = parent.sums[j] - sibling.sums[j]
            }
        }
    }
}
