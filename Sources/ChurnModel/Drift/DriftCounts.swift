/// Per-column bin counts of observed rows, in the bins of a `ReferenceProfile`. Counts from several
/// sources (threads, replicas, time intervals) add up, which is what makes fleet-wide drift exact.
public struct DriftCounts: Codable, Sendable, Equatable {
    public var bins: [[Int]]

    public init(profile: ReferenceProfile) {
        bins = profile.columns.map { [Int](repeating: 0, count: $0.binCount) }
    }

    public init(bins: [[Int]]) {
        self.bins = bins
    }

    /// Splits flat counts laid out column after column (each column's `binCount` bins, as `DriftTally` keeps
    /// them) into per-column arrays.
    public init(flat: [Int], profile: ReferenceProfile) {
        var start = 0
        bins = profile.columns.map { column in
            defer { start += column.binCount }
            return (start..<(start + column.binCount)).map { $0 < flat.count ? flat[$0] : 0 }
        }
    }

    public var rows: Int { bins.first?.reduce(0, +) ?? 0 }

    /// Adds one encoded row.
    @inline(__always)
    public mutating func add(_ row: EncodedRow, profile: ReferenceProfile, layout: FeatureLayout) {
        for c in 0..<profile.columns.count {
            let column = profile.columns[c]
            let b = column.kind == .numeric ? column.bin(ofNumber: row.values[layout.offsets[c]]) : column.bin(ofCode: row.codes[c])
            bins[c][b] += 1
        }
    }

    public mutating func merge(_ other: DriftCounts) {
        for c in bins.indices where c < other.bins.count {
            for b in bins[c].indices where b < other.bins[c].count { bins[c][b] += other.bins[c][b] }
        }
    }

    public mutating func subtract(_ other: DriftCounts) {
        for c in bins.indices where c < other.bins.count {
            for b in bins[c].indices where b < other.bins[c].count { bins[c][b] -= other.bins[c][b] }
        }
    }
}
