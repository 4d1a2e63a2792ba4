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

    public init(idColumn: String?, targetColumn: String, positiveLabel: String, negativeLabel: String, features: [ColumnSchema]) {
        self.idColumn = idColumn
        self.targetColumn = targetColumn
        self.positiveLabel = positiveLabel
        self.negativeLabel = negativeLabel
        self.features = features
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
