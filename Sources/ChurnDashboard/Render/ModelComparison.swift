import ChurnMonitor

/// The Model panel's top box: the production model and the canary side by side, on the same rows (share,
/// request rate, latency, predictions, risk mix, drift, live F1, test F1/AUC), with the last reload and the
/// outcome of the last promote or roll back.
public enum ModelComparison {
    /// Rows the box needs: ten rows, the message line, and the border.
    public static let height = 13

    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ models: [ModelStatus], _ s: DashboardState) {
        let t = s.theme
        var title = models.count > 1 ? "Live vs canary" : "Serving"
        if let r = s.snapshot?.reloads, r.ok + r.refused > 0 { title += " · reloads \(r.ok) ok, \(r.refused) refused" }
        let inner = Box.draw(&grid, rect, title: title, theme: t)
        guard !inner.isEmpty else { return }
        let labelW = 11
        let columns = max(1, models.count)
        let colW = max(10, (inner.width - labelW - 2) / max(2, columns))
        let rows: [(String, (ModelStatus) -> (String, CellStyle))] = [
            ("", { m in (m.role == .production ? "LIVE" : "CANARY", t.accent.adding(.bold)) }),
            ("version", { m in (m.version, .bold) }),
            ("share", { m in (Format.percent(m.share, digits: 0), .plain) }),
            ("req/s 1m", { m in (Format.fixed(m.window(60)?.requestRate ?? 0, 1), .plain) }),
            ("p95/p99 5m", { m in
                let w = m.window(300)
                return ("\(Format.latency(w?.p95, ascii: t.isASCII)) / \(Format.latency(w?.p99, ascii: t.isASCII))", .plain)
            }),
            ("predicted", { m in (Format.count(m.predictions), .plain) }),
            ("risk l/m/h", { m in
                m.predictions == 0 ? ("-", t.muted)
                    : ("\(Format.percent(m.riskShare("low"), digits: 0)) \(Format.percent(m.riskShare("medium"), digits: 0)) \(Format.percent(m.riskShare("high"), digits: 0))", .plain)
            }),
            ("drift", { m in
                guard m.drift.isWarm else { return ("warming \(Format.count(m.drift.rows))/\(Format.count(m.drift.minimumRows))", t.muted) }
                let sev: Severity = m.drift.score > m.drift.alertThreshold ? .crit : (m.drift.score > 0 ? .warn : .ok)
                return ("\(t.glyphs.symbol(sev)) \(Format.percent(m.drift.score)) of features", t.style(sev))
            }),
            ("live F1", { m in
                guard let f1 = m.f1.value else { return ("\(Format.count(m.f1.labelled)) outcomes (needs 20)", t.muted) }
                let sev: Severity = f1 < m.f1.threshold ? .crit : .ok
                return ("\(t.glyphs.symbol(sev)) \(Format.fixed(f1, 3)) on \(Format.count(m.f1.labelled))", t.style(sev))
            }),
            ("test F1/AUC", { m in ("\(m.trainingF1.map { Format.fixed($0, 3) } ?? "-") / \(m.trainingAUC.map { Format.fixed($0, 3) } ?? "-")", .plain) }),
        ]
        for (i, row) in rows.enumerated() where i < inner.height {
            let y = inner.y + i
            grid.put(row.0, x: inner.x + 1, y: y, style: t.label, maxWidth: labelW)
            for (c, m) in models.prefix(2).enumerated() {
                let (text, style) = row.1(m)
                grid.put(text, x: inner.x + labelW + 2 + c * colW, y: y, style: style, maxWidth: colW - 1)
            }
        }
        if models.count < 2 && inner.height > 1 {
            grid.put("no canary", x: inner.x + labelW + 2 + colW, y: inner.y, style: t.muted, maxWidth: colW - 1)
            grid.put("(serve --canary VERSION)", x: inner.x + labelW + 2 + colW, y: inner.y + 1, style: t.muted, maxWidth: colW - 1)
        }
        // The last line: what the last promote/roll back did, else a refused reload, else nothing.
        let y = inner.maxY - 1
        guard y > inner.y + rows.count - 1 else { return }
        if let a = s.modelAction {
            switch a.result {
            case nil:
                grid.put("\(a.action.verb) in progress…", x: inner.x + 1, y: y, style: t.accent, maxWidth: inner.width - 2)
            case .success(let message)?:
                grid.put("\(t.glyphs.ok) \(message)", x: inner.x + 1, y: y, style: t.style(.ok), maxWidth: inner.width - 2)
            case .failure(let failure)?:
                grid.put("\(t.glyphs.crit) \(failure.message)", x: inner.x + 1, y: y, style: t.style(.crit), maxWidth: inner.width - 2)
            }
        } else if let last = s.snapshot?.reloads?.last, last.result == .refused {
            grid.put("\(t.glyphs.crit) refused \(last.version): \(last.reason ?? "")", x: inner.x + 1, y: y,
                     style: t.style(.crit), maxWidth: inner.width - 2)
        }
    }
}
