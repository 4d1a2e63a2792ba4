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
    /// Some input must be averaged over the training data (a NaN the model never saw in training: an unseen
    /// category, or a missing value in a column that had none). Tree models take a slower path for such rows.
    public var unresolved = false

    public init(layout: FeatureLayout, columns: Int) {
        values = [Double](repeating: 0, count: layout.count)
        codes = [Int32](repeating: 0, count: columns)
    }
}

/// What scoring does with a category the model has not seen (and no "other" level absorbs).
public enum UnknownCategoryMode: String, Sendable, CaseIterable {
    /// Score the row; the value contributes what training says about an average customer, and is counted.
    case score
    /// Reject the row (`unknown_category`).
    case reject
}

/// Turns a file's records (or an API request's fields) into model inputs following a schema.
///
/// Numeric fields must parse as finite numbers; missing values (the standard markers, the model's own `--na`
/// markers and a column's stray texts seen in training) become NaN. A categorical value that is a known category
/// written another way (case, spaces, punctuation: `CategorySpelling`) is that category; any other value goes to the column's "other" level when it has one; otherwise it is scored as unseen (every indicator
/// NaN: the training distribution) or, with `UnknownCategoryMode.reject`, rejected. A missing categorical value
/// sets no indicator when training saw missing values there (a learned level), and is scored like an unseen one
/// when it did not. See docs/model-format.md.
public struct RowEncoder: Sendable {
    public static let missing: Int32 = -1
    public static let unknown: Int32 = -2

    public let schema: Schema
    public let layout: FeatureLayout
    public let unknownCategories: UnknownCategoryMode
    /// Position in the file's header of each schema feature column.
    public let fieldIndex: [Int]
    /// Position of the id column, if the schema has one and the file carries it.
    public let idIndex: Int?
    public let headerCount: Int
    let kinds: [ColumnKind]
    let tables: CategoryTables
    let spellings: [CategorySpelling]
    let plans: [ColumnPlan]
    /// Per column: extra texts that mean missing (the schema's `--na` markers and the column's own).
    let markers: [[[UInt8]]]

    /// What encoding column `c` needs, flattened for the per-row loop.
    struct ColumnPlan: Sendable {
        var numeric: Bool
        var slot: Int
        /// Indicator slots, the "other" level's included.
        var categoryCount: Int
        var fieldIndex: Int
        /// Slot of the "other" indicator, or -1.
        var otherSlot: Int
        /// Training saw missing values in this column, so "no indicator set" (or NaN) is a learned level.
        var missingLearned: Bool
        /// Where the column's categories are in `tables`.
        var table: CategoryTables.Column
    }

    public init(schema: Schema, header: [String], file: String = "input", reference: ReferenceProfile? = nil,
                unknownCategories: UnknownCategoryMode = .score) throws(HeaderError) {
        let missing = schema.missingColumns(in: header)
        if !missing.isEmpty { throw HeaderError(file: file, missing: missing) }
        var position: [String: Int] = [:]
        for (i, name) in header.enumerated() where position[name] == nil { position[name] = i }
        self.init(schema: schema, fieldIndex: schema.features.map { position[$0.name]! },
                  idIndex: schema.idColumn.flatMap { position[$0] }, headerCount: header.count,
                  reference: reference, unknownCategories: unknownCategories)
    }

    /// An encoder for inputs that are not files (the API): fields are addressed by schema column.
    public init(schema: Schema, reference: ReferenceProfile? = nil, unknownCategories: UnknownCategoryMode = .score) {
        self.init(schema: schema, fieldIndex: Array(schema.features.indices), idIndex: nil,
                  headerCount: schema.features.count, reference: reference, unknownCategories: unknownCategories)
    }

    init(schema: Schema, fieldIndex: [Int], idIndex: Int?, headerCount: Int, reference: ReferenceProfile?,
         unknownCategories: UnknownCategoryMode) {
        self.schema = schema
        self.layout = FeatureLayout(schema: schema)
        self.fieldIndex = fieldIndex
        self.idIndex = idIndex
        self.headerCount = headerCount
        self.unknownCategories = unknownCategories
        self.kinds = schema.features.map(\.kind)
        let tables = CategoryTables(schema.features.map { CategoryIndex(categories: $0.categories) })
        self.tables = tables
        self.spellings = schema.features.map { CategorySpelling(categories: $0.categories) }
        self.markers = schema.features.map { column in (schema.missingValues + column.missingValues).map { Array($0.utf8) } }
        let layout = self.layout
        // Without a reference (or one that does not match) missing values keep the old meaning: no indicator set.
        let profiles = reference.flatMap { $0.columns.count == schema.features.count ? $0.columns : nil }
        self.plans = schema.features.indices.map { c in
            let column = schema.features[c]
            let indicators = column.categories.count + (column.otherLevel ? 1 : 0)
            let learned = profiles.map { $0[c].missingIsLearned } ?? true
            return ColumnPlan(numeric: column.kind == .numeric, slot: layout.offsets[c],
                              categoryCount: column.kind == .numeric ? 1 : indicators, fieldIndex: fieldIndex[c],
                              otherSlot: column.otherLevel ? layout.offsets[c] + column.categories.count : -1,
                              missingLearned: learned, table: tables.columns[c])
        }
    }

    public func makeRow() -> EncodedRow { EncodedRow(layout: layout, columns: schema.features.count) }

