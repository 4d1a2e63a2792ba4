/// Fast per-bin counting of encoded rows against a reference profile, flattened for the scoring loop.
/// Converts to `DriftCounts` (per-column arrays) to merge, store or report.
public struct DriftTally: Sendable {
    struct Column: Sendable {
        var numeric: Bool
        /// Encoded slot of a numeric column.
        var slot: Int
        var firstBin: Int
        var binCount: Int
        var firstEdge: Int
        var edgeCount: Int
        /// Few edges in ascending order: the bin is the count of edges below the value, summed without branches
        /// (a binary search mispredicts about every other step, several times per numeric field).
        var countEdges: Bool
    }

    let columns: [Column]
    let edges: [Double]
    public private(set) var counts: [Int]
    public private(set) var rows = 0

    public init(profile: ReferenceProfile, layout: FeatureLayout) {
        var columns: [Column] = []
        var edges: [Double] = []
        var bins = 0
        for (c, p) in profile.columns.enumerated() {
            columns.append(Column(numeric: p.kind == .numeric, slot: layout.offsets[c], firstBin: bins,
                                  binCount: p.binCount, firstEdge: edges.count, edgeCount: p.edges.count,
                                  countEdges: p.edges.count <= 32 && zip(p.edges, p.edges.dropFirst()).allSatisfy { $0 < $1 }))
            edges += p.edges
            bins += p.binCount
        }
        self.columns = columns
        self.edges = edges
        self.counts = [Int](repeating: 0, count: bins)
    }

    /// Total number of bins over all columns.
    public var binCount: Int { counts.count }

    /// The flat bin index of each column for one encoded row (what `add` counts).
    public func binIndexes(_ row: EncodedRow) -> [Int] {
        var out = [Int](repeating: 0, count: columns.count)
        row.values.withUnsafeBufferPointer { v in
            row.codes.withUnsafeBufferPointer { c in
                out.withUnsafeMutableBufferPointer { o in
                    forEachBin(values: v.baseAddress!, codes: c.baseAddress!) { column, bin in o[column] = bin }
                }
            }
        }
        return out
    }

    /// Splits flat counts (in this tally's layout) into per-column arrays.
    public func driftCounts(fromFlat flat: [Int]) -> DriftCounts {
        DriftCounts(bins: columns.map { col in
            (col.firstBin..<(col.firstBin + col.binCount)).map { $0 < flat.count ? flat[$0] : 0 }
        })
    }

    /// Counts one encoded row (values in layout order, category codes per column).
    @inline(__always)
    public mutating func add(values: UnsafePointer<Double>, codes: UnsafePointer<Int32>) {
        rows += 1
        var local = counts
        counts = []
        local.withUnsafeMutableBufferPointer { counts in
            forEachBin(values: values, codes: codes) { _, bin in counts[bin] += 1 }
        }
        counts = local
    }

    /// Calls `body(column, flatBin)` for each column of one row.
    @inline(__always)
    func forEachBin(values: UnsafePointer<Double>, codes: UnsafePointer<Int32>, _ body: (Int, Int) -> Void) {
        columns.withUnsafeBufferPointer { cols in
            edges.withUnsafeBufferPointer { e in
                    for c in 0..<cols.count {
                        let col = cols[c]
                        let bin: Int
                        if col.numeric {
                            let x = values[col.slot]
                            if x.isNaN {
                                bin = col.binCount - 1
                            } else if col.countEdges {
                                var below = 0
                                for k in col.firstEdge..<(col.firstEdge + col.edgeCount) { below &+= e[k] < x ? 1 : 0 }
                                bin = below
                            } else {
                                var lo = 0
                                var hi = col.edgeCount
                                while lo < hi {
                                    let mid = (lo + hi) >> 1
                                    if e[col.firstEdge + mid] < x { lo = mid + 1 } else { hi = mid }
                                }
                                bin = lo
                            }
                        } else {
                            let code = codes[c]
                            bin = code >= 0 ? Int(code) : code == RowEncoder.missing ? col.binCount - 1 : col.binCount - 2
                        }
                        body(c, col.firstBin + bin)
                    }
            }
        }
    }

    public mutating func add(_ row: EncodedRow) {
        row.values.withUnsafeBufferPointer { v in
            row.codes.withUnsafeBufferPointer { c in add(values: v.baseAddress!, codes: c.baseAddress!) }
        }
    }

    /// The counts as per-column arrays.
    public var driftCounts: DriftCounts { driftCounts(fromFlat: counts) }
}
