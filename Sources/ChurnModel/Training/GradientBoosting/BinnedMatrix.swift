/// A feature matrix reduced to one-byte bin codes, column-major, which is what histogram building and routing read.
///
/// Bytes instead of doubles make a column 8× smaller, so the hot loops stream through cache instead of memory.
struct BinnedMatrix: Sendable {
    let rows: Int
    let bins: [FeatureBins]
    /// `codes[f * rows + i]` is the bin of row `i` in feature `f`.
    let codes: [UInt8]
    /// Where each feature's slots start in a `GradientHistogram`.
    let slotOffsets: [Int]
    let totalSlots: Int
    /// Features whose rows all share one bin here; no split on them can separate anything.
    let isConstant: [Bool]
    /// Features with two value bins and no missing value here (one-hot indicators, flags): candidates for bundling.
    let isBinary: [Bool]
    /// One-hot indicator groups coded as one column each (training matrices only; see `FeatureBundle`).
    private(set) var bundles: [FeatureBundle] = []
    /// For each feature, the index of its bundle in `bundles`, or -1.
    private(set) var bundleOf: [Int]
    /// `bundleCodes[b * rows + i]` is the code of row `i` in bundle `b` (column-major like `codes`).
    private(set) var bundleCodes: [UInt8] = []

    /// Rows looked at to place the bin edges; quantiles of 200,000 values are as good as of all of them.
    static let binningSampleRows = 200_000

    /// Learns each feature's bins from `matrix` (a seeded sample of its rows when there are many), codes it, and
    /// bundles its one-hot indicators.
    init(fitting matrix: FeatureMatrix, maxBins: Int, seed: UInt64, work: ParallelWork) {
        let n = matrix.rows
        var sample: [Int]?
        if n > BinnedMatrix.binningSampleRows {
            var rng = SplitMix64(seed: seed ^ 0xB1_25ED)
            sample = RowSample.select(BinnedMatrix.binningSampleRows, of: n, using: &rng).map(Int.init)
        }
        var bins = [FeatureBins](repeating: FeatureBins(upperEdges: []), count: matrix.columns.count)
        bins.withUnsafeMutableBufferPointer { out in
            let out = UncheckedBox(out)
            work.forEach(matrix.columns.count) { f in
                let column = matrix.columns[f]
                let values = sample.map { $0.map { column[$0] } } ?? column
                out.value[f] = FeatureBins(values: values, maxBins: maxBins)
            }
        }
        self.init(coding: matrix, bins: bins, work: work)
        let found = FeatureBundle.find(in: self, layout: matrix.layout, work: work)
        bundleCodes.reserveCapacity(found.count * n)
        for (b, (bundle, codes)) in found.enumerated() {
            for f in bundle.members { bundleOf[f] = b }
            bundleCodes += codes
        }
        bundles = found.map(\.bundle)
    }

    /// Codes `matrix` with bins learnt on other rows (validation rows are coded with the training bins).
    init(coding matrix: FeatureMatrix, bins: [FeatureBins], work: ParallelWork) {
        precondition(matrix.columns.count == bins.count, "matrix has \(matrix.columns.count) features, bins \(bins.count)")
        let n = matrix.rows
        let features = bins.count
        let codes = [UInt8](unsafeUninitializedCapacity: n * features) { buffer, count in
            let out = UncheckedBox(buffer)
            work.forEach(features) { f in
                let column = matrix.columns[f]
                let featureBins = bins[f]
                let base = f * n
                for i in 0..<n { out.value[base + i] = featureBins.code(column[i]) }
            }
            count = n * features
        }
        var isConstant = [Bool](repeating: true, count: features)
        var isBinary = [Bool](repeating: false, count: features)
        codes.withUnsafeBufferPointer { codes in
            for f in 0..<features {
                let column = UnsafeBufferPointer(rebasing: codes[(f * n)..<((f + 1) * n)])
                isConstant[f] = column.allSatisfy { $0 == column.first }
                isBinary[f] = bins[f].valueBins == 2 && !column.contains(bins[f].missingCode)
            }
        }
        var offsets: [Int] = []
        var total = 0
        for b in bins {
            offsets.append(total)
            total += b.slots
        }
        self.rows = n
        self.bins = bins
        self.codes = codes
        self.slotOffsets = offsets
        self.totalSlots = total
        self.isConstant = isConstant
        self.isBinary = isBinary
        self.bundleOf = [Int](repeating: -1, count: features)
    }

    var featureCount: Int { bins.count }
}
