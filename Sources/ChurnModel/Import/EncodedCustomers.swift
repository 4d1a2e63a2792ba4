/// A customer file encoded under a schema and held whole: a row-major matrix of encoded features (what the
/// predictor reads) and each row's category codes (what drift bins read). Rows the encoder rejects are left out
/// and counted. Used to build an imported model's reference profile and to check it against a library's
/// predictions.
public struct EncodedCustomers: Sendable {
    public let schema: Schema
    public let layout: FeatureLayout
    public let rows: Int
    /// `rows × layout.count` values, row by row.
    public let values: [Double]
    /// `rows × schema.features.count` category codes (see `EncodedRow.codes`).
    public let codes: [Int32]
    /// The file line of each row kept.
    public let lines: [Int]
    /// Data rows (after the header) that were not kept, with the first few reasons.
    public let rejected: Int
    public let issues: [RowIssue]
    /// The 0-based position of each kept row among the file's data rows (to line it up with another file).
    public let positions: [Int]

    public var stride: Int { layout.count }

    /// Reads and encodes every record of `path`; rejects rows the encoder refuses, as batch scoring does.
    public static func load(path: String, schema: Schema, allowUnknownCategories: Bool = false) throws -> EncodedCustomers {
        let reader = try CSVReader(path: path)
        let encoder = try RowEncoder(schema: schema, header: reader.header, file: path,
                                     unknownCategories: allowUnknownCategories ? .score : .reject)
        var row = encoder.makeRow()
        var values: [Double] = []
        var codes: [Int32] = []
        var lines: [Int] = []
        var positions: [Int] = []
        var issues: [RowIssue] = []
        var rejected = 0
        var position = 0
        try reader.forEachRecord { record in
            defer { position += 1 }
            if let issue = encoder.encode(record, into: &row) {
                rejected += 1
                if issues.count < 20 { issues.append(issue) }
                return
            }
            values += row.values
            codes += row.codes
            lines.append(record.line)
            positions.append(position)
        }
        return EncodedCustomers(schema: schema, layout: encoder.layout, rows: lines.count, values: values, codes: codes,
                                lines: lines, rejected: rejected, issues: issues, positions: positions)
    }

    /// The rows as a training table (labels all 0; a reference profile does not read them).
    public var table: TrainingTable {
        let columnCount = schema.features.count
        let columns: [TableColumn] = schema.features.enumerated().map { c, column in
            switch column.kind {
            case .numeric:
                let slot = layout.offsets[c]
                return .numeric((0..<rows).map { values[$0 * stride + slot] })
            case .categorical:
                return .categorical((0..<rows).map { max(codes[$0 * columnCount + c], -1) })
            }
        }
        return TrainingTable(schema: schema, columns: columns, labels: [UInt8](repeating: 0, count: rows), skipped: issues,
                             skippedCount: rejected, notes: [], fingerprint: "", file: "")
    }
}
