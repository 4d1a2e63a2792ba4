/// Options for reading a labelled training file. Column lists may hold comma lists ("a,b"); every name is
/// checked against the header when the file is read.
public struct TableOptions: Sendable {
    /// The label column; nil picks "Churn" when present.
    public var target: String?
    /// The id column; nil picks "customerID" when present. Never used as a feature.
    public var id: String?
    /// Columns to read as categorical even when every value is a number (e.g. codes) or they look like ids.
    public var forceCategorical: [String] = []
    /// Columns to leave out.
    public var exclude: [String] = []
    /// Columns to keep even when they look like an identifier (numbers stay numbers).
    public var keep: [String] = []
    /// Texts that mean "missing" besides the standard markers (`--na`); stored in the model.
    public var missingValues: [String] = []
    /// The label value meaning "churned", when it is not one of the usual spellings (Yes, 1, true, …).
    public var positiveLabel: String?
    /// Categorical columns keep at most this many categories (the most frequent); rarer ones fold into "other".
    public var maxCategories = 64
    /// The file's field separator (',' unless --delimiter says otherwise); not stored in the model.
    public var delimiter: UInt8 = 0x2C

    public init(target: String? = nil, id: String? = nil) {
        self.target = target
        self.id = id
    }
}
