/// A column of probabilities from another tool (a library's own `predict_proba`), one per data row, to compare an
/// imported model with.
public struct ExpectedProbabilities: Sendable {
    public let column: String
    /// By data row (0-based, header excluded); NaN where the field is empty.
    public let values: [Double]

    /// Reads column `column` of a CSV file (the only column when nil and there is one).
    public static func load(path: String, column: String?) throws -> ExpectedProbabilities {
        let reader = try CSVReader(path: path)
        let header = reader.header
        let name: String
        if let column {
            guard header.contains(column) else {
                throw ModelImportError(file: path, reason: "no column '\(column)' (the header has \(header.joined(separator: ", ")))")
            }
            name = column
        } else {
            guard header.count == 1 else {
                throw ModelImportError(file: path, reason: "name the column to compare with --column (the header has \(header.joined(separator: ", ")))")
            }
            name = header[0]
        }
        let index = header.firstIndex(of: name)!
        var values: [Double] = []
        var problem: ModelImportError?
        try reader.forEachRecord { record in
            guard problem == nil else { return }
            guard record.error == nil, index < record.count else {
                problem = ModelImportError(file: path, field: "line \(record.line)", reason: "malformed record")
                return
            }
            let field = record.field(index)
            if let v = FieldParsing.parseDouble(field) {
                values.append(v)
            } else if FieldParsing.isMissing(field) {
                values.append(.nan)
            } else {
                problem = ModelImportError(file: path, field: "line \(record.line)", reason: "'\(record.string(at: index))' is not a probability")
            }
        }
        if let problem { throw problem }
        return ExpectedProbabilities(column: name, values: values)
    }
}
