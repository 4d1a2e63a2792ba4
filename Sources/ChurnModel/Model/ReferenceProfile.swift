/// How one column was distributed in the training data, in the bins drift is measured on.
///
/// Bins, in order: for a numeric column, `edges.count + 1` value bins, bin i holding
/// `edges[i-1] < x <= edges[i]`; for a categorical column, one bin per known category then one for unseen
/// categories. The last bin of every column holds missing values. `proportions` sums to 1 over all bins.
public struct ColumnProfile: Codable, Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind
    /// Interior cut points (numeric columns): the reference's deciles, duplicates removed.
    public var edges: [Double]
    public var proportions: [Double]

    public init(name: String, kind: ColumnKind, edges: [Double], proportions: [Double]) {
        self.name = name
        self.kind = kind
        self.edges = edges
        self.proportions = proportions
    }

    public var binCount: Int { proportions.count }

    /// Missing values below this share of the training rows are too few to have taught the model what a missing
    /// value means (11 blank TotalCharges in 7,043 Telco rows, all new customers, would make every customer with a
    /// missing value look new); scoring averages such values over the training distribution instead.
    public static let learnedMissingShare = 0.01

    /// Whether training saw enough missing values here for "missing" to be a level of its own.
    public var missingIsLearned: Bool { (proportions.last ?? 0) >= ColumnProfile.learnedMissingShare }
    public var missingBin: Int { proportions.count - 1 }

    /// The bin of a numeric value (NaN → the missing bin).
    @inline(__always)
    public func bin(ofNumber x: Double) -> Int {
        if x.isNaN { return missingBin }
        // Binary search: first edge >= x.
        var lo = 0
        var hi = edges.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if edges[mid] < x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The bin of a category code (`RowEncoder.missing` → missing bin, `RowEncoder.unknown` → unseen bin).
    @inline(__always)
    public func bin(ofCode code: Int32) -> Int {
        if code == RowEncoder.missing { return missingBin }
        if code < 0 { return missingBin - 1 }
        return Int(code)
    }
}

/// The training data's distribution per feature column: what drift is measured against.
public struct ReferenceProfile: Codable, Sendable, Equatable {
    public var rows: Int
    public var columns: [ColumnProfile]

    public init(rows: Int, columns: [ColumnProfile]) {
        self.rows = rows
        self.columns = columns
    }

    /// Builds the profile of a training table: deciles for numeric columns, frequencies for categorical ones.
    public init(table: TrainingTable, quantileBins: Int = 10) {
        let n = table.rowCount
        var profiles: [ColumnProfile] = []
        for (c, column) in table.columns.enumerated() {
            let schemaColumn = table.schema.features[c]
            switch column {
            case .numeric(let values):
                let present = values.filter { !$0.isNaN }.sorted()
                var edges: [Double] = []
                if !present.isEmpty {
                    for q in 1..<quantileBins {
                        let e = present[min(present.count - 1, (present.count * q) / quantileBins)]
                        if edges.last != e { edges.append(e) }
                    }
                    // The top edge must leave the maximum in a bin of its own range; drop an edge equal to the max.
                    if edges.last == present.last { edges.removeLast() }
                }
                let profile = ColumnProfile(name: schemaColumn.name, kind: .numeric, edges: edges,
                                            proportions: [Double](repeating: 0, count: edges.count + 2))
                var counts = [Double](repeating: 0, count: profile.binCount)
                for v in values { counts[profile.bin(ofNumber: v)] += 1 }
                profiles.append(ColumnProfile(name: schemaColumn.name, kind: .numeric, edges: edges,
                                              proportions: counts.map { $0 / Double(n) }))
            case .categorical(let codes):
                let k = schemaColumn.categories.count
                var counts = [Double](repeating: 0, count: k + 2)
                for code in codes { counts[code >= 0 ? Int(code) : k + 1] += 1 }
                profiles.append(ColumnProfile(name: schemaColumn.name, kind: .categorical, edges: [],
                                              proportions: counts.map { $0 / Double(n) }))
            }
        }
        self.rows = n
        self.columns = profiles
    }
}
