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

    /// A tally of no columns: what a block result holds while its rows count into the real one.
    static var empty: DriftTally { DriftTally() }

    private init() {
        columns = []
        edges = []
        counts = []
    }

    public init(profile: ReferenceProfile, layout: FeatureLayout) {
        var columns: [Column] = []
        var edges: [Double] = []
        var bins = 0
        for (c, p) in profile.columns.enumerated() {
            // Edges to count come in fours, the last padded with +infinity, which no value is below: the counting
            // loop takes four at a time and has no remainder to finish one by one.
            let countEdges = p.edges.count <= 32 && zip(p.edges, p.edges.dropFirst()).allSatisfy { $0 < $1 }
            let padding = countEdges ? (4 - p.edges.count % 4) % 4 : 0
            columns.append(Column(numeric: p.kind == .numeric, slot: layout.offsets[c], firstBin: bins,
                                  binCount: p.binCount, firstEdge: edges.count, edgeCount: p.edges.count + padding,
                                  countEdges: countEdges))
            edges += p.edges + [Double](repeating: .infinity, count: padding)
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
        counting { $0.add(values: values, codes: codes) }
    }

    /// Runs `body` with a `Counter` that adds rows to this tally: its tables are bound once for all the rows
    /// `body` adds, not once per row (a batch block counts every row it scores).
    public mutating func counting<R>(_ body: (inout Counter) throws -> R) rethrows -> R {
        var local = counts
        counts = []
        var added = 0
        defer {
            counts = local
            rows += added
        }
        return try columns.withUnsafeBufferPointer { columns in
            try edges.withUnsafeBufferPointer { edges in
                try local.withUnsafeMutableBufferPointer { counts in
                    var counter = Counter(columns: columns, edges: edges, counts: counts)
                    defer { added = counter.rows }
                    return try body(&counter)
                }
            }
        }
    }

    /// Adds rows to a tally while `counting` runs; holds only borrowed pointers, so a row costs no reference counting.
    public struct Counter {
        let columns: UnsafeBufferPointer<Column>
        let edges: UnsafeBufferPointer<Double>
        let counts: UnsafeMutableBufferPointer<Int>
        var rows = 0

        @inline(__always)
        public mutating func add(values: UnsafePointer<Double>, codes: UnsafePointer<Int32>) {
            rows += 1
            let counts = self.counts
            DriftTally.forEachBin(columns, edges, values: values, codes: codes) { _, bin in counts[bin] += 1 }
        }

        @inline(__always)
        public mutating func add(_ row: borrowing EncodedRow) {
            row.values.withUnsafeBufferPointer { v in
                row.codes.withUnsafeBufferPointer { c in add(values: v.baseAddress!, codes: c.baseAddress!) }
            }
        }
    }

    /// Calls `body(column, flatBin)` for each column of one row.
    @inline(__always)
    func forEachBin(values: UnsafePointer<Double>, codes: UnsafePointer<Int32>, _ body: (Int, Int) -> Void) {
        columns.withUnsafeBufferPointer { cols in
            edges.withUnsafeBufferPointer { e in DriftTally.forEachBin(cols, e, values: values, codes: codes, body) }
        }
    }

    @inline(__always)
    static func forEachBin(_ cols: UnsafeBufferPointer<Column>, _ e: UnsafeBufferPointer<Double>, values: UnsafePointer<Double>,
                           codes: UnsafePointer<Int32>, _ body: (Int, Int) -> Void) {
        for c in 0..<cols.count {
            let col = cols[c]
            let bin = col.numeric ? numericBin(col, e, values[col.slot]) : categoryBin(col, codes[c])
            body(c, col.firstBin + bin)
        }
    }

    /// The bin (within its column) of a numeric column's value; NaN has the last.
    @inline(__always)
    static func numericBin(_ col: Column, _ e: UnsafeBufferPointer<Double>, _ x: Double) -> Int {
        if x.isNaN { return col.binCount - 1 }
        if col.countEdges {
            // The comparison's bit is added as a number: written as `e[k] < x ? 1 : 0`, the compiler made it
            // a branch, mispredicted where the value crosses the edges (about once per numeric column per
            // row: 5% of a logistic run's CPU).
            let first = e.baseAddress! + col.firstEdge
            var below = 0
            for k in 0..<col.edgeCount { below &+= Int(unsafeBitCast(first[k] < x, to: UInt8.self)) }
            return below
        }
        var lo = 0
        var hi = col.edgeCount
        while lo < hi {
            let mid = (lo + hi) >> 1
            if e[col.firstEdge + mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The bin (within its column) of a categorical column's code: its category's, then unseen, then missing.
    @inline(__always)
    static func categoryBin(_ col: Column, _ code: Int32) -> Int {
        code >= 0 ? Int(code) : code == RowEncoder.missing ? col.binCount - 1 : col.binCount - 2
    }

    public mutating func add(_ row: EncodedRow) {
        row.values.withUnsafeBufferPointer { v in
            row.codes.withUnsafeBufferPointer { c in add(values: v.baseAddress!, codes: c.baseAddress!) }
        }
    }

    /// The counts as per-column arrays.
    public var driftCounts: DriftCounts { driftCounts(fromFlat: counts) }
}