    /// Encodes one CSV record; returns the first problem instead when the row cannot be scored. Without
    /// `indicators`, categorical columns set their codes only and the row's indicator slots are not cleared or set
    /// (what `linearMargin` needs, see RowEncoder+Linear.swift; an unresolved row must be encoded again with them).
    @inline(__always)
    public func encode(_ record: CSVRecord, into row: inout EncodedRow, indicators: Bool = true) -> RowIssue? {
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
        var unresolved = false
        let failed = row.values.withUnsafeMutableBufferPointer { values in
            row.codes.withUnsafeMutableBufferPointer { codes in
                plans.withUnsafeBufferPointer { plans -> (Int, RowIssue.Reason)? in
                    // One clear of the whole row instead of one per categorical column.
                    if indicators { values.update(repeating: 0) }
                    for c in 0..<plans.count {
                        if let reason = encode(c, plans[c], record.field(plans[c].fieldIndex), values.baseAddress!,
                                               codes.baseAddress!, &unresolved, indicators ? .rowCleared : .codesOnly) {
                            return (c, reason)
                        }
                    }
                    return nil
                }
            }
        }
        row.unresolved = unresolved
        if let (c, reason) = failed {
            let (line, column) = record.position(ofField: fieldIndex[c])
            return RowIssue(line: line, column: column, field: schema.features[c].name, reason: reason)
        }
        return nil
    }

    /// How a categorical column writes its indicator slots.
    enum Indicators {
        /// Clear the column's slots, then set its category's (one field of a row filled field by field).
        case clearColumn
        /// The row was cleared as a whole: set the category's slot only.
        case rowCleared
        /// Write the code only (`linearMargin`'s rows).
        case codesOnly
    }

    @inline(__always)
    func encode(_ c: Int, _ plan: ColumnPlan, _ raw: UnsafeBufferPointer<UInt8>,
                _ values: UnsafeMutablePointer<Double>, _ codes: UnsafeMutablePointer<Int32>,
                _ unresolved: inout Bool, _ mode: Indicators) -> RowIssue.Reason? {
        if plan.numeric {
            if let v = FieldParsing.parseDouble(raw) {
                values[plan.slot] = v
                codes[c] = 0
            } else if isMissing(c, raw) {
                values[plan.slot] = .nan
                codes[c] = RowEncoder.missing
                if !plan.missingLearned { unresolved = true }
            } else {
                return .notANumber(String(decoding: FieldParsing.trim(raw), as: UTF8.self))
            }
            return nil
        }
        if mode == .clearColumn { (values + plan.slot).update(repeating: 0, count: plan.categoryCount) }
        let indicators = mode != .codesOnly
        let f = FieldParsing.trim(raw)
        if let k = tables.index(of: f, in: plan.table) {
            if indicators { values[plan.slot + k] = 1 }
            codes[c] = Int32(k)
        } else if isMissing(c, f) {
            codes[c] = RowEncoder.missing
            if !plan.missingLearned {
                // Training never saw this column missing: "no indicator" would be a category of its own that no
                // customer had. Average over the training distribution instead.
                (values + plan.slot).update(repeating: .nan, count: plan.categoryCount)
                unresolved = true
            }
        } else if let k = spellings[c].index(of: f) {
            // A known category written another way ("Month to month"): that category, not an unseen value.
            if indicators { values[plan.slot + k] = 1 }
            codes[c] = Int32(k)
        } else if plan.otherSlot >= 0 {
            if indicators { values[plan.otherSlot] = 1 }
            codes[c] = RowEncoder.unknown
        } else if unknownCategories == .score {
            (values + plan.slot).update(repeating: .nan, count: plan.categoryCount)
            codes[c] = RowEncoder.unknown
            unresolved = true
        } else {
            return .unknownCategory(String(decoding: f, as: UTF8.self), known: schema.features[c].categories)
        }
        return nil
    }

    /// A standard missing marker, or one of the model's own (checked only after a field failed to parse or match).
    @inline(__always)
    func isMissing(_ c: Int, _ raw: UnsafeBufferPointer<UInt8>) -> Bool {
        if FieldParsing.isMissing(raw) { return true }
        let extra = markers[c]
        if extra.isEmpty { return false }
        let f = FieldParsing.trim(raw)
        return extra.contains { $0.count == f.count && $0.elementsEqual(f) }
    }

    /// Encodes schema column `c` from raw field bytes (clears `row.unresolved` only through `encode(_:into:)`;
    /// callers that fill a row field by field reset it first).
    public func encodeField(_ c: Int, _ raw: UnsafeBufferPointer<UInt8>, into row: inout EncodedRow) -> RowIssue.Reason? {
        let plan = plans[c]
        var unresolved = row.unresolved
        let reason = row.values.withUnsafeMutableBufferPointer { values in
            row.codes.withUnsafeMutableBufferPointer { codes in
                encode(c, plan, raw, values.baseAddress!, codes.baseAddress!, &unresolved, .clearColumn)
            }
        }
        row.unresolved = unresolved
        return reason
    }

    /// Encodes schema column `c` from an already-typed number (an API request's JSON number).
    public func encodeNumber(_ c: Int, _ value: Double?, into row: inout EncodedRow) -> RowIssue.Reason? {
        let slot = layout.offsets[c]
        switch kinds[c] {
        case .numeric:
            guard let value else {
                row.values[slot] = .nan
                row.codes[c] = RowEncoder.missing
                if !plans[c].missingLearned { row.unresolved = true }
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
