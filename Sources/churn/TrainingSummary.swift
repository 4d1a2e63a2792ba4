import ChurnModel
import Foundation

/// The report `churn train` prints: data, choice of learner, held-out metrics, confusion matrix.
struct TrainingSummary {
    var table: TrainingTable
    var report: TrainingReport
    var output: String

    var text: String {
        let a = report.artifact
        var out: [String] = []
        let numeric = a.schema.features.filter { $0.kind == .numeric }.count
        out.append("Data     \(table.file): \(table.rowCount) rows used (\(table.positives) churned, \(percent(Double(table.positives) / Double(max(table.rowCount, 1))))), \(table.skippedCount) skipped")
        out.append("Columns  \(a.schema.features.count) features (\(numeric) numeric, \(a.schema.features.count - numeric) categorical) -> \(a.features.count) encoded; id \(a.schema.idColumn ?? "none"), label \(a.schema.targetColumn) (churn = '\(a.schema.positiveLabel)')")
        for issue in table.skipped.prefix(5) { out.append("  skipped \(issue)") }
        if table.skippedCount > 5 { out.append("  … and \(table.skippedCount - 5) more skipped rows") }
        for note in report.notes { out.append("Note     \(note)") }
        out.append("Model    \(a.version) (\(a.learner)), trained in \(String(format: "%.2f", report.seconds)) s")
        out.append("")
        var metrics = TextTable(["metric", "train", "test"], rightAligned: [1, 2])
        let (tr, te) = (report.trainMetrics, report.testMetrics)
        metrics.add(["rows", String(tr.rows), String(te.rows)])
        metrics.add(["AUC", fixed(tr.auc), fixed(te.auc)])
        metrics.add(["log loss", fixed(tr.logLoss), fixed(te.logLoss)])
        metrics.add(["precision", fixed(tr.precision), fixed(te.precision)])
        metrics.add(["recall", fixed(tr.recall), fixed(te.recall)])
        metrics.add(["F1", fixed(tr.f1), fixed(te.f1)])
        metrics.add(["accuracy", fixed(tr.accuracy), fixed(te.accuracy)])
        out.append(metrics.text)
        out.append("")
        out.append("Decision threshold \(fixed(a.decisionThreshold, 3)) (maximises F1 on the training part)")
        out.append(ConfusionText(te.confusion).text)
        out.append("")
        out.append("Wrote \(output)")
        return out.joined(separator: "\n")
    }
}

/// A 2x2 confusion matrix as text.
struct ConfusionText {
    var matrix: ConfusionMatrix
    init(_ matrix: ConfusionMatrix) { self.matrix = matrix }

    var text: String {
        var t = TextTable(["test rows", "predicted churn", "predicted stay"], rightAligned: [1, 2])
        t.add(["churned", String(matrix.truePositives), String(matrix.falseNegatives)])
        t.add(["stayed", String(matrix.falsePositives), String(matrix.trueNegatives)])
        return t.text
    }
}
