import Foundation

/// A model's metadata without its parameters: what `churn model show`, `GET /model` and the console display.
public struct ModelDescription: Codable, Sendable, Equatable {
    public struct Column: Codable, Sendable, Equatable {
        public var name: String
        public var kind: ColumnKind
        public var categories: [String]
    }

    public var version: String
    public var learner: String
    public var createdAt: Date
    public var formatVersion: Int
    public var idColumn: String?
    public var targetColumn: String
    public var columns: [Column]
    public var encodedFeatures: Int
    public var riskThresholds: RiskThresholds
    public var decisionThreshold: Double
    public var metrics: EvaluationMetrics?
    public var training: TrainingInfo?
    public var importance: [FeatureImportance]
    /// Size of the predictor: trees and nodes (0 for a linear model).
    public var trees: Int
    public var nodes: Int

    public init(_ a: ModelArtifact) {
        version = a.version
        learner = a.learner
        createdAt = a.createdAt
        formatVersion = a.formatVersion
        idColumn = a.schema.idColumn
        targetColumn = a.schema.targetColumn
        columns = a.schema.features.map { Column(name: $0.name, kind: $0.kind, categories: $0.categories + ($0.otherLevel ? [ColumnSchema.otherName] : [])) }
        encodedFeatures = a.features.count
        riskThresholds = a.riskThresholds
        decisionThreshold = a.decisionThreshold
        metrics = a.metrics
        training = a.training
        importance = a.importance
        if case .trees(let t) = a.predictor {
            trees = t.trees.count
            nodes = t.trees.reduce(0) { $0 + $1.nodeCount }
        } else {
            trees = 0
            nodes = 0
        }
    }

    /// A readable multi-line description.
    public var text: String {
        var out: [String] = []
        let f = ISO8601DateFormatter()
        out.append("Model      \(version)")
        out.append("Learner    \(learner)" + (trees > 0 ? " (\(trees) trees, \(nodes) nodes)" : ""))
        out.append("Created    \(f.string(from: createdAt))   format v\(formatVersion)")
        if let t = training {
            out.append("Trained on \(t.source): \(t.rows) rows, \(t.positives) churned, \(t.skippedRows) skipped; \(String(format: "%.2f", t.seconds)) s")
            out.append("Data id    \(t.fingerprint)")
            if !t.parameters.isEmpty {
                out.append("Settings   " + t.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            if t.candidates.count > 1 {
                out.append("Compared   " + t.candidates.sorted { $0.key < $1.key }.map { "\($0.key) AUC \(String(format: "%.4f", $0.value))" }.joined(separator: ", ") + " (validation)")
            }
        }
        out.append("Risk       low < \(riskThresholds.medium) <= medium < \(riskThresholds.high) <= high; churn predicted at p >= \(String(format: "%.3f", decisionThreshold))")
        if let m = metrics {
            let auc = m.auc.isNaN ? "undefined" : String(format: "%.4f", m.auc)
            out.append("Test       AUC \(auc)" + String(format: "  log loss %.4f  precision %.4f  recall %.4f  F1 %.4f  (%d rows)", m.logLoss, m.precision, m.recall, m.f1, m.rows))
        }
        out.append("Schema     id \(idColumn ?? "none"), label \(targetColumn), \(columns.count) columns -> \(encodedFeatures) encoded features")
        for c in columns {
            let detail = c.kind == .numeric ? "numeric" : "categorical: " + c.categories.joined(separator: " | ")
            out.append("  \(c.name.padding(toLength: 18, withPad: " ", startingAt: 0)) \(detail)")
        }
        if !importance.isEmpty {
            out.append("Top features")
            for i in importance.prefix(8) {
                let bar = String(repeating: "#", count: Int((i.importance * 40).rounded()))
                out.append("  \(i.column.padding(toLength: 18, withPad: " ", startingAt: 0)) \(String(format: "%5.1f%%", i.importance * 100)) \(bar)")
            }
        }
        return out.joined(separator: "\n")
    }
}
