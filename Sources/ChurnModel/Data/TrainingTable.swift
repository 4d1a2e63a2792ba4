/// Values of one column of a training file.
public enum TableColumn: Sendable {
    /// Numbers, NaN where missing.
    case numeric([Double])
    /// Category indexes into the schema column's `categories`; -1 where missing or not kept.
    case categorical([Int32])
}

/// A labelled customer file held column by column, with each column's kind inferred from its values.
///
/// Inference (see `ColumnBuilder` and docs/model-format.md): a column is numeric when nearly all of its non-missing
/// values parse as numbers (the few that do not are missing, counted, and stored in the model so scoring reads
/// them the same way); a column with a value per row (ids) is left out; the rest are categorical, rare values
/// folded into an "other" level. Rows that cannot be used (malformed, wrong field count, missing or unrecognised
/// label) are skipped and reported in `skipped`.
public struct TrainingTable: Sendable {
    public var schema: Schema
    public var columns: [TableColumn]
    /// 1 = churned, 0 = stayed.
    public var labels: [UInt8]
    /// Rows that were not used, with why (the first 1,000 are kept, `skippedCount` counts all).
    public var skipped: [RowIssue]
    public var skippedCount: Int
    /// Columns left out and why, and other decisions a user should know about.
    public var notes: [String]
    /// Missing values per feature column (schema order), the stray texts of numeric columns included.
    public var missingCounts: [Int] = []
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
        /// The command line is wrong (a column option names no column): exit status 64, not 1.
        public var isUsage = false
    }

    /// Reads and types a whole labelled file.
    public static func load(path: String, options: TableOptions = TableOptions()) throws -> TrainingTable {
        let reader = try CSVReader(path: path, delimiter: options.delimiter)
        let header = reader.header
        func check(_ names: [String], _ option: String) throws -> [String] {
            if let problem = ColumnNames.problem(names, option: option, header: header, file: path) {
                throw LoadError(description: problem, isUsage: true)
            }
            return names
        }
        func single(_ requested: String?, default fallback: String, option: String) throws -> String? {
            guard let requested else { return header.contains(fallback) ? fallback : nil }
            let names = ColumnNames.split([requested], header: header)
            guard names.count == 1 else {
                throw LoadError(description: "\(option) takes one column, got \(names.count) (\(names.joined(separator: ", ")))", isUsage: true)
            }
            return try check(names, option)[0]
        }
        guard let target = try single(options.target, default: TelcoSchema.targetColumn, option: "--target") else {
            throw LoadError(description: "\(path):1: no label column; name it with --target (the header has \(header.joined(separator: ", ")))", isUsage: true)
        }
        let id = try single(options.id, default: TelcoSchema.idColumn, option: "--id")
        let exclude = Set(try check(ColumnNames.split(options.exclude, header: header), "--exclude"))
        let forced = Set(try check(ColumnNames.split(options.forceCategorical, header: header), "--categorical"))
        let keep = Set(try check(ColumnNames.split(options.keep, header: header), "--keep"))
        for (name, option) in [(target, "--target")] + (id.map { [($0, "--id")] } ?? []) where exclude.contains(name) || forced.contains(name) {
            throw LoadError(description: "'\(name)' is the \(option) column and cannot also be excluded or read as a feature", isUsage: true)
        }
        let markers = ColumnNames.split(options.missingValues).map { Array($0.utf8) }
        let targetIndex = header.firstIndex(of: target)!
        let featureIndexes = header.indices.filter { header[$0] != target && header[$0] != id && !exclude.contains(header[$0]) }
        var builders = featureIndexes.map { ColumnBuilder(name: header[$0], markers: markers) }

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
        var missingCounts: [Int] = []
        for var builder in builders {
            let name = builder.name
            let outcome = builder.finish(forceCategorical: forced.contains(name), keep: keep.contains(name),
                                         maxCategories: options.maxCategories)
            switch outcome {
            case .numeric(let values, let strays, let strayRows):
                features.append(ColumnSchema(name: name, kind: .numeric, missingValues: strays))
                columns.append(.numeric(values))
                missingCounts.append(values.reduce(0) { $0 + ($1.isNaN ? 1 : 0) })
                if strayRows > 0 {
                    let shown = strays.prefix(5).map { "'\(RowIssue.clip($0))'" }.joined(separator: ", ") + (strays.count > 5 ? ", …" : "")
                    notes.append("\(name): numeric; \(strayRows) value\(strayRows == 1 ? "" : "s") that \(strayRows == 1 ? "is" : "are") not a number (\(shown)) read as missing (use --categorical \(name) to read it as text)")
                }
            case .categorical(let codes, let categories, let other, let foldedValues, let foldedRows):
                features.append(ColumnSchema(name: name, kind: .categorical, categories: categories, otherLevel: other))
                columns.append(.categorical(codes))
                missingCounts.append(codes.reduce(0) { $0 + ($1 < 0 ? 1 : 0) })
                if other {
                    notes.append("\(name): kept \(categories.count) categories; \(foldedValues) rarer value\(foldedValues == 1 ? "" : "s") (\(foldedRows) rows) fold into one \"other\" level, where scoring also puts values it has not seen")
                }
            case .excluded(let why):
                notes.append("\(name): left out, \(why)")
            }
        }
        guard !features.isEmpty else {
            throw LoadError(description: "\(path): no usable feature columns (\(notes.joined(separator: "; ")))")
        }
        let positiveSpelling = options.positiveLabel ?? labelSpellings.first(where: { $0.value })?.key ?? "Yes"
        let negativeSpelling = labelSpellings.first(where: { !$0.value })?.key ?? "No"
        let schema = Schema(idColumn: id, targetColumn: target, positiveLabel: positiveSpelling,
                            negativeLabel: negativeSpelling, features: features,
                            missingValues: ColumnNames.split(options.missingValues))
        var table = TrainingTable(schema: schema, columns: columns, labels: labels, skipped: skipped,
                                  skippedCount: skippedCount, notes: notes, missingCounts: missingCounts,
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
