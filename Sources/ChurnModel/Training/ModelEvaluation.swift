/// A model measured against a labelled file.
public struct ModelEvaluation: Sendable {
    public var metrics: EvaluationMetrics
    /// Rows not scored (malformed, unknown category, no usable label).
    public var skipped: Int
    /// Empty or whitespace-only lines: not rows, neither scored nor skipped.
    public var blankLines = 0

    /// Scores every row of `path` and compares with its labels; `threshold` defaults to the model's.
    public static func run(_ artifact: ModelArtifact, path: String, threshold: Double? = nil,
                           delimiter: UInt8 = 0x2C) throws -> ModelEvaluation {
        let reader = try CSVReader(path: path, delimiter: delimiter)
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
        var blankLines = 0
        try reader.forEachRecord { record in
            if record.isBlankLine { blankLines += 1; return }
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
        var evaluation = ModelEvaluation(metrics: EvaluationMetrics(probabilities: probabilities, labels: labels,
                                                                    threshold: threshold ?? artifact.decisionThreshold),
                                         skipped: skipped)
        evaluation.blankLines = blankLines
        return evaluation
    }
}
