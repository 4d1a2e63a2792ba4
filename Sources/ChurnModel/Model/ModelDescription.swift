import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// How per-column contributions are computed (`ColumnExplainer.Method.summary`); absent from older servers.
    public var explanations: String?

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
        // The method alone: building the explainer would build a forest's leaf tables on every `GET /model`.
        explanations = ColumnExplainer.method(for: a.predictor).summary
    }

    /// A readable multi-line description.
    public var text: String {
        var out: [String] = []
        out.append("Model      \(version)")
        out.append("Learner    \(learner)" + (trees > 0 ? " (\(trees) trees, \(nodes) nodes)" : ""))
        out.append("Created    \(createdAt.formatted(Date.ISO8601FormatStyle()))   format v\(formatVersion)")
        if let t = training {
            out.append("Trained on \(t.source): \(t.rows) rows, \(t.positives) churned, \(t.skippedRows) skipped; \(String(cFormat: "%.2f", t.seconds)) s")
            out.append("Data id    \(t.fingerprint)")
            if !t.parameters.isEmpty {
                out.append("Settings   " + t.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
            }
            if t.candidates.count > 1 {
                out.append("Compared   " + t.candidates.sorted { $0.key < $1.key }.map { "\($0.key) AUC \(String(cFormat: "%.4f", $0.value))" }.joined(separator: ", ") + " (validation)")
            }
        }
        out.append("Risk       low < \(riskThresholds.medium) <= medium < \(riskThresholds.high) <= high; churn predicted at p >= \(String(cFormat: "%.3f", decisionThreshold))")
        if let m = metrics {
            let auc = m.auc.isNaN ? "undefined" : String(cFormat: "%.4f", m.auc)
            out.append("Test       AUC \(auc)" + String(cFormat: "  log loss %.4f  precision %.4f  recall %.4f  F1 %.4f  (%ld rows)", m.logLoss, m.precision, m.recall, m.f1, m.rows))
        }
        if let explanations { out.append("Explains   \(explanations)") }
        if let t = training, let v = t.validation {
            out.append("Validated  \(v); refitted on \(t.fitRows ?? 0) rows" + (t.calibration.map { c in
                c.method == "platt" ? String(cFormat: "; Platt recalibration kept (log loss %.4f -> %.4f)", c.logLossBefore, c.logLossAfter)
                    : String(cFormat: "; no recalibration (log loss %.4f, %.4f recalibrated)", c.logLossBefore, c.logLossAfter)
            } ?? ""))
        }
        // Calibration on the test part, or on the validation predictions when there was none.
        let measured = metrics.map { ("test", $0) } ?? training?.validationMetrics.map { ("validation", $0) }
        if let (part, m) = measured, let brier = m.brier, let bins = m.reliability {
            out.append(String(cFormat: "Calibration log loss %.4f  Brier %.4f  calibration error %.4f", m.logLoss, brier,
                              m.calibrationError ?? 0) + "  (\(part))")
            out.append("  probability  rows  predicted  observed")
            for b in bins {
                out.append(String(cFormat: "  %.1f-%.1f   %6ld     %6.3f    %6.3f", b.lower, b.upper, b.rows, b.meanPredicted, b.observedRate))
            }
        }
        out.append("Schema     id \(idColumn ?? "none"), label \(targetColumn), \(columns.count) columns -> \(encodedFeatures) encoded features")
        for c in columns {
            let detail = c.kind == .numeric ? "numeric" : "categorical: " + c.categories.joined(separator: " | ")
            out.append("  \(c.name.padded(to: 18)) \(detail)")
        }
        if !importance.isEmpty {
            out.append("Top features")
            for i in importance.prefix(8) {
                let bar = String(repeating: "#", count: Int((i.importance * 40).rounded()))
                out.append("  \(i.column.padded(to: 18)) \(String(cFormat: "%5.1f%%", i.importance * 100)) \(bar)")
            }
        }
        return out.joined(separator: "\n")
    }
}
