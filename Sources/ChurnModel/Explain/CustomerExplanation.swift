/// One customer's score taken apart: every input as the file gave it, the probability and risk level, and each
/// input column's contribution to the margin (logit), so the console's detail view and `churn snapshot --customer`
/// show the same thing. Contributions start from `baseValue` and add up to `margin`.
public struct CustomerExplanation: Codable, Sendable, Equatable {
    /// One input column of the model: its value in the file, how the model read it, and its contribution.
    public struct Input: Codable, Sendable, Equatable {
        public var column: String
        /// The field as written in the file (trimmed of nothing: what the operator would see in the file).
        public var value: String
        /// How the model read it: a number, a category, "missing", "unseen" or "other".
        public var readAs: String
        public var contribution: Double

        public init(column: String, value: String, readAs: String, contribution: Double) {
            self.column = column
            self.value = value
            self.readAs = readAs
            self.contribution = contribution
        }
    }

    /// The customer id (nil when the file has no id column).
    public var id: String?
    public var file: String
    /// 1-based line of the record in the file.
    public var line: Int
    public var modelVersion: String
    /// How contributions were computed (`logistic`, `tree_shap`, `path_based`).
    public var method: String
    public var probability: Double
    public var risk: RiskLevel
    public var baseValue: Double
    public var margin: Double
    /// Every input column of the model, in schema order.
    public var inputs: [Input]

    public init(id: String?, file: String, line: Int, modelVersion: String, method: String, probability: Double,
                risk: RiskLevel, baseValue: Double, margin: Double, inputs: [Input]) {
        self.id = id
        self.file = file
        self.line = line
        self.modelVersion = modelVersion
        self.method = method
        self.probability = probability
        self.risk = risk
        self.baseValue = baseValue
        self.margin = margin
        self.inputs = inputs
    }

    /// Inputs by how much they moved the score, largest first (ties keep schema order).
    public var strongestFirst: [Input] {
        inputs.enumerated().sorted { a, b in
            abs(a.element.contribution) > abs(b.element.contribution)
                || (abs(a.element.contribution) == abs(b.element.contribution) && a.offset < b.offset)
        }.map(\.element)
    }

    /// Explains one record of a file whose header is `header`: encodes it as batch scoring does, scores it and
    /// splits its margin over the input columns. Throws when the header lacks the model's columns or the record
    /// cannot be scored (the reason says where, as in a rejects file).
    public static func explain(record: String, line: Int, header: [String], file: String, engine: ScoringEngine,
                               delimiter: UInt8 = 0x2C) throws(CustomerLookupError) -> CustomerExplanation {
        let encoder: RowEncoder
        do {
            encoder = try RowEncoder(schema: engine.artifact.schema, header: header, file: file, reference: engine.artifact.reference)
        } catch { throw .header(error) }
        var bytes = Array(record.utf8)
        bytes.append(0x0A)
        let block = CSVBlock(bytes: bytes, firstLine: line, firstRecordIndex: 0, file: file, isFinal: true, delimiter: delimiter)
        var result: Result<CustomerExplanation, CustomerLookupError>?
        block.forEachRecord { rec in
            guard result == nil else { return }
            result = explain(rec, encoder: encoder, file: file, engine: engine)
        }
        switch result {
        case .success(let e)?: return e
        case .failure(let f)?: throw f
        case nil: throw .rejected(RowIssue(line: line, column: 1, field: nil, reason: .blankLine))
        }
    }

    /// Explains a parsed record (valid only during the call that received it).
    static func explain(_ rec: CSVRecord, encoder: RowEncoder, file: String, engine: ScoringEngine)
        -> Result<CustomerExplanation, CustomerLookupError> {
        var row = encoder.makeRow()
        if let issue = encoder.encode(rec, into: &row) { return .failure(.rejected(issue)) }
        let p = engine.probability(row)
        let scratch = engine.explainer.makeScratch()
        engine.explain(row, scratch: scratch)
        let columns = engine.artifact.schema.features
        var inputs: [Input] = []
        inputs.reserveCapacity(columns.count)
        var margin = engine.explainer.baseValue
        for c in columns.indices {
            let share = scratch.columns[c]
            margin += share
            inputs.append(Input(column: columns[c].name, value: rec.string(at: encoder.fieldIndex[c]),
                                readAs: engine.valueText(row, column: c), contribution: share))
        }
        let id = encoder.idIndex.map { String(decoding: FieldParsing.trim(rec.field($0)), as: UTF8.self) }
        return .success(CustomerExplanation(
            id: id, file: file, line: rec.line, modelVersion: engine.version, method: engine.explainer.method.rawValue,
            probability: p, risk: engine.risk(p), baseValue: engine.explainer.baseValue, margin: margin, inputs: inputs))
    }
}
