import Foundation

/// Matches a foreign model's feature names to customer columns: each library feature becomes a numeric column, one
/// category's indicator, or a categorical column's code. The result also fixes the artifact's schema: the
/// columns some feature reads, in the source schema's order.
///
/// Matching, per library feature: an entry of the explicit mapping file when there is one; else a column of that
/// name (numeric, or categorical when the library reads it as category codes); else a category indicator named
/// `column_category` (pandas `get_dummies`) or `column=category` (ours). Whitespace counts as `_`, since LightGBM
/// rewrites spaces in feature names to underscores. Every library feature must match exactly one thing.
public struct FeatureMapping: Sendable {
    public var bindings: [FeatureBinding]
    public var schema: Schema
    /// What a person should know (unused columns left out, categories one side has and the other lacks).
    public var notes: [String]

    /// One entry of a mapping file: `{"column": "Contract", "category": "Month-to-month"}`,
    /// `{"column": "tenure"}` or `{"column": "Contract", "codes": ["Month-to-month", "One year", "Two year"]}`.
    public struct Entry: Equatable, Sendable {
        public var column: String
        public var category: String?
        public var codes: [String]?

        public init(column: String, category: String? = nil, codes: [String]? = nil) {
            self.column = column
            self.category = category
            self.codes = codes
        }
    }

