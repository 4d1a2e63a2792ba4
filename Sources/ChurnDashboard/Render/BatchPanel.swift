import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Panel 5: choose a CSV file under the batch root, check its header, score it in the background with a
/// progress bar, then read the results: risk mix, highest-risk customers, rejects, drift and output paths.
public enum BatchPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        let t = s.theme
        if let why = s.config.batchUnavailable {
            let inner = Box.draw(&grid, rect, title: "Batch scoring", theme: t)
            grid.put("\(t.glyphs.warn) not available", x: inner.x + 1, y: inner.y + 1, style: t.style(.warn))
            wrapped(&grid, inner, from: 3, why)
            return
        }
        switch s.batch.phase {
        case .browsing:
            browser(&grid, rect, s)
        case .checking(let file):
            let inner = Box.draw(&grid, rect, title: "Batch scoring", theme: t)
            grid.put("Checking the header of \(file) \(t.glyphs.ellipsis)", x: inner.x + 1, y: inner.y + 1)
        case .ready(let plan):
            let inner = Box.draw(&grid, rect, title: "Batch scoring: ready", theme: t)
            var lines: [(String, CellStyle)] = [
                ("\(t.glyphs.ok) \(plan.input): header ok, \(plan.columns) columns\(plan.sizeBytes.map { ", " + Format.bytes($0) } ?? "")", t.style(.ok)),
                ("", .plain),
                ("model    \(s.config.batchModel)", .plain),
                ("output   \(plan.outputPath)", .plain),
                ("rejects  \(plan.rejectsPath) (only if a row is rejected)", .plain),
                ("", .plain),
                ("Enter scores the file in the background; the console stays live.", .bold),
                ("Esc chooses another file.", t.label),
            ]
            if s.config.batchModel.isEmpty { lines.remove(at: 2) }
            paragraph(&grid, inner, lines)
        case .rejected(let file, let message):
            let inner = Box.draw(&grid, rect, title: "Batch scoring: cannot score \(file)", theme: t)
            grid.put("\(t.glyphs.crit) not scored", x: inner.x + 1, y: inner.y + 1, style: t.style(.crit))
            wrapped(&grid, inner, from: 3, message)
        case .running(let plan, let progress), .cancelling(let plan, let progress):
            running(&grid, rect, plan, progress, cancelling: !s.batch.phase.isCancellable, s)
        case .cancelled(let plan):
            let inner = Box.draw(&grid, rect, title: "Batch scoring: cancelled", theme: t)
            grid.put("Scoring \(plan.input) was cancelled; no output was written.", x: inner.x + 1, y: inner.y + 1, style: .bold)
            grid.put("Esc returns to the file browser.", x: inner.x + 1, y: inner.y + 3, style: t.label)
        case .failed(let plan, let message):
            let inner = Box.draw(&grid, rect, title: "Batch scoring: failed", theme: t)
            grid.put("\(t.glyphs.crit) scoring \(plan.input) failed; no output was written", x: inner.x + 1, y: inner.y + 1, style: t.style(.crit))
            wrapped(&grid, inner, from: 3, message)
        case .finished(let plan, let summary):
            switch s.batch.detail {
            case .rejects(let v)?: RejectsPanel.draw(&grid, rect, plan, summary, v, t)
            case .customer(let v)?: CustomerDetailPanel.draw(&grid, rect, v, t)
            case nil: results(&grid, rect, plan, summary, s)
            }
        }
    }

    static func paragraph(_ grid: inout CellGrid, _ inner: Rect, _ lines: [(String, CellStyle)]) {
        for (i, line) in lines.enumerated() where i + 1 < inner.height {
            grid.put(line.0, x: inner.x + 1, y: inner.y + 1 + i, style: line.1, maxWidth: inner.width - 2)
        }
    }

    static func wrapped(_ grid: inout CellGrid, _ inner: Rect, from: Int, _ text: String) {
        for (i, l) in TextWrap.lines(text, width: inner.width - 2).enumerated() where from + i < inner.height {
            grid.put(l, x: inner.x + 1, y: inner.y + from + i)
        }
    }

    static func browser(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        let t = s.theme, b = s.batch.browser
        let path = b.directory.isEmpty ? "/" : "/" + b.directory
        let inner = Box.draw(&grid, rect, title: "Batch scoring: choose a CSV file", theme: t)
        guard inner.height >= 3 else { return }
        grid.put("root \(s.config.batchRoot)", x: inner.x + 1, y: inner.y, style: t.label, maxWidth: inner.width / 2)
        grid.putRight("in \(path)", right: inner.maxX - 1, y: inner.y, style: .bold, maxWidth: inner.width / 2 - 2)
        if let error = b.error {
            grid.put("\(t.glyphs.crit) \(error)", x: inner.x + 1, y: inner.y + 1, style: t.style(.crit), maxWidth: inner.width - 2)
        }
        let entries = BatchResultRows.browserEntries(b, filter: s.filters[.batch] ?? "")
        let list = Rect(x: inner.x + 1, y: inner.y + 2, width: inner.width - 2, height: inner.height - 2)
        if entries.isEmpty {
            let text = b.loading ? "Reading \(path) \(t.glyphs.ellipsis)"
                : (s.filters[.batch] ?? "").isEmpty ? "No CSV files or directories here." : "Nothing matches the filter."
            grid.put(text, x: list.x + 2, y: list.y, style: t.muted)
            return
        }
        let selected = min(b.selected, entries.count - 1)
        let start = Table.clampScroll(0, rows: entries.count, visible: list.height, selected: selected)
        for (i, e) in entries.dropFirst(start).prefix(list.height).enumerated() {
            let y = list.y + i
            let isSelected = start + i == selected
            let style: CellStyle = isSelected ? .reverse : e.isDirectory ? t.accent : .plain
            if isSelected { grid.fill(Rect(x: list.x, y: y, width: list.width, height: 1), " ", .reverse) }
            grid.set(list.x, y, isSelected ? t.glyphs.pointer : " ", style)
            let name = e.isDirectory ? e.name + "/" : e.name
            grid.put(name, x: list.x + 2, y: y, style: style, maxWidth: list.width - 14)
            if let size = e.size { grid.putRight(Format.bytes(size), right: list.maxX, y: y, style: isSelected ? .reverse : t.label) }
        }
        let below = entries.count - start - list.height
        if below > 0 { grid.putRight("\(t.glyphs.downArrow)\(below) more", right: rect.maxX - 1, y: rect.maxY - 1, style: t.accent) }
    }

    static func running(_ grid: inout CellGrid, _ rect: Rect, _ plan: BatchPlan, _ p: BatchProgress?, cancelling: Bool,
                        _ s: DashboardState) {
        let t = s.theme
        let inner = Box.draw(&grid, rect, title: cancelling ? "Batch scoring: cancelling" : "Batch scoring: running", theme: t)
        grid.put("Scoring \(plan.input)", x: inner.x + 1, y: inner.y + 1, style: .bold, maxWidth: inner.width - 2)
        let fraction = p?.fraction ?? 0
        let pct = Format.percent(fraction)
        let barW = inner.width - 4 - DisplayText.width(pct)
        Bar.draw(&grid, x: inner.x + 1, y: inner.y + 3, width: barW, fraction: fraction, style: t.chart, theme: t)
        grid.put(pct, x: inner.x + 2 + barW, y: inner.y + 3, style: .bold)
        let rows = p.map { Format.count($0.rows) } ?? "0"
        let speed = p.map { Format.count(Int($0.rowsPerSecond)) } ?? "-"
        let eta = p?.eta.map { Format.duration($0) } ?? "-"
        let elapsed = p.map { Format.duration($0.elapsed) } ?? "0s"
        grid.put("rows \(rows)\(t.glyphs.separator)\(speed) rows/s\(t.glyphs.separator)ETA \(eta)\(t.glyphs.separator)elapsed \(elapsed)",
                 x: inner.x + 1, y: inner.y + 5, style: t.label, maxWidth: inner.width - 2)
        grid.put("output \(plan.outputPath)", x: inner.x + 1, y: inner.y + 7, style: t.label, maxWidth: inner.width - 2)
        let hint = cancelling ? "Cancelling: nothing will be written." : "Esc cancels (no partial output). Other panels stay live."
        grid.put(hint, x: inner.x + 1, y: inner.y + 9, style: cancelling ? t.style(.warn) : t.muted, maxWidth: inner.width - 2)
    }

    static func results(_ grid: inout CellGrid, _ rect: Rect, _ plan: BatchPlan, _ sum: BatchSummary, _ s: DashboardState) {
        let t = s.theme
        let wide = rect.width >= 120
        let summaryRect: Rect, tableRect: Rect
        if wide {
            (summaryRect, tableRect) = rect.splitLeft(rect.width / 2)
        } else {
            (summaryRect, tableRect) = rect.splitTop(min(10, rect.height / 2))
        }
        let inner = Box.draw(&grid, summaryRect, title: "Scored \(plan.input)", theme: t,
                             badge: (sum.rejected > 0 ? "\(t.glyphs.warn) \(Format.count(sum.rejected)) rejected" : "\(t.glyphs.ok) no rejects",
                                     t.style(sum.rejected > 0 ? .warn : .ok)))
        var y = inner.y
        let sep = t.glyphs.separator
        grid.put("rows \(Format.count(sum.rows))\(sep)scored \(Format.count(sum.scored))\(sep)rejected \(Format.count(sum.rejected))"
                 + (sum.blankLines > 0 ? "\(sep)\(Format.count(sum.blankLines)) blank lines skipped" : "")
                 + "\(sep)\(Format.count(Int(sum.rowsPerSecond))) rows/s", x: inner.x + 1, y: y, maxWidth: inner.width - 2)
        y += 1
        let total = max(1, sum.scored)
        for (level, sev) in [("high", Severity.crit), ("medium", .warn), ("low", .ok)] where y < inner.maxY {
            let n = sum.risk[level] ?? 0
            let share = Double(n) / Double(total)
            grid.put(level, x: inner.x + 1, y: y, style: t.label)
            let right = "\(Format.count(n)) \(Format.padLeft(Format.percent(share), 6))"
            grid.putRight(right, right: inner.maxX - 1, y: y, style: .bold)
            Bar.draw(&grid, x: inner.x + 8, y: y, width: inner.width - 10 - DisplayText.width(right), fraction: share,
                     style: t.bar(sev), theme: t)
            y += 1
        }
        let d = sum.drift
        let dsev: Severity = d.score > 0.3 ? .crit : d.score > 0 ? .warn : .ok
        if y < inner.maxY {
            let worst = d.worstFirst.prefix(wide ? 3 : 2).map { "\($0.name) \(Format.fixed($0.psi, 2))" }.joined(separator: ", ")
            if d.isMeasured {
                grid.set(inner.x + 1, y, t.glyphs.symbol(dsev), t.style(dsev))
                grid.put("drift \(Format.fixed(d.score, 2))" + (worst.isEmpty ? "" : " (\(worst))"), x: inner.x + 3, y: y,
                         style: t.style(dsev), maxWidth: inner.width - 4)
            } else {
                grid.put("drift not measured: \(Format.count(d.rows)) rows, needs \(Format.count(d.minimumRows))",
                         x: inner.x + 3, y: y, style: t.muted, maxWidth: inner.width - 4)
            }
            y += 1
        }
        for line in ["output  \(sum.output)", "rejects " + (sum.rejectsPath ?? "none written (no row rejected)")] where y < inner.maxY {
            grid.put(line, x: inner.x + 1, y: y, style: t.label, maxWidth: inner.width - 2)
            y += 1
        }

        let rows = BatchResultRows.rows(sum, sort: s.batch.sort, filter: s.filters[.batch] ?? "")
        let tInner = Box.draw(&grid, tableRect, title: "Highest-risk customers (sorted by \(s.batch.sort.rawValue))", theme: t)
        let columns = [Table.Column("#", width: 4, alignRight: true), Table.Column("customer"),
                       Table.Column("probability", width: 11, alignRight: true), Table.Column("risk", width: 8),
                       Table.Column("line", width: 8, alignRight: true)]
        let items: [[Table.Item]] = rows.enumerated().map { i, c in
            let sev: Severity = c.risk == .high ? .crit : c.risk == .medium ? .warn : .ok
            return [Table.Item("\(i + 1)", t.label), Table.Item(c.id), Table.Item(Format.fixed(c.probability, 3), .bold),
                    Table.Item("\(t.glyphs.symbol(sev)) \(c.risk.rawValue)", t.style(sev)), Table.Item("\(c.line)", t.label)]
        }
        Table.draw(&grid, Rect(x: tInner.x + 1, y: tInner.y, width: tInner.width - 1, height: tInner.height), columns: columns,
                   rows: items, scroll: 0, selected: items.isEmpty ? nil : min(s.batch.selected, items.count - 1), theme: t,
                   emptyText: sum.topRisk.isEmpty ? "No rows were scored." : "No customer id matches the filter.")
    }
}

extension BatchPhase {
    /// Running and not yet asked to stop.
    var isCancellable: Bool { if case .running = self { true } else { false } }
}
