/// Values of one column of a training file.
public enum TableColumn: Sendable {
    /// Numbers, NaN where missing.
    case numeric([Double])
    /// Category indexes into the schema column's `categories`; -1 where missing or not kept.
    case categorical([Int32])
}

/// Options for reading a labelled training file.
public struct TableOptions: Sendable {
    /// The label column; nil picks "Churn" when present.
    public var target: String?
    /// The id column; nil picks "customerID" when present. Never used as a feature.
    public var id: String?
    /// Columns to read as categorical even when every value is a number (e.g. codes).
    public var forceCategorical: Set<String> = []
    /// Columns to leave out.
    public var exclude: Set<String> = []
    /// The label value meaning "churned", when it is not one of the usual spellings (Yes, 1, true, …).
    public var positiveLabel: String?
    /// Categorical columns keep at most this many categories (the most frequent); rarer ones encode as unseen.
    public var maxCategories = 64
    /// The file's field separator (',' unless --delimiter says otherwise).
    public var delimiter: UInt8 = 0x2C

    public init(target: String? = nil, id: String? = nil) {
        self.target = target
        self.id = id
    }
}

/// A labelled customer file held column by column, with each column's kind inferred from its values.
///
/// Inference: a column is numeric when every non-missing value parses as a number (so the Telco file's blank
/// `TotalCharges` and 0/1 `SeniorCitizen` are numeric), otherwise categorical. A text column whose values are
/// nearly all distinct is identifier-like and left out. Rows that cannot be used (malformed, wrong field count,
/// missing or unrecognised label) are skipped and reported in `skipped`.
public struct TrainingTable: Sendable {
    public var schema: Schema
    public var columns: [TableColumn]
    /// 1 = churned, 0 = stayed.
    public var labels: [UInt8]
    /// Rows that were not used, with why (the first 1,000 are kept, `skippedCount` counts all).
    public var skipped: [RowIssue]
    public var skippedCount: Int
    /// Columns left out and why.
    public var notes: [String]
    /// A fingerprint of the rows used (FNV-1a 64 over their bytes), to tell later which data made a model.
    public var fingerprint: String
    public var file: String
    /// Empty or whitespace-only lines: not rows, so neither used nor skipped; counted for the summary.
    public var blankLines = 0

    public var rowCount: Int { labels.count }
    public var positives: Int { labels.reduce(0) { $0 + Int($1) } }

    /// A problem that stops training before it starts.
    public struct LoadError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Reads and types a whole labelled file.
    public static func load(path: String, options: TableOptions = TableOptions()) throws -> TrainingTable {
        let reader = try CSVReader(path: path, delimiter: options.delimiter)
        let header = reader.header
        func pick(_ requested: String?, default fallback: String, role: String, flag: String) throws -> String? {
            if let requested {
                guard header.contains(requested) else {
                    throw LoadError(description: "\(path):1: no column '\(requested)' for the \(role) (\(flag)); the header has \(header.joined(separator: ", "))")
                }
                return requested
            }
            return header.contains(fallback) ? fallback : nil
        }
        guard let target = try pick(options.target, default: TelcoSchema.targetColumn, role: "label", flag: "--target") else {
            throw LoadError(description: "\(path):1: no label column; name it with --target (the header has \(header.joined(separator: ", ")))")
        }
        let id = try pick(options.id, default: TelcoSchema.idColumn, role: "customer id", flag: "--id")
        let targetIndex = header.firstIndex(of: target)!
        let featureIndexes = header.indices.filter { header[$0] != target && header[$0] != id && !options.exclude.contains(header[$0]) }
        var builders = featureIndexes.map { ColumnBuilder(name: header[$0]) }

        var labels: [UInt8] = []
        var skipped: [RowIssue] = []
        var skippedCount = 0
        var blankLines = 0
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let positive = options.positiveLabel.map { Array($0.utf8) }
        var labelSpellings: [String: Bool] = [:]

        func skip(_ issue: RowIssue) {
            skippedCount += 1
            if skipped.count < 1000 { skipped.append(issue) }
        }
        try reader.forEachRecord { record in
            if let error = record.error {
                skip(RowIssue(line: error.line, column: error.column, field: nil, reason: .malformed(error.message)))
                return
            }
            if record.isBlankLine { blankLines += 1; return }
            if record.count != header.count {
                skip(RowIssue(line: record.line, column: 1, field: nil, reason: .fieldCount(expected: header.count, found: record.count)))
                return
            }
            let labelField = record.field(targetIndex)
            guard let label = FieldParsing.parseLabel(labelField, positive: positive) else {
                let (line, column) = record.position(ofField: targetIndex)
                let text = String(decoding: FieldParsing.trim(labelField), as: UTF8.self)
                skip(RowIssue(line: line, column: column, field: target,
                              reason: .malformed("label '\(RowIssue.clip(text))' is neither a churn value (Yes, 1, true) nor a stay value (No, 0, false); name the churn value with --positive")))
                return
            }
            if labelSpellings.count < 4 { labelSpellings[String(decoding: FieldParsing.trim(labelField), as: UTF8.self)] = label }
            labels.append(label ? 1 : 0)
            for (k, i) in featureIndexes.enumerated() { builders[k].add(record.field(i)) }
            for b in record.raw { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
            hash = (hash ^ 0x0A) &* 0x100_0000_01b3
        }
        guard labels.count >= 10 else {
            throw LoadError(description: "\(path): only \(labels.count) usable rows (\(skippedCount) skipped); training needs at least 10")
        }
        let positives = labels.reduce(0) { $0 + Int($1) }
        guard positives > 0 && positives < labels.count else {
            throw LoadError(description: "\(path): every usable row has the same label in '\(target)'; training needs both churned and retained customers")
        }

        var features: [ColumnSchema] = []
        var columns: [TableColumn] = []
        var notes: [String] = []
        for var builder in builders {
            let forced = options.forceCategorical.contains(builder.name)
            switch builder.finish(rows: labels.count, forceCategorical: forced, maxCategories: options.maxCategories) {
            case .numeric(let values):
                features.append(ColumnSchema(name: builder.name, kind: .numeric))
                columns.append(.numeric(values))
            case .categorical(let codes, let categories, let dropped):
                features.append(ColumnSchema(name: builder.name, kind: .categorical, categories: categories))
                columns.append(.categorical(codes))
                if dropped > 0 {
                    notes.append("\(builder.name): kept the \(categories.count) most frequent categories; \(dropped) rarer ones encode as unseen")
                }
            case .excluded(let why):
                notes.append("\(builder.name): left out, \(why)")
            }
        }
        guard !features.isEmpty else {
            throw LoadError(description: "\(path): no usable feature columns (\(notes.joined(separator: "; ")))")
        }
        let positiveSpelling = options.positiveLabel ?? labelSpellings.first(where: { $0.value })?.key ?? "Yes"
        let negativeSpelling = labelSpellings.first(where: { !$0.value })?.key ?? "No"
        let schema = Schema(idColumn: id, targetColumn: target, positiveLabel: positiveSpelling,
                            negativeLabel: negativeSpelling, features: features)
        var table = TrainingTable(schema: schema, columns: columns, labels: labels, skipped: skipped,
                                  skippedCount: skippedCount, notes: notes,
                                  fingerprint: "fnv1a64:" + String(hash, radix: 16), file: path)
        table.blankLines = blankLines
        return table
    }

    /// The rows at `indexes`, as a new table with the same schema.
    public func subset(_ indexes: [Int]) -> TrainingTable {
        var copy = self
        copy.labels = indexes.map { labels[$0] }
        copy.columns = columns.map { column in
            switch column {
            case .numeric(let v): return .numeric(indexes.map { v[$0] })
            case .categorical(let c): return .categorical(indexes.map { c[$0] })
            }
        }
        return copy
    }
}

/// Accumulates one column's values both as numbers and as categories until its kind is decided.
struct ColumnBuilder {
    let name: String
    var numbers: [Double] = []
    var codes: [Int32] = []
    var dictionary: [String: Int32] = [:]
    var counts: [Int] = []
    var allNumeric = true
    var nonMissing = 0
    var sample: String?
    static let dictionaryLimit = 100_000

