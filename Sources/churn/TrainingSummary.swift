import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The report `churn train` prints: data, choice of learner, held-out metrics, confusion matrix.
struct TrainingSummary {
    var table: TrainingTable
    var report: TrainingReport
    var output: String

    var text: String {
        let a = report.artifact
        var out: [String] = []
        let numeric = a.schema.features.filter { $0.kind == .numeric }.count
        out.append("Data     \(table.file): \(table.rowCount) rows used (\(table.positives) churned, \(percent(Double(table.positives) / Double(max(table.rowCount, 1))))), \(table.skippedCount) skipped" + (table.blankLines > 0 ? ", \(table.blankLines) blank line\(table.blankLines == 1 ? "" : "s") skipped" : ""))
        out.append("Columns  \(a.schema.features.count) features (\(numeric) numeric, \(a.schema.features.count - numeric) categorical) -> \(a.features.count) encoded; id \(a.schema.idColumn ?? "none"), label \(a.schema.targetColumn) (churn = '\(a.schema.positiveLabel)')")
        for issue in table.skipped.prefix(5) { out.append("  skipped \(issue)") }
        if table.skippedCount > 5 { out.append("  … and \(table.skippedCount - 5) more skipped rows") }
        for note in report.notes { out.append("Note     \(note)") }
        let missing = zip(a.schema.features, table.missingCounts).filter { $0.1 > 0 }
        if !missing.isEmpty {
            out.append("Missing  " + missing.map { "\($0.0.name) \($0.1)" }.joined(separator: ", ")
                       + " (kept in the model's reference profile; drift counts them)")
        }
        out.append("Model    \(a.version) (\(a.learner)), trained in \(String(cFormat: "%.2f", report.seconds)) s")
        out.append("")
        let tr = report.trainMetrics
        let va = report.validationMetrics
        let te = report.testMetrics
        var metrics = TextTable(["metric", "train", "validation"] + (te == nil ? [] : ["test"]), rightAligned: [1, 2, 3])
        func row(_ name: String, _ value: (EvaluationMetrics) -> String) {
            metrics.add([name, value(tr), value(va)] + (te.map { [value($0)] } ?? []))
        }
        row("rows") { String($0.rows) }
        row("AUC") { fixed($0.auc) }
        row("log loss") { fixed($0.logLoss) }
        row("Brier") { fixed($0.brier ?? .nan) }
        row("calib. error") { fixed($0.calibrationError ?? .nan) }
        row("precision") { fixed($0.precision) }
        row("recall") { fixed($0.recall) }
        row("F1") { fixed($0.f1) }
        row("accuracy") { fixed($0.accuracy) }
        out.append(metrics.text)
        for note in [tr.aucNote.map { "train: \($0)" }, te?.aucNote.map { "test: \($0)" }].compactMap({ $0 }) { out.append(note) }
        out.append("")
        if let info = a.training, let method = info.validation {
            out.append("Validation \(method) on the training part (\(va.rows) rows held out in turn); final model refitted on all \(info.fitRows ?? 0) rows")
            if let c = info.calibration {
                out.append("Calibration " + (c.method == "platt" ? "Platt scaling kept" : "left as fitted")
                    + " (validation log loss \(fixed(c.logLossBefore)) as fitted, \(fixed(c.logLossAfter)) recalibrated)")
            }
        }
        out.append("Decision threshold \(fixed(a.decisionThreshold, 3)) (maximises F1 on the validation predictions)")
        out.append("")
        out.append("Reliability (\(te == nil ? "validation" : "test") rows: predicted vs observed churn rate)")
        out.append(ReliabilityText((te ?? va).reliability ?? []).text)
        if let te {
            out.append("")
            out.append(ConfusionText(te.confusion).text)
        } else {
            out.append("No held-out test part (--test-share 0); measure with `churn evaluate MODEL FILE`.")
        }
        out.append("")
        out.append("Wrote \(output)")
        return out.joined(separator: "\n")
    }

    /// The same for scripts (`churn train --json`).
    var json: TrainingSummaryJSON {
        let a = report.artifact
        return TrainingSummaryJSON(output: output, version: a.version, learner: a.learner, seconds: report.seconds,
                                   rows: table.rowCount, skippedRows: table.skippedCount, fitRows: a.training?.fitRows,
                                   validation: a.training?.validation, candidates: report.validationAUC,
                                   parameters: a.training?.parameters ?? [:], notes: report.notes,
                                   decisionThreshold: a.decisionThreshold, calibration: a.training?.calibration,
                                   train: report.trainMetrics, validationMetrics: report.validationMetrics, test: report.testMetrics)
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
