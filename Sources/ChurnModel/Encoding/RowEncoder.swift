/// The header does not carry what the model needs; nothing can be scored from this file.
public struct HeaderError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var missing: [String]
    public var description: String {
        "\(file):1: header lacks required column\(missing.count == 1 ? "" : "s") \(missing.map { "'\($0)'" }.joined(separator: ", ")); the model needs every feature column of its schema (see `churn model show`)"
    }
}

/// Scratch space for one encoded row: the model inputs plus, per schema column, the category code
/// (category index, `RowEncoder.missing` or `RowEncoder.unknown`) that drift tracking needs.
public struct EncodedRow {
    public var values: [Double]
    public var codes: [Int32]

    public init(layout: FeatureLayout, columns: Int) {
        values = [Double](repeating: 0, count: layout.count)
        codes = [Int32](repeating: 0, count: columns)
    }
}

/// Turns a file's records (or an API request's fields) into model inputs following a schema.
///
/// Numeric fields must parse as finite numbers; missing values (empty, NA, null, …) become NaN.
/// Categorical fields must be a known category unless `allowUnknownCategories` is set, in which case an unknown
/// category encodes like a missing one (no indicator set).
public struct RowEncoder: Sendable {
    public static let missing: Int32 = -1
    public static let unknown: Int32 = -2

    public let schema: Schema
    public let layout: FeatureLayout
    public let allowUnknownCategories: Bool
    /// Position in the file's header of each schema feature column.
    public let fieldIndex: [Int]
    /// Position of the id column, if the schema has one and the file carries it.
    public let idIndex: Int?
    public let headerCount: Int
    let kinds: [ColumnKind]
    let indexes: [CategoryIndex]
    let plans: [ColumnPlan]

    /// What encoding column `c` needs, flattened for the per-row loop.
    struct ColumnPlan: Sendable {
        var numeric: Bool
        var slot: Int
        var categoryCount: Int
        var fieldIndex: Int
    }

    public init(schema: Schema, header: [String], file: String = "input", allowUnknownCategories: Bool = false) throws(HeaderError) {
        let missing = schema.missingColumns(in: header)
        if !missing.isEmpty { throw HeaderError(file: file, missing: missing) }
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() where position[name] == nil { position[name] = i }
        self.init(schema: schema, fieldIndex: schema.features.map { position[$0.name]! },
                  idIndex: schema.idColumn.flatMap { position[$0] }, headerCount: header.count,
                  allowUnknownCategories: allowUnknownCategories)
    }

    /// An encoder for inputs that are not files (the API): fields are addressed by schema column.
    public init(schema: Schema, allowUnknownCategories: Bool = false) {
        self.init(schema: schema, fieldIndex: Array(schema.features.indices), idIndex: nil,
                  headerCount: schema.features.count, allowUnknownCategories: allowUnknownCategories)
    }

    init(schema: Schema, fieldIndex: [Int], idIndex: Int?, headerCount: Int, allowUnknownCategories: Bool) {
        self.schema = schema
        self.layout = FeatureLayout(schema: schema)
        self.fieldIndex = fieldIndex
        self.idIndex = idIndex
        self.headerCount = headerCount
        self.allowUnknownCategories = allowUnknownCategories
        self.kinds = schema.features.map(\.kind)
        self.indexes = schema.features.map { CategoryIndex(categories: $0.categories) }
        let layout = self.layout
        self.plans = schema.features.indices.map { c in
            ColumnPlan(numeric: schema.features[c].kind == .numeric, slot: layout.offsets[c],
                       categoryCount: schema.features[c].categories.count, fieldIndex: fieldIndex[c])
        }
    }

    public func makeRow() -> EncodedRow { EncodedRow(layout: layout, columns: schema.features.count) }

