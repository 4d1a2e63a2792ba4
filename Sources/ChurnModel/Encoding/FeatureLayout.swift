/// One input of the model after encoding: a numeric column as is, or one category of a categorical column as 0/1.
public struct EncodedFeature: Codable, Sendable, Equatable {
    /// Display name: `tenure`, or `Contract=Month-to-month` for an indicator.
    public var name: String
    /// Index of the source column in `Schema.features`.
    public var column: Int
    /// For an indicator: index of the category in that column's `categories`; nil for a numeric column.
    public var category: Int?

    public var isIndicator: Bool { category != nil }

    public init(name: String, column: Int, category: Int?) {
        self.name = name
        self.column = column
        self.category = category
    }
}

/// The order of encoded features derived from a schema: numeric columns take one slot, categorical columns
/// one slot per known category (one-hot), plus one for the "other" level when training folded rare values.
public struct FeatureLayout: Sendable, Equatable {
    public let features: [EncodedFeature]
    /// For each schema column, the index of its first encoded slot.
    public let offsets: [Int]

    public init(schema: Schema) {
        var features: [EncodedFeature] = []
        var offsets: [Int] = []
        for (c, column) in schema.features.enumerated() {
            offsets.append(features.count)
            switch column.kind {
            case .numeric:
                features.append(EncodedFeature(name: column.name, column: c, category: nil))
            case .categorical:
                for (k, category) in column.categories.enumerated() {
                    features.append(EncodedFeature(name: "\(column.name)=\(category)", column: c, category: k))
                }
                if column.otherLevel {
                    features.append(EncodedFeature(name: "\(column.name)=\(ColumnSchema.otherName)", column: c,
                                                   category: column.categories.count))
                }
            }
        }
        self.features = features
        self.offsets = offsets
    }

    public var count: Int { features.count }
}
