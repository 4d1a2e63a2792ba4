import ChurnModel
import ChurnMonitor

/// Panel 2: PSI per feature as bars, worst first, with the 0.1 (moderate) and drift-threshold (major) marks,
/// and the drift score's history.
public enum DriftPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        guard let snap = s.snapshot else {
            NoData.draw(&grid, rect, s)
            return
        }
        let t = s.theme, d = snap.drift
        let historyRows = rect.height >= 30 ? 8 : rect.height >= 18 ? 4 : 0
        let (main, history) = rect.splitBottom(historyRows)
        let inner = Box.draw(&grid, main, title: "Data drift: PSI per feature, worst first", theme: t)
        guard !inner.isEmpty else { return }
        // Summary line.
        let sev = TileSeverity.drift(snap)
        var x = inner.x + 1
        grid.set(x, inner.y, t.glyphs.symbol(sev), t.style(sev))
        x += 2
        if d.isWarm || d.features.isEmpty {
            x += grid.put("data_drift_score \(Format.fixed(d.score, 2))", x: x, y: inner.y, style: t.style(sev).adding(.bold))
            let drifted = d.features.filter { $0.psi >= d.threshold }.count
            grid.put("  \(drifted)/\(d.features.count) features PSI \(t.isASCII ? ">=" : "≥") \(Format.fixed(d.threshold, 2))"
                     + "\(t.glyphs.separator)alert above \(Format.fixed(d.alertThreshold, 2))\(t.glyphs.separator)\(Format.count(d.rows)) rows",
                     x: x, y: inner.y, style: t.label, maxWidth: inner.maxX - x)
        } else {
            // Too few rows for PSI to mean anything (DriftReport.minimumRows): no score and no verdicts.
            x += grid.put("data_drift_score not measured: warming up", x: x, y: inner.y, style: t.muted.adding(.bold))
            grid.put("  \(Format.count(d.rows)) of \(Format.count(d.minimumRows)) rows needed; PSI is noise until then",
                     x: x, y: inner.y, style: t.label, maxWidth: inner.maxX - x)
        }

        let features = PanelRows.driftFeatures(snap, filter: s.filters[.drift] ?? "")
        let list = Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: inner.height - 2)
        let nameW = min(22, max(12, list.width / 4))
        let barX = list.x + 2 + nameW + 8
        let barW = list.maxX - barX
        let scale = max(0.5, (features.first?.psi ?? 0) * 1.05)
        let marks = [DriftReport.moderate / scale, d.threshold / scale]
        // Column headings and mark labels.
        grid.put("feature", x: list.x + 2, y: list.y, style: t.title.adding(.underline))
        grid.putRight("PSI", right: list.x + 2 + nameW + 6, y: list.y, style: t.title.adding(.underline))
        if barW > 12 {
            for (m, label) in zip(marks, [Format.fixed(DriftReport.moderate, 2), Format.fixed(d.threshold, 2)]) {
                let mx = Bar.markColumn(x: barX, width: barW, fraction: m)
                grid.put(label, x: max(barX, mx - 1), y: list.y, style: t.label)
            }
            grid.putRight(Format.fixed(scale, 2), right: list.maxX, y: list.y, style: t.label)
        }
        let rowsRect = Rect(x: list.x, y: list.y + 1, width: list.width, height: list.height - 1)
        guard !rowsRect.isEmpty else { return }
        if features.isEmpty {
            let text = d.features.isEmpty ? "No drift data yet: the window has no rows." : "No feature matches the filter."
            grid.put(text, x: rowsRect.x + 2, y: rowsRect.y, style: t.muted)
        }
        let selected = min(s.scroll[.drift] ?? 0, max(0, features.count - 1))
        let start = Table.clampScroll(0, rows: features.count, visible: rowsRect.height, selected: selected)
        for (i, f) in features.dropFirst(start).prefix(rowsRect.height).enumerated() {
            let y = rowsRect.y + i
            let fsev: Severity = d.isWarm ? TileSeverity.psi(f.psi, threshold: d.threshold) : .unknown
            let isSelected = start + i == selected && !features.isEmpty
            grid.set(rowsRect.x, y, t.glyphs.symbol(fsev), t.style(fsev))
            grid.put(f.name, x: rowsRect.x + 2, y: y, style: isSelected ? .reverse : .plain, maxWidth: nameW)
            grid.putRight(Format.fixed(f.psi, 3), right: rowsRect.x + 2 + nameW + 6, y: y, style: t.style(fsev))
            if barW > 4 {
                Bar.draw(&grid, x: barX, y: y, width: barW, fraction: f.psi / scale, style: t.bar(fsev), theme: t, marks: marks)
            }
        }
        let below = features.count - start - rowsRect.height
        if below > 0 {
            grid.putRight("\(t.glyphs.downArrow)\(below) more", right: inner.maxX, y: main.maxY - 1, style: t.accent)
        }
        if !history.isEmpty {
            let range = snap.history.historyRange ?? .live
            let h = Box.draw(&grid, history, title: "Drift score history (\(range.label), step \(snap.history.step)s)", theme: t)
            let values = snap.history.driftScore
            let label = "max \(Format.fixed(values.max() ?? 0, 2))"
            grid.putRight(label, right: h.maxX - 1, y: h.y, style: t.label)
            // The whole range across the box, like the Overview's histories.
            let chart = Rect(x: h.x + 1, y: h.y, width: h.width - DisplayText.width(label) - 3, height: h.height)
            Sparkline.draw(&grid, chart, values: Resample.fit(values.map { $0 }, to: Sparkline.capacity(width: chart.width, theme: t)),
                           theme: t, ceiling: d.alertThreshold)
        }
    }
}
