/// A set of rows' gradient and hessian sums side by side, so one vector add accumulates both.
typealias GradientPair = SIMD2<Double>

/// One row's gradient and hessian, in single precision: the per-row arrays are gathered and streamed every
/// node, and half the bytes is half the cache misses. Every sum over rows is taken in double.
typealias RowGradient = SIMD2<Float>

/// Per feature and bin, the sums of gradient and hessian over the rows of one tree node.
///
/// A split search only needs these sums, so a node costs one pass over its rows instead of a sort per feature.
/// Slots are laid out as in `BinnedMatrix.slotOffsets`; each holds a `GradientPair`.
struct GradientHistogram: Sendable {
    var sums: [GradientPair]

    init(slots: Int) {
        sums = [GradientPair](repeating: .zero, count: slots)
    }

    /// Below this much work (rows × passes) one thread builds the histogram: waking a second costs more.
    static let parallelThreshold = 32_768

    /// Passes read together in one loop over the rows, at most.
    static let passesPerBlock = 4

    /// Fills the slots of `plan.features` from `rows`, where `ordered[k]` is row `rows[k]`'s gradient and hessian
    /// (gathered once per node so that every block reads them in sequence) and `total` is their sum.
    ///
    /// Passes are read a few at a time in one loop over the rows (a block), which loads each row's index and
    /// gradient once for all of them and keeps several independent additions in flight. Each pass sums even and
    /// odd rows into two partial histograms, in row order, whatever block it lands in and whichever thread runs
    /// that block, so the result does not depend on the thread count.
    mutating func build(rows: UnsafeBufferPointer<Int32>, ordered: UnsafeBufferPointer<RowGradient>, total: GradientPair,
                        matrix: BinnedMatrix, plan: HistogramPlan, work: ParallelWork) {
        let passes = plan.passes
        guard !passes.isEmpty else { return }
        let work = rows.count * passes.count >= GradientHistogram.parallelThreshold ? work : ParallelWork(threads: 1)
        // As many blocks as it takes to keep blocks at most `passesPerBlock` wide, rounded up to a multiple of the
        // thread count so that threads get equal shares; pass p goes to block p mod blocks.
        let perBlock = GradientHistogram.passesPerBlock
        var blocks = (passes.count + perBlock - 1) / perBlock
        blocks = min(passes.count, (blocks + work.threads - 1) / work.threads * work.threads)
        let widths = passes.map { pass -> Int in
            switch pass {
            case .feature(let f): return matrix.bins[f].slots
            case .bundle(let b, _): return matrix.bundles[b].members.count + 1
            }
        }
        let n = matrix.rows
        matrix.codes.withUnsafeBufferPointer { codes in
            matrix.bundleCodes.withUnsafeBufferPointer { bundleCodes in
                sums.withUnsafeMutableBufferPointer { sums in
                    let sums = UncheckedBox(sums.baseAddress!)
                    work.forEach(blocks) { block in
                        let members = Array(stride(from: block, to: passes.count, by: blocks))
                        let columns = members.map { p -> UnsafePointer<UInt8> in
                            switch passes[p] {
                            case .feature(let f): return codes.baseAddress! + f * n
                            case .bundle(let b, _): return bundleCodes.baseAddress! + b * n
                            }
                        }
                        var offsets: [Int] = []
                        var lanesNeeded = 0
                        for p in members {
                            offsets.append(lanesNeeded)
                            lanesNeeded += 2 * widths[p]
                        }
                        withUnsafeTemporaryAllocation(of: GradientPair.self, capacity: lanesNeeded) { lanes in
                            lanes.initialize(repeating: .zero)
                            GradientHistogram.accumulate(columns: columns, lanes: lanes.baseAddress!, offsets: offsets,
                                                         widths: members.map { widths[$0] }, rows: rows, ordered: ordered)
                            for (j, p) in members.enumerated() {
                                let even = lanes.baseAddress! + offsets[j]
                                let odd = even + widths[p]
                                switch passes[p] {
                                case .feature(let f):
                                    let slots = sums.value + matrix.slotOffsets[f]
                                    for b in 0..<widths[p] { slots[b] = even[b] + odd[b] }
                                case .bundle(_, let selected):
                                    for (position, f) in selected {
                                        let ones = even[position] + odd[position]
                                        let slots = sums.value + matrix.slotOffsets[f]
                                        slots[0] = total - ones
                                        slots[1] = ones
                                        slots[2] = .zero
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// One loop over the rows for up to four code columns, each summed into its own pair of partial histograms
    /// (even rows at `lanes + offsets[j]`, odd rows `widths[j]` slots further).
    @inline(__always)
    private static func accumulate(columns: [UnsafePointer<UInt8>], lanes: UnsafeMutablePointer<GradientPair>,
                                   offsets: [Int], widths: [Int], rows: UnsafeBufferPointer<Int32>,
                                   ordered: UnsafeBufferPointer<RowGradient>) {
        let count = columns.count
        precondition(count >= 1 && count <= 4)
        // Places past `count` alias the first column; the `count >` tests (the same every row, so predicted
        // perfectly) keep them from being touched.
        let c0 = columns[0], c1 = count > 1 ? columns[1] : c0, c2 = count > 2 ? columns[2] : c0, c3 = count > 3 ? columns[3] : c0
        let e0 = lanes + offsets[0], o0 = e0 + widths[0]
        let e1 = count > 1 ? lanes + offsets[1] : e0, o1 = count > 1 ? e1 + widths[1] : o0
        let e2 = count > 2 ? lanes + offsets[2] : e0, o2 = count > 2 ? e2 + widths[2] : o0
        let e3 = count > 3 ? lanes + offsets[3] : e0, o3 = count > 3 ? e3 + widths[3] : o0
        let m = rows.count
        var k = 0
        while k + 1 < m {
            let r = Int(rows[k]), s = Int(rows[k + 1])
            let g = GradientPair(ordered[k]), h = GradientPair(ordered[k + 1])
            e0[Int(c0[r])] += g
            o0[Int(c0[s])] += h
            if count > 1 {
                e1[Int(c1[r])] += g
                o1[Int(c1[s])] += h
            }
            if count > 2 {
                e2[Int(c2[r])] += g
                o2[Int(c2[s])] += h
            }
            if count > 3 {
                e3[Int(c3[r])] += g
                o3[Int(c3[s])] += h
            }
            k += 2
        }
        if k < m {
            let r = Int(rows[k])
            let g = GradientPair(ordered[k])
            e0[Int(c0[r])] += g
            if count > 1 { e1[Int(c1[r])] += g }
            if count > 2 { e2[Int(c2[r])] += g }
            if count > 3 { e3[Int(c3[r])] += g }
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