    /// Encodes one CSV record; returns the first problem instead when the row cannot be scored.
    @inline(__always)
    public func encode(_ record: CSVRecord, into row: inout EncodedRow) -> RowIssue? {
        if let error = record.error {
            return RowIssue(line: error.line, column: error.column, field: nil, reason: .malformed(error.message))
        }
        if record.isBlank { return RowIssue(line: record.line, column: 1, field: nil, reason: .blankLine) }
        if record.count != headerCount {
            return RowIssue(line: record.line, column: 1, field: nil, reason: .fieldCount(expected: headerCount, found: record.count))
        }
        if let idIndex, FieldParsing.trim(record.field(idIndex)).isEmpty {
            let (line, column) = record.position(ofField: idIndex)
            return RowIssue(line: line, column: column, field: schema.idColumn, reason: .missingID)
        }
        let failed = row.values.withUnsafeMutableBufferPointer { values in
            row.codes.withUnsafeMutableBufferPointer { codes in
                plans.withUnsafeBufferPointer { plans -> (Int, RowIssue.Reason)? in
                    for c in 0..<plans.count {
                        if let reason = encode(c, plans[c], record.field(plans[c].fieldIndex), values.baseAddress!, codes.baseAddress!) {
                            return (c, reason)
                        }
                    }
                    return nil
                }
            }
        }
        if let (c, reason) = failed {
            let (line, column) = record.position(ofField: fieldIndex[c])
            return RowIssue(line: line, column: column, field: schema.features[c].name, reason: reason)
        }
        return nil
    }

    @inline(__always)
    func encode(_ c: Int, _ plan: ColumnPlan, _ raw: UnsafeBufferPointer<UInt8>,
                _ values: UnsafeMutablePointer<Double>, _ codes: UnsafeMutablePointer<Int32>) -> RowIssue.Reason? {
        if plan.numeric {
            if let v = FieldParsing.parseDouble(raw) {
                values[plan.slot] = v
                codes[c] = 0
            } else if FieldParsing.isMissing(raw) {
                values[plan.slot] = .nan
                codes[c] = RowEncoder.missing
            } else {
                return .notANumber(String(decoding: FieldParsing.trim(raw), as: UTF8.self))
            }
            return nil
        }
        (values + plan.slot).update(repeating: 0, count: plan.categoryCount)
        let f = FieldParsing.trim(raw)
        if let k = indexes[c].index(of: f) {
            values[plan.slot + k] = 1
            codes[c] = Int32(k)
        } else if FieldParsing.isMissing(f) {
            codes[c] = RowEncoder.missing
        } else if allowUnknownCategories {
            codes[c] = RowEncoder.unknown
        } else {
            return .unknownCategory(String(decoding: f, as: UTF8.self), known: schema.features[c].categories)
        }
        return nil
    }

    /// Encodes schema column `c` from raw field bytes.
    public func encodeField(_ c: Int, _ raw: UnsafeBufferPointer<UInt8>, into row: inout EncodedRow) -> RowIssue.Reason? {
        let plan = plans[c]
        return row.values.withUnsafeMutableBufferPointer { values in
            row.codes.withUnsafeMutableBufferPointer { codes in
                encode(c, plan, raw, values.baseAddress!, codes.baseAddress!)
            }
        }
    }

    /// Encodes schema column `c` from an already-typed number (an API request's JSON number).
    public func encodeNumber(_ c: Int, _ value: Double?, into row: inout EncodedRow) -> RowIssue.Reason? {
        let slot = layout.offsets[c]
        switch kinds[c] {
        case .numeric:
            guard let value else {
                row.values[slot] = .nan
                row.codes[c] = RowEncoder.missing
                return nil
            }
            guard value.isFinite else { return .notFinite(String(value)) }
            row.values[slot] = value
            row.codes[c] = 0
            return nil
        case .categorical:
            // A number given for a categorical column is matched by its text ("1" for a category "1").
            var text = value.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) } ?? ""
            return text.withUTF8 { encodeField(c, $0, into: &row) }
        }
    }
}
