import ChurnMonitor

/// Panel 6 (Prometheus source): every scoring replica with its state, traffic, p99, memory and model version;
/// below, what the fleet view needs the operator to know (model mismatches, missing alerts or history).
public enum FleetPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        guard let snap = s.snapshot else {
            NoData.draw(&grid, rect, s)
            return
        }
        let t = s.theme
        let warnings = snap.warnings ?? []
        let notesHeight = min(max(4, rect.height / 3), warnings.count * 2 + 3)
        let (top, bottom) = rect.splitBottom(notesHeight)
        let upCount = snap.replicas.filter(\.up).count
        let sev: Severity = snap.replicas.isEmpty ? .unknown : upCount == snap.replicas.count ? .ok : upCount == 0 ? .crit : .warn
        let inner = Box.draw(&grid, top, title: "Replicas", theme: t,
                             badge: ("\(t.glyphs.symbol(sev)) \(upCount) of \(snap.replicas.count) up", t.style(sev)))
        let ascii = t.isASCII
        // The instance keeps room for a pod address (10.244.12.153:8000); the model column gets the rest, up to a
        // whole version string, and is cut at its start, since versions differ in their trailing hash.
        let modelWidth = min(28, max(10, inner.width - 1 - 8 - 8 - 9 - 10 - 22))
        let columns = [
            Table.Column("state", width: 8), Table.Column("instance"), Table.Column("req/s", width: 8, alignRight: true),
            Table.Column("p99 1m", width: 9, alignRight: true), Table.Column("RSS", width: 10, alignRight: true),
            Table.Column("model", width: modelWidth),
        ]
        let reference = snap.model?.version
        let rows: [[Table.Item]] = snap.replicas.map { r in
            let state: Severity = r.up ? .ok : .crit
            var model = r.modelVersion ?? "-"
            let room = modelWidth - 1 - (r.modelVersion != reference ? 2 : 0)
            if model.count > room && room > 1 { model = "…" + model.suffix(room - 1) }
            let mismatch = r.modelVersion != nil && reference != nil && r.modelVersion != reference
            return [
                Table.Item("\(t.glyphs.symbol(state)) \(r.up ? "up" : "DOWN")", t.style(state)),
                Table.Item(r.instance, r.up ? nil : .bold),
                Table.Item(r.requestRate.map(Format.rate) ?? "-"),
                Table.Item(Format.latency(r.p99, ascii: ascii)),
                Table.Item(Format.bytes(r.residentBytes)),
                Table.Item(mismatch ? "\(t.glyphs.symbol(.warn)) \(model)" : model, mismatch ? t.style(.warn) : t.label),
            ]
        }
        if !inner.isEmpty {
            let selected = min(s.scroll[.fleet] ?? 0, max(0, rows.count - 1))
            Table.draw(&grid, Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height), columns: columns,
                       rows: rows, scroll: 0, selected: rows.isEmpty ? nil : selected, theme: t,
                       emptyText: "This source has no replicas: the fleet view needs churn dashboard --prometheus URL.")
        }
        let notes = Box.draw(&grid, bottom, title: "Fleet", theme: t)
        guard !notes.isEmpty else { return }
        var lines: [(String, CellStyle)] = []
        let drift = snap.drift
        lines.append(("drift over \(Format.count(drift.rows)) rows in the last 15 min, summed over replicas"
                      + (reference.map { " serving \($0)" } ?? ""), t.label))
        for w in warnings {
            for (i, l) in TextWrap.lines(w, width: notes.width - 4).enumerated() {
                lines.append(((i == 0 ? "\(t.glyphs.symbol(.warn)) " : "  ") + l, t.style(.warn)))
            }
        }
        for (i, line) in lines.prefix(notes.height).enumerated() {
            grid.put(line.0, x: notes.x + 1, y: notes.y + i, style: line.1, maxWidth: notes.width - 2)
        }
    }
}
