import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
            throw ModelImportError(file: path, reason: "cannot read the mapping file (\(IOErrorText.describe(error, file: path)))")
        }
        let root = try JSONNode.parse(data, file: path)
        guard case .object(let object) = root.value else {
            throw root.error("a mapping file is a JSON object from model feature name to {\"column\": …, \"category\": …}")
        }
        var entries: [String: Entry] = [:]
        for name in object.keys.sorted() {
            let node = try root.field(name)
            guard node.value.object != nil else {
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
        let names = forest.featureNames
        if let mappingFile {
            let unknown = explicit.keys.filter { !names.contains($0) }.sorted()
            if !unknown.isEmpty {
                throw ModelImportError(file: mappingFile, reason: "names feature\(unknown.count == 1 ? "" : "s") the model does not have: \(quoted(unknown)); the model's features are \(quoted(names, limit: 12))")
            }
        }
        var matcher = Matcher(forest: forest, source: source, modelFile: modelFile, mappingFile: mappingFile)
        var bindings: [FeatureBinding] = []
        var unmatched: [String] = []
        for (j, name) in names.enumerated() {
            let found: Result<FeatureBinding, Matcher.Unmatched>
            if let entry = explicit[name] { found = try matcher.explicit(j, entry) } else { found = try matcher.inferred(j) }
            switch found {
            case .success(let binding): bindings.append(binding)
            case .failure(let why): unmatched.append(why.description)
            }
        }
        if !unmatched.isEmpty {
            let hint = mappingFile == nil
                ? "map them with --mapping FILE (see docs/import.md), or take the schema from your training data with --schema-from DATA.csv"
                : "add them to \(mappingFile!) (see docs/import.md)"
            throw ModelImportError(file: modelFile, reason: "\(unmatched.count) model feature\(unmatched.count == 1 ? "" : "s") match\(unmatched.count == 1 ? "es" : "") no customer column: \(unmatched.prefix(20).joined(separator: ", "))\(unmatched.count > 20 ? ", …" : ""); \(hint)")
        }
        try checkDistinct(bindings, names: names, file: mappingFile ?? modelFile)
        var notes = matcher.notes
        let schema = keptSchema(source, bindings: bindings, extraCategories: matcher.extraCategories, notes: &notes)
        return FeatureMapping(bindings: bindings, schema: schema, notes: notes)
    }

    /// Two library features reading the same input would double-count it; that is a mapping mistake.
    static func checkDistinct(_ bindings: [FeatureBinding], names: [String], file: String) throws(ModelImportError) {
        var seen: [String: String] = [:]
        for (j, binding) in bindings.enumerated() {
            if let other = seen[binding.text] {
                throw ModelImportError(file: file, reason: "model features '\(other)' and '\(names[j])' both map to \(binding.text)")
            }
            seen[binding.text] = names[j]
        }
    }

    /// The source schema cut to the columns some feature reads, with categories the mapping added; notes say what
    /// was left out and added.
    static func keptSchema(_ source: Schema, bindings: [FeatureBinding], extraCategories: [String: [String]],
                           notes: inout [String]) -> Schema {
        let used = Set(bindings.map(\.column))
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
        return schema
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
