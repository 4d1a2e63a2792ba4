/// The columns a model reads, which column identifies a customer, and which one is the label.
///
/// A schema travels inside the model artifact, and scoring enforces it: every feature column must be present
/// in the header, numeric fields must parse, categorical fields must be a known category (unless unknown
/// categories are allowed). Missing values are allowed everywhere (see `docs/model-format.md`).
public struct Schema: Codable, Sendable, Equatable {
    /// Column holding the customer identifier, if any.
    public var idColumn: String?
    /// Column holding the observed outcome during training.
    public var targetColumn: String
    /// The target value meaning "churned" (e.g. "Yes").
    public var positiveLabel: String
    /// The target value meaning "stayed" (e.g. "No").
    public var negativeLabel: String
    public var features: [ColumnSchema]
    /// Missing-value markers added with `churn train --na`, read as missing in every column (beside the standard
    /// ones, see `FieldParsing.isMissing`). Empty when none were given; then absent from the JSON.
    public var missingValues: [String]

    public init(idColumn: String?, targetColumn: String, positiveLabel: String, negativeLabel: String, features: [ColumnSchema],
                missingValues: [String] = []) {
        self.idColumn = idColumn
        self.targetColumn = targetColumn
        self.positiveLabel = positiveLabel
        self.negativeLabel = negativeLabel
        self.features = features
        self.missingValues = missingValues
    }

    enum CodingKeys: String, CodingKey { case idColumn, targetColumn, positiveLabel, negativeLabel, features, missingValues }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        idColumn = try c.decodeIfPresent(String.self, forKey: .idColumn)
        targetColumn = try c.decode(String.self, forKey: .targetColumn)
        positiveLabel = try c.decode(String.self, forKey: .positiveLabel)
        negativeLabel = try c.decode(String.self, forKey: .negativeLabel)
        features = try c.decode([ColumnSchema].self, forKey: .features)
        missingValues = try c.decodeIfPresent([String].self, forKey: .missingValues) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(idColumn, forKey: .idColumn)
        try c.encode(targetColumn, forKey: .targetColumn)
        try c.encode(positiveLabel, forKey: .positiveLabel)
        try c.encode(negativeLabel, forKey: .negativeLabel)
        try c.encode(features, forKey: .features)
        if !missingValues.isEmpty { try c.encode(missingValues, forKey: .missingValues) }
    }

    public func feature(named name: String) -> ColumnSchema? {
        features.first { $0.name == name }
    }

    /// Feature columns absent from `header` (and the id column, when the schema has one).
    public func missingColumns(in header: [String]) -> [String] {
        let present = Set(header)
        var missing = features.map(\.name).filter { !present.contains($0) }
        if let idColumn, !present.contains(idColumn) { missing.insert(idColumn, at: 0) }
        return missing
    }
}
