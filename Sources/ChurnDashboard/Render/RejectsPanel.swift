import ChurnModel

/// The Batch panel's rejects view (`e` after a run): each refused row's line, column, field and reason, the
/// start of its record, and the selected one in full at the bottom. `/` filters, Esc closes.
public enum RejectsPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ plan: BatchPlan, _ sum: BatchSummary, _ v: RejectsView,
                            _ t: Theme) {
        let badge: String
        if let list = v.list, list.isTruncated {
            badge = "first \(Format.count(list.rows.count)) of \(Format.count(list.total))"
        } else {
            badge = "\(Format.count(sum.rejected)) rejected"
        }
        let inner = Box.draw(&grid, rect, title: "Rejects of \(plan.input)", theme: t,
                             badge: (badge, t.style(sum.rejected > 0 ? .warn : .ok)))
        guard inner.height >= 3 else { return }
        let x = inner.x + 1, w = inner.width - 2
        if let error = v.error {
            grid.put("\(t.glyphs.crit) \(error)", x: x, y: inner.y, style: t.style(.crit), maxWidth: w)
            return
        }
        guard let list = v.list else {
            grid.put("Reading \(sum.rejectsPath ?? "the rejects") \(t.glyphs.ellipsis)", x: x, y: inner.y, style: t.muted, maxWidth: w)
            return
        }
        if list.total == 0 {
            grid.put("\(t.glyphs.ok) No rows were rejected: every row was scored.", x: x, y: inner.y, style: t.style(.ok), maxWidth: w)
            grid.put("Esc returns to the results.", x: x, y: inner.y + 2, style: t.label, maxWidth: w)
            return
        }
        let rows = v.visible
        filterLine(&grid, x: x, y: inner.y, width: w, v, shown: rows.count, t)
        // The selected reject in full below the table, when there is room for it.
        let detailHeight = inner.height >= 12 ? 3 : 0
        let table = Rect(x: x, y: inner.y + 1, width: w, height: inner.height - 1 - detailHeight)
        let columns = [Table.Column("line", width: 7, alignRight: true), Table.Column("col", width: 4, alignRight: true),
                       Table.Column("field", width: 16), Table.Column("reason"), Table.Column("record")]
        let items: [[Table.Item]] = rows.map { r in
            [Table.Item("\(r.line)", .bold), Table.Item("\(r.column)", t.label), Table.Item(r.field.isEmpty ? "-" : r.field),
             Table.Item(r.reason, t.style(.warn)), Table.Item(r.record, t.label)]
        }
        let selected = rows.isEmpty ? nil : min(v.selected, rows.count - 1)
        Table.draw(&grid, table, columns: columns, rows: items, scroll: 0, selected: selected, theme: t,
                   emptyText: "No reject matches the filter.")
        guard detailHeight > 0, let i = selected else { return }
        let r = rows[i]
        let y = table.maxY
        grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), t.glyphs.horizontal, t.border)
        let place = "line \(r.line), column \(r.column)" + (r.field.isEmpty ? "" : ", field \(r.field)") + " (\(r.code))"
        grid.put(" \(place) ", x: x, y: y, style: .bold, maxWidth: w)
        grid.put(r.reason, x: x, y: y + 1, style: t.style(.warn), maxWidth: w)
        grid.put("record: \(r.record)", x: x, y: y + 2, style: t.label, maxWidth: w)
    }

    static func filterLine(_ grid: inout CellGrid, x: Int, y: Int, width: Int, _ v: RejectsView, shown: Int, _ t: Theme) {
        let total = v.list?.rows.count ?? 0
        if v.typing || !v.filter.isEmpty {
            var cx = x
            cx += grid.put("filter: ", x: cx, y: y, style: t.accent)
            cx += grid.put(v.filter, x: cx, y: y, style: .bold.adding(.underline), maxWidth: width / 2)
            if v.typing { grid.set(cx, y, "_", .reverse); cx += 1 }
            grid.put("  \(Format.count(shown)) of \(Format.count(total)) match", x: cx, y: y, style: t.label, maxWidth: x + width - cx)
        } else {
            let used = grid.put("/ filters by line, field, reason or record", x: x, y: y, style: t.muted, maxWidth: width)
            if let path = v.list?.path, !path.isEmpty, width - used > 12 {
                grid.putRight(path, right: x + width, y: y, style: t.label, maxWidth: width - used - 2)
            }
        }
    }
}
