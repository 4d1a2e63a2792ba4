/// Encoded training inputs held feature by feature (column-major), NaN where a numeric value is missing.
public struct FeatureMatrix: Sendable {
    public let rows: Int
    public let layout: FeatureLayout
    /// One array of `rows` values per encoded feature.
    public var columns: [[Double]]

    public init(table: TrainingTable) {
        let layout = FeatureLayout(schema: table.schema)
        let n = table.rowCount
        var columns = [[Double]](repeating: [], count: layout.count)
        for (c, column) in table.columns.enumerated() {
            let slot = layout.offsets[c]
            switch column {
            case .numeric(let values):
                columns[slot] = values
            case .categorical(let codes):
                let k = table.schema.features[c].categories.count + (table.schema.features[c].otherLevel ? 1 : 0)
                for j in 0..<k { columns[slot + j] = [Double](repeating: 0, count: n) }
                for (i, code) in codes.enumerated() where code >= 0 {
                    columns[slot + Int(code)][i] = 1
                }
            }
        }
        self.rows = n
        self.layout = layout
        self.columns = columns
    }

    /// Row `i` as a dense vector in layout order.
    public func row(_ i: Int) -> [Double] {
        columns.map { $0[i] }
    }
}
