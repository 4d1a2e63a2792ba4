/// How one feature's values map to histogram bins: value bins cut at quantiles, plus one bin for missing (NaN).
///
/// Bin `b < valueBins` holds the values `x` with `upperEdges[b-1] < x <= upperEdges[b]` (the last value bin is
/// open above), and code `missingCode == valueBins` holds NaN. A split "bins 0...b go left" therefore means
/// `x <= upperEdges[b]` on the raw value, which is exactly what the exported tree tests, so a row is routed the
/// same by its bin code during training and by its value at prediction.
struct FeatureBins: Sendable, Equatable {
    /// Upper edges of value bins 0..<valueBins-1, strictly increasing.
    let upperEdges: [Double]

    var valueBins: Int { upperEdges.count + 1 }
    var missingCode: UInt8 { UInt8(valueBins) }
    /// Histogram slots this feature needs: its value bins and the missing bin.
    var slots: Int { valueBins + 1 }

    init(upperEdges: [Double]) {
        self.upperEdges = upperEdges
    }

    /// Bins from a sample of the feature's values: one per distinct value when there are at most `maxBins`,
    /// otherwise about equally populated bins whose edges fall between distinct values.
    init(values: [Double], maxBins: Int) {
        let maxBins = min(max(maxBins, 2), 255) // codes are UInt8: value bins 0...254 at most, then missing
        var sorted = values.filter { !$0.isNaN }
        sorted.sort()
        var distinct: [Double] = []
        var counts: [Int] = []
        for v in sorted {
            if let last = distinct.last, last == v {
                counts[counts.count - 1] += 1
            } else {
                distinct.append(v)
                counts.append(1)
            }
        }
        guard distinct.count > 1 else {
            self.init(upperEdges: [])
            return
        }
        var edges: [Double] = []
        if distinct.count <= maxBins {
            for i in 0..<(distinct.count - 1) { edges.append(FeatureBins.edge(distinct[i], distinct[i + 1])) }
        } else {
            // Greedy equal-frequency cuts: each bin aims at its fair share of the values not yet binned, so one
            // very common value (a 0, a default) takes a bin of its own without starving the bins after it.
            var remaining = sorted.count
            var inBin = 0
            for i in 0..<(distinct.count - 1) {
                inBin += counts[i]
                let binsLeft = maxBins - edges.count
                if binsLeft <= 1 { break }
                if Double(inBin) >= Double(remaining) / Double(binsLeft) {
                    edges.append(FeatureBins.edge(distinct[i], distinct[i + 1]))
                    remaining -= inBin
                    inBin = 0
                }
            }
        }
        self.init(upperEdges: edges)
    }

    /// A cut between two neighbouring distinct values `a < b`: the midpoint, so unseen values in the gap go to the
    /// nearer side, but never `b` itself (two adjacent doubles have no midpoint strictly between them).
    static func edge(_ a: Double, _ b: Double) -> Double {
        let mid = a / 2 + b / 2
        return mid >= b || mid < a || !mid.isFinite ? a : mid
    }

    /// The bin code of a raw value (binary search over the edges).
    @inline(__always)
    func code(_ x: Double) -> UInt8 {
        if x.isNaN { return missingCode }
        var lo = 0
        var hi = upperEdges.count
        // Invariant: the answer is in lo...hi; it is the first b with x <= upperEdges[b], or upperEdges.count.
        while lo < hi {
            let mid = (lo + hi) >> 1
            if x <= upperEdges[mid] { hi = mid } else { lo = mid + 1 }
        }
        return UInt8(lo)
    }

    /// The threshold a split "value bins 0...bin go left" stores in the exported tree.
    ///
    /// For the last value bin (every value left, only missing right) no edge exists; the largest finite double
    /// stands in, so every finite value goes left (+∞, which the CSV reader never produces, would go right).
    func threshold(afterBin bin: Int) -> Double {
        bin < upperEdges.count ? upperEdges[bin] : Double.greatestFiniteMagnitude
    }
}
