/// A model measured against a labelled file.
public struct ModelEvaluation: Sendable {
    public var metrics: EvaluationMetrics
    /// Rows not scored (malformed, unknown category, no usable label).
    public var skipped: Int

    /// Scores every row of `path` and compares with its labels; `threshold` defaults to the model's.
    public static func run(_ artifact: ModelArtifact, path: String, threshold: Double? = nil) throws -> ModelEvaluation {
        let reader = try CSVReader(path: path)
        let encoder = try RowEncoder(schema: artifact.schema, header: reader.header, file: path, reference: artifact.reference)
        let engine = ScoringEngine(artifact: artifact)
        guard let labelIndex = reader.header.firstIndex(of: artifact.schema.targetColumn) else {
            throw HeaderError(file: path, missing: [artifact.schema.targetColumn])
        }
        let positive = Array(artifact.schema.positiveLabel.utf8)
        let negative = Array(artifact.schema.negativeLabel.utf8)
        var row = encoder.makeRow()
        var probabilities: [Double] = []
        var labels: [UInt8] = []
        var skipped = 0
        try reader.forEachRecord { record in
            if encoder.encode(record, into: &row) != nil { skipped += 1; return }
            let field = FieldParsing.trim(record.field(labelIndex))
            let label: Bool
            if field.elementsEqual(positive) { label = true }
            else if field.elementsEqual(negative) { label = false }
            else if let parsed = FieldParsing.parseLabel(field) { label = parsed }
            else { skipped += 1; return }
            labels.append(label ? 1 : 0)
            probabilities.append(engine.probability(row))
        }
        return ModelEvaluation(metrics: EvaluationMetrics(probabilities: probabilities, labels: labels,
                                                          threshold: threshold ?? artifact.decisionThreshold),
                               skipped: skipped)
    }
}
