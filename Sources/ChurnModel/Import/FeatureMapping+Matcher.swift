extension FeatureMapping {
    /// Matches library features to customer columns one at a time, for `FeatureMapping.resolve`: by an explicit
    /// mapping entry, else by name (a column, or an indicator `column_category` / `column=category`, exactly or
    /// with whitespace read as "_"). Collects the notes and the categories a mapping adds on the way.
    struct Matcher {
        let forest: ForeignForest
        let source: Schema
        let modelFile: String
        let mappingFile: String?
        let columns: [String: ColumnSchema]
        /// Indicator names, exact and loose.
        var exact: [String: [FeatureBinding]] = [:]
        var loose: [String: [FeatureBinding]] = [:]
        var notes: [String] = []
        var extraCategories: [String: [String]] = [:]

        /// Why a library feature matched no customer column, in words for the import's error.
        struct Unmatched: Error, CustomStringConvertible {
            var description: String
        }

        init(forest: ForeignForest, source: Schema, modelFile: String, mappingFile: String?) {
            self.forest = forest
            self.source = source
            self.modelFile = modelFile
            self.mappingFile = mappingFile
            columns = Dictionary(source.features.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
            for column in source.features where column.kind == .categorical {
                for category in column.categories {
                    let binding = FeatureBinding.indicator(column: column.name, category: category)
                    for key in ["\(column.name)_\(category)", "\(column.name)=\(category)"] {
                        exact[key, default: []].append(binding)
                        loose[FeatureMapping.normalized(key), default: []].append(binding)
                    }
                }
            }
        }

        /// Feature `j` as the mapping file's `entry` says; a wrong entry is an error, never a silent guess.
        mutating func explicit(_ j: Int, _ entry: Entry) throws(ModelImportError) -> Result<FeatureBinding, Unmatched> {
            let name = forest.featureNames[j]
            let isCategorical = forest.categoricalFeatures[j] != nil
            let file = mappingFile ?? "mapping"
            guard let column = columns[entry.column] else {
                throw ModelImportError(file: file, field: name, reason: "column '\(entry.column)' is not in the schema (its columns: \(FeatureMapping.quoted(source.features.map(\.name), limit: 30)))")
            }
            switch (column.kind, entry.category, entry.codes) {
            case (.numeric, nil, nil):
                if isCategorical {
                    throw ModelImportError(file: file, field: name, reason: "the model reads '\(name)' as category codes but column '\(column.name)' is numeric")
                }
                return .success(.numeric(column: column.name))
            case (.numeric, _, _):
                throw ModelImportError(file: file, field: name, reason: "column '\(column.name)' is numeric; it has no categories or codes")
            case (.categorical, let category?, nil):
                if !column.categories.contains(category) && !(extraCategories[column.name] ?? []).contains(category) {
                    extraCategories[column.name, default: []].append(category)
                }
                return .success(.indicator(column: column.name, category: category))
            case (.categorical, nil, let codes?):
                notes += FeatureMapping.categoryNotes(name: name, column: column, libraryCategories: codes)
                return .success(.codes(column: column.name, codes: Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })))
            case (.categorical, nil, nil):
                guard isCategorical else {
                    throw ModelImportError(file: file, field: name, reason: "column '\(column.name)' is categorical: give the \"category\" this feature indicates, or the \"codes\" it stands for")
                }
                return .success(try codes(j, column))
            default:
                throw ModelImportError(file: file, field: name, reason: "give either \"category\" or \"codes\", not both")
            }
        }

        /// Feature `j` matched by its name, or why it matched nothing.
        mutating func inferred(_ j: Int) throws(ModelImportError) -> Result<FeatureBinding, Unmatched> {
            let name = forest.featureNames[j]
            let isCategorical = forest.categoricalFeatures[j] != nil
            if let column = columns[name] ?? FeatureMapping.uniqueLoose(name, source) {
                switch column.kind {
                case .numeric where !isCategorical:
                    return .success(.numeric(column: column.name))
                case .categorical where isCategorical:
                    return .success(try codes(j, column))
                case .numeric:
                    return .failure(Unmatched(description: "'\(name)' (the model reads it as category codes, the schema's '\(column.name)' is numeric)"))
                case .categorical:
                    // A categorical column read as a number: only a mapping with codes can say what the numbers mean.
                    if exact[name] == nil && loose[FeatureMapping.normalized(name)] == nil {
                        return .failure(Unmatched(description: "'\(name)' (the schema's '\(column.name)' is categorical but the model reads a number; give its \"codes\" in --mapping)"))
                    }
                }
            }
            let candidates = exact[name] ?? loose[FeatureMapping.normalized(name)] ?? []
            if candidates.count == 1 { return .success(candidates[0]) }
            if candidates.count > 1 {
                return .failure(Unmatched(description: "'\(name)' (could be any of \(candidates.map(\.text).joined(separator: ", ")))"))
            }
            return .failure(Unmatched(description: "'\(name)'"))
        }

        mutating func codes(_ j: Int, _ column: ColumnSchema) throws(ModelImportError) -> FeatureBinding {
            let (binding, more) = try FeatureMapping.codeBinding(forest, j, column, modelFile: modelFile, mappingFile: mappingFile)
            notes += more
            return binding
        }
    }
}