    /// Reads a mapping file: a JSON object from library feature name to an `Entry`.
    public static func loadEntries(path: String) throws(ModelImportError) -> [String: Entry] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ModelImportError(file: path, reason: "cannot read the mapping file (\(ModelLoadError.describe(error)))")
        }
        let root = try JSONNode.parse(data, file: path)
        guard let object = root.value as? [String: Any] else {
            throw root.error("a mapping file is a JSON object from model feature name to {\"column\": …, \"category\": …}")
        }
        var entries: [String: Entry] = [:]
        for name in object.keys.sorted() {
            let node = try root.field(name)
            guard node.value is [String: Any] else {
                throw node.error("expected {\"column\": NAME} with an optional \"category\" or \"codes\"")
            }
            let column = try node.field("column").string()
            let category = try node.optionalField("category")?.string()
            let codes = try node.optionalField("codes")?.strings()
            if category != nil && codes != nil { throw node.error("give either \"category\" or \"codes\", not both") }
            if let codes, Set(codes).count != codes.count { throw node.error("\"codes\" lists a category twice") }
            entries[name] = Entry(column: column, category: category, codes: codes)
        }
        return entries
    }

    /// Binds every feature of `forest` to `source`'s columns, or fails listing every feature that matched nothing.
    static func resolve(_ forest: ForeignForest, schema source: Schema, explicit: [String: Entry],
                        modelFile: String, mappingFile: String?) throws(ModelImportError) -> FeatureMapping {
        var notes: [String] = []
        var extraCategories: [String: [String]] = [:]
        let columns = Dictionary(source.features.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let names = forest.featureNames
        if let mappingFile {
            let unknown = explicit.keys.filter { !names.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw ModelImportError(file: mappingFile, reason: "names feature\(unknown.count == 1 ? "" : "s") the model does not have: \(quoted(unknown)); the model's features are \(quoted(names, limit: 12))")
            }
        }

        // Indicator names: exact, then with whitespace read as "_".
        var exact: [String: [FeatureBinding]] = [:]
        var loose: [String: [FeatureBinding]] = [:]
        for column in source.features where column.kind == .categorical {
            for category in column.categories {
                let binding = FeatureBinding.indicator(column: column.name, category: category)
                for key in ["\(column.name)_\(category)", "\(column.name)=\(category)"] {
                    exact[key, default: []].append(binding)
                    loose[normalized(key), default: []].append(binding)
                }
            }
        }

        var bindings: [FeatureBinding?] = Array(repeating: nil, count: names.count)
        var unmatched: [String] = []
        for (j, name) in names.enumerated() {
            let isCategorical = forest.categoricalFeatures[j] != nil
            if let entry = explicit[name] {
                let file = mappingFile ?? "mapping"
                guard let column = columns[entry.column] else {
                    throw ModelImportError(file: file, field: name, reason: "column '\(entry.column)' is not in the schema (its columns: \(quoted(source.features.map(\.name), limit: 30)))")
                }
                switch (column.kind, entry.category, entry.codes) {
                case (.numeric, nil, nil):
                    if isCategorical {
                        throw ModelImportError(file: file, field: name, reason: "the model reads '\(name)' as category codes but column '\(column.name)' is numeric")
                    }
                    bindings[j] = .numeric(column: column.name)
                case (.numeric, _, _):
                    throw ModelImportError(file: file, field: name, reason: "column '\(column.name)' is numeric; it has no categories or codes")
                case (.categorical, let category?, nil):
                    if !column.categories.contains(category) && !(extraCategories[column.name] ?? []).contains(category) {
                        extraCategories[column.name, default: []].append(category)
                    }
                    bindings[j] = .indicator(column: column.name, category: category)
                case (.categorical, nil, let codes?):
                    bindings[j] = .codes(column: column.name, codes: Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) }))
                    notes += categoryNotes(name: name, column: column, libraryCategories: codes)
                case (.categorical, nil, nil):
                    guard isCategorical else {
                        throw ModelImportError(file: file, field: name, reason: "column '\(column.name)' is categorical: give the \"category\" this feature indicates, or the \"codes\" it stands for")
                    }
                    let (binding, more) = try codeBinding(forest, j, column, modelFile: modelFile, mappingFile: mappingFile)
                    bindings[j] = binding
                    notes += more
                default:
                    throw ModelImportError(file: file, field: name, reason: "give either \"category\" or \"codes\", not both")
                }
                continue
            }
            if let column = columns[name] ?? uniqueLoose(name, source) {
                switch column.kind {
                case .numeric where !isCategorical:
                    bindings[j] = .numeric(column: column.name)
                    continue
                case .categorical where isCategorical:
                    let (binding, more) = try codeBinding(forest, j, column, modelFile: modelFile, mappingFile: mappingFile)
                    bindings[j] = binding
                    notes += more
                    continue
                case .numeric:
                    unmatched.append("'\(name)' (the model reads it as category codes, the schema's '\(column.name)' is numeric)")
                    continue
                case .categorical:
                    // A categorical column read as a number: only a mapping with codes can say what the numbers mean.
                    if exact[name] == nil && loose[normalized(name)] == nil {
                        unmatched.append("'\(name)' (the schema's '\(column.name)' is categorical but the model reads a number; give its \"codes\" in --mapping)")
                        continue
                    }
                }
            }
            let candidates = exact[name] ?? loose[normalized(name)] ?? []
            if candidates.count == 1 {
                bindings[j] = candidates[0]
            } else if candidates.count > 1 {
                unmatched.append("'\(name)' (could be any of \(candidates.map(\.text).joined(separator: ", ")))")
            } else {
                unmatched.append("'\(name)'")
            }
        }
        if !unmatched.isEmpty {
            let hint = mappingFile == nil
                ? "map them with --mapping FILE (see docs/import.md), or take the schema from your training data with --schema-from DATA.csv"
                : "add them to \(mappingFile!) (see docs/import.md)"
            throw ModelImportError(file: modelFile, reason: "\(unmatched.count) model feature\(unmatched.count == 1 ? "" : "s") match\(unmatched.count == 1 ? "es" : "") no customer column: \(unmatched.prefix(20).joined(separator: ", "))\(unmatched.count > 20 ? ", …" : ""); \(hint)")
        }
        let bound = bindings.map { $0! }

        // Two library features reading the same input would double-count it; that is a mapping mistake.
        var seen: [String: String] = [:]
        for (j, binding) in bound.enumerated() {
            if let other = seen[binding.text] {
                throw ModelImportError(file: mappingFile ?? modelFile, reason: "model features '\(other)' and '\(names[j])' both map to \(binding.text)")
            }
            seen[binding.text] = names[j]
        }

        let used = Set(bound.map(\.column))
        let kept = source.features.filter { used.contains($0.name) }.map { column -> ColumnSchema in
            var column = column
            column.categories += extraCategories[column.name] ?? []
            return column
        }
        let dropped = source.features.map(\.name).filter { !used.contains($0) }
        if !dropped.isEmpty {
            notes.append("left out of the schema, no model feature reads them: \(dropped.joined(separator: ", "))")
        }
        for (column, added) in extraCategories.sorted(by: { $0.key < $1.key }) {
            notes.append("added to '\(column)' from the mapping: \(added.joined(separator: ", "))")
        }
        var schema = source
        schema.features = kept
        return FeatureMapping(bindings: bound, schema: schema, notes: notes)
    }

    /// The code binding of a categorical library feature: the categories the model recorded, else integer
    /// categories read as their own codes.
    static func codeBinding(_ forest: ForeignForest, _ j: Int, _ column: ColumnSchema, modelFile: String,
                            mappingFile: String?) throws(ModelImportError) -> (FeatureBinding, [String]) {
        let name = forest.featureNames[j]
        if let recorded = forest.categoricalFeatures[j] ?? nil {
            let codes = Dictionary(recorded.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            return (.codes(column: column.name, codes: codes), categoryNotes(name: name, column: column, libraryCategories: recorded))
        }
        let integers = column.categories.compactMap { c -> (String, Int)? in Int(c).flatMap { $0 >= 0 ? (c, $0) : nil } }
        if integers.count == column.categories.count {
            return (.codes(column: column.name, codes: Dictionary(uniqueKeysWithValues: integers)),
                    ["'\(name)': the model does not record its categories; read each category of '\(column.name)' as its own code"])
        }
        throw ModelImportError(file: modelFile, reason: "the model reads '\(name)' as category codes but does not record which category each code stands for; list them in order in \(mappingFile ?? "a --mapping file") as {\"\(name)\": {\"column\": \"\(column.name)\", \"codes\": [\(column.categories.prefix(3).map { "\"\($0)\"" }.joined(separator: ", "))\(column.categories.count > 3 ? ", …" : "")]}}")
    }

    static func categoryNotes(name: String, column: ColumnSchema, libraryCategories: [String]) -> [String] {
        var notes: [String] = []
        let ours = Set(column.categories)
        let theirs = Set(libraryCategories)
        let onlyOurs = column.categories.filter { !theirs.contains($0) }
        let onlyTheirs = libraryCategories.filter { !ours.contains($0) }
        if !onlyOurs.isEmpty {
            notes.append("'\(name)': the model never saw \(quoted(onlyOurs)); customers with \(onlyOurs.count == 1 ? "it" : "them") take the missing-value branch")
        }
        if !onlyTheirs.isEmpty {
            notes.append("'\(name)': the model knows \(quoted(onlyTheirs)), which the schema of '\(column.name)' does not (such rows are rejected as unknown categories)")
        }
        return notes
    }

    /// A column whose name matches with whitespace read as "_", when exactly one does.
    static func uniqueLoose(_ name: String, _ schema: Schema) -> ColumnSchema? {
        let key = normalized(name)
        let hits = schema.features.filter { normalized($0.name) == key }
        return hits.count == 1 ? hits[0] : nil
    }

    static func normalized(_ name: String) -> String {
        String(name.map { $0.isWhitespace ? "_" : $0 })
    }

    static func quoted(_ names: [String], limit: Int = 20) -> String {
        names.prefix(limit).map { "'\($0)'" }.joined(separator: ", ") + (names.count > limit ? ", … (\(names.count) in all)" : "")
    }
}
