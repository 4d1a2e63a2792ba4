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

    public init(name: String, kind: ColumnKind, categories: [String] = []) {
        self.name = name
        self.kind = kind
        self.categories = categories
    }

    enum CodingKeys: String, CodingKey { case name, kind, categories }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(ColumnKind.self, forKey: .kind)
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        if kind == .categorical && categories.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .categories, in: c, debugDescription: "categorical column '\(name)' lists no categories")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        if kind == .categorical { try c.encode(categories, forKey: .categories) }
    }
}
