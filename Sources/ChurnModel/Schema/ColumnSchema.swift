/// How a column's values are read: as numbers, or as one of a set of labels.
public enum ColumnKind: String, Codable, Sendable {
    case numeric
    case categorical
}

/// One input column the model uses: its name, kind, and (for categorical columns) the categories seen in training.
public struct ColumnSchema: Codable, Sendable, Equatable {
    public var name: String
    public var kind: ColumnKind
    /// Known categories, most frequent first (categorical columns only).
    public var categories: [String]
    /// Categorical columns only: training folded its rare values into one "other" level, encoded as one more
    /// indicator after the categories; scoring puts every value not in `categories` there.
    public var otherLevel: Bool
    /// Texts training read as missing in this column besides the standard markers (a numeric column's stray
    /// non-numbers), so scoring reads them the same way.
    public var missingValues: [String]

    /// The name of the "other" level's indicator (`Surname=(other)`).
    public static let otherName = "(other)"

    public init(name: String, kind: ColumnKind, categories: [String] = [], otherLevel: Bool = false,
                missingValues: [String] = []) {
        self.name = name
        self.kind = kind
        self.categories = categories
        self.otherLevel = otherLevel
        self.missingValues = missingValues
    }

    enum CodingKeys: String, CodingKey { case name, kind, categories, otherLevel, missingValues }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(ColumnKind.self, forKey: .kind)
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        otherLevel = try c.decodeIfPresent(Bool.self, forKey: .otherLevel) ?? false
        missingValues = try c.decodeIfPresent([String].self, forKey: .missingValues) ?? []
        if kind == .categorical && categories.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .categories, in: c, debugDescription: "categorical column '\(name)' lists no categories")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        if kind == .categorical { try c.encode(categories, forKey: .categories) }
        // Written only when set, so artifacts that use neither read and diff exactly as before.
        if otherLevel { try c.encode(true, forKey: .otherLevel) }
        if !missingValues.isEmpty { try c.encode(missingValues, forKey: .missingValues) }
    }
}
