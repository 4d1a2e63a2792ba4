import ChurnModel
import ChurnMonitor

/// Panel 3: the model serving traffic: live and canary side by side (when the source reports them), then
/// version, learner, training metrics, risk thresholds, and its most important input columns.
public enum ModelPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        guard let snap = s.snapshot else {
            NoData.draw(&grid, rect, s)
            return
        }
        let t = s.theme
        guard let m = snap.model else {
            let inner = Box.draw(&grid, rect, title: "Model", theme: t)
            grid.put("The source does not describe its model.", x: inner.x + 1, y: inner.y, style: t.muted)
            return
        }
        // With a source that reports its models (a server, the embedded engine), live and canary come first.
        var rect = rect
        if let models = snap.models, !models.isEmpty, rect.height >= ModelComparison.height + 6 {
            let (top, rest) = rect.splitTop(ModelComparison.height)
            ModelComparison.draw(&grid, top, models, s)
            rect = rest
        }
        let (left, right) = rect.splitLeft(max(44, rect.width * 11 / 20))
        let facts = Box.draw(&grid, left, title: "Model \(m.version)", theme: t)
        var rows: [(String, String, CellStyle)] = [
            ("version", m.version, .bold),
            ("learner", m.learner, .plain),
            ("trained", Format.dateTime(m.createdAt, timeZone: s.config.timeZone), .plain),
            ("rows", m.trainingRows.map(Format.count) ?? "-", .plain),
            ("inputs", "\(m.importance.count) columns, \(m.features) features", .plain),
            ("risk", riskBands(m.riskThresholds, t), .plain),
            ("decides", "churn at p \(t.isASCII ? ">=" : "≥") \(Format.fixed(m.decisionThreshold, 3))", .plain),
        ]
        if let e = m.trainingMetrics {
            rows += [
                ("", "", .plain),
                ("test rows", "\(Format.count(e.rows)) (\(Format.count(e.positives)) churned)", .plain),
                ("AUC", Format.fixed(e.auc, 3), .bold),
                ("F1", Format.fixed(e.f1, 3), .bold),
                ("precision", Format.fixed(e.precision, 3), .plain),
                ("recall", Format.fixed(e.recall, 3), .plain),
                ("accuracy", Format.fixed(e.accuracy, 3), .plain),
                ("log loss", Format.fixed(e.logLoss, 4), .plain),
                ("confusion", "TP \(e.confusion.truePositives) FP \(e.confusion.falsePositives) "
                    + "TN \(e.confusion.trueNegatives) FN \(e.confusion.falseNegatives)", .plain),
            ]
        } else {
            rows.append(("metrics", "none recorded", t.muted))
        }
        if let live = snap.f1.value {
            rows.append(("live F1", "\(Format.fixed(live, 3)) on \(Format.count(snap.f1.labelled)) outcomes",
                         t.style(TileSeverity.f1(snap))))
        }
        for (i, row) in rows.enumerated() where i < facts.height {
            grid.put(row.0, x: facts.x + 1, y: facts.y + i, style: t.label, maxWidth: 10)
            grid.put(row.1, x: facts.x + 12, y: facts.y + i, style: row.2, maxWidth: facts.width - 13)
        }

        let inner = Box.draw(&grid, right, title: "Most important inputs", theme: t)
        let items = PanelRows.importance(snap, filter: s.filters[.model] ?? "")
        guard !inner.isEmpty else { return }
        if items.isEmpty {
            grid.put(m.importance.isEmpty ? "No importances recorded." : "No column matches the filter.",
                     x: inner.x + 1, y: inner.y, style: t.muted)
            return
        }
        let top = m.importance.map(\.importance).max() ?? 1
        let selected = min(s.scroll[.model] ?? 0, items.count - 1)
        let start = Table.clampScroll(0, rows: items.count, visible: inner.height, selected: selected)
        let nameW = min(18, inner.width / 2 - 2)
        for (i, f) in items.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + i
            grid.put(f.column, x: inner.x + 1, y: y, style: start + i == selected ? .reverse : .plain, maxWidth: nameW)
            let value = Format.fixed(f.importance / max(top, 1e-12), 2)
            grid.putRight(value, right: inner.x + nameW + 7, y: y, style: t.label)
            Bar.draw(&grid, x: inner.x + nameW + 8, y: y, width: inner.maxX - inner.x - nameW - 9,
                     fraction: f.importance / max(top, 1e-12), style: t.chart, theme: t, track: false)
        }
        let below = items.count - start - inner.height
        if below > 0 {
            grid.putRight("\(t.glyphs.downArrow)\(below) more", right: right.maxX - 1, y: right.maxY - 1, style: t.accent)
        }
    }

    static func riskBands(_ r: RiskThresholds, _ t: Theme) -> String {
        let ge = t.isASCII ? ">=" : "≥"
        return "medium \(ge) \(Format.fixed(r.medium, 2)), high \(ge) \(Format.fixed(r.high, 2))"
    }
}