    init(name: String) { self.name = name }

    mutating func add(_ raw: UnsafeBufferPointer<UInt8>) {
        let f = FieldParsing.trim(raw)
        if FieldParsing.isMissing(f) {
            if allNumeric { numbers.append(.nan) }
            codes.append(-1)
            return
        }
        nonMissing += 1
        if allNumeric {
            if let v = FieldParsing.parseDouble(f) {
                numbers.append(v)
            } else {
                allNumeric = false
                numbers = []
                if sample == nil { sample = String(decoding: f, as: UTF8.self) }
            }
        }
        let key = String(decoding: f, as: UTF8.self)
        if let code = dictionary[key] {
            codes.append(code)
            counts[Int(code)] += 1
        } else if dictionary.count < ColumnBuilder.dictionaryLimit {
            let code = Int32(dictionary.count)
            dictionary[key] = code
            counts.append(1)
            codes.append(code)
        } else {
            codes.append(-1)
        }
    }

    enum Outcome {
        case numeric([Double])
        case categorical([Int32], [String], dropped: Int)
        case excluded(String)
    }

    mutating func finish(rows: Int, forceCategorical: Bool, maxCategories: Int) -> Outcome {
        if nonMissing == 0 { return .excluded("every value is missing") }
        if allNumeric && !forceCategorical {
            let first = numbers.first { !$0.isNaN }
            if numbers.allSatisfy({ $0.isNaN || $0 == first }) { return .excluded("it holds a single value") }
            return .numeric(numbers)
        }
        if dictionary.count == 1 { return .excluded("it holds a single value") }
        if !forceCategorical && dictionary.count > 50 && Double(dictionary.count) > 0.5 * Double(nonMissing) {
            return .excluded("\(dictionary.count) distinct text values in \(nonMissing) rows look like an identifier (use --categorical \(name) to keep it)")
        }
        // Most frequent first; ties by name for a stable order.
        let names = dictionary.sorted { a, b in
            let (ca, cb) = (counts[Int(a.value)], counts[Int(b.value)])
            return ca != cb ? ca > cb : a.key < b.key
        }
        let kept = names.prefix(maxCategories)
        var remap = [Int32](repeating: -1, count: dictionary.count)
        for (newCode, entry) in kept.enumerated() { remap[Int(entry.value)] = Int32(newCode) }
        let recoded = codes.map { $0 < 0 ? Int32(-1) : remap[Int($0)] }
        return .categorical(recoded, kept.map(\.key), dropped: names.count - kept.count)
    }
}
