import ChurnMonitor
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Panel 4: every alert rule's state (firing first) with value, threshold and since; then recent transitions.
public enum AlertsPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        guard let snap = s.snapshot else {
            NoData.draw(&grid, rect, s)
            return
        }
        let t = s.theme
        let filter = s.filters[.alerts] ?? ""
        let rules = PanelRows.alerts(snap, filter: filter).sorted {
            TileSeverity.alert($0.state) > TileSeverity.alert($1.state)
                || (TileSeverity.alert($0.state) == TileSeverity.alert($1.state) && $0.name < $1.name)
        }
        let rulesHeight = min(rect.height / 2 + 2, max(4, rules.count + 3))
        let (top, bottom) = rect.splitTop(rulesHeight)
        let firing = snap.alerts.filter { $0.state == .firing }.count
        let pending = snap.alerts.filter { $0.state == .pending }.count
        let inner = Box.draw(&grid, top, title: "Alert rules", theme: t,
                             badge: ("\(firing) firing, \(pending) pending", t.style(firing > 0 ? .crit : pending > 0 ? .warn : .ok)))
        let clock = { Format.clock($0, timeZone: s.config.timeZone) }
        let columns = [
            Table.Column("state", width: 9), Table.Column("rule", width: min(22, max(12, inner.width / 5))),
            Table.Column("value", width: 8, alignRight: true), Table.Column("limit", width: 7, alignRight: true),
            Table.Column("since", width: 8), Table.Column("for", width: 6, alignRight: true), Table.Column("watches"),
        ]
        let rows: [[Table.Item]] = rules.map { a in
            let sev = TileSeverity.alert(a.state)
            return [
                Table.Item("\(t.glyphs.symbol(sev)) \(a.state == .ok ? "ok" : a.state.rawValue.uppercased())", t.style(sev)),
                Table.Item(a.name, a.state == .firing ? .bold : nil),
                Table.Item(a.value.map { Format.fixed($0, 3) } ?? "-"),
                Table.Item(Format.fixed(a.threshold, 3), t.label),
                Table.Item(clock(a.since)),
                Table.Item(Format.duration(max(0, s.now.timeIntervalSince(a.since))), t.label),
                Table.Item(a.summary, t.label),
            ]
        }
        Table.draw(&grid, Rect(x: inner.x + 1, y: inner.y, width: inner.width - 1, height: inner.height), columns: columns,
                   rows: rows, scroll: 0, theme: t,
                   emptyText: snap.alerts.isEmpty ? "The source reports no alert rules." : "No rule matches the filter.")

        let history = Box.draw(&grid, bottom, title: "Recent transitions, newest first", theme: t)
        let transitions = PanelRows.transitions(snap, filter: filter)
        let tcols = [
            Table.Column("at", width: 8), Table.Column("rule", width: min(22, max(12, history.width / 4))),
            Table.Column("change", width: 20), Table.Column("value", width: 8, alignRight: true),
        ]
        let trows: [[Table.Item]] = transitions.map { tr in
            let sev = TileSeverity.alert(tr.to)
            return [
                Table.Item(clock(tr.at)),
                Table.Item(tr.name),
                Table.Item("\(tr.from.rawValue) \(t.glyphs.arrow) \(t.glyphs.symbol(sev)) \(tr.to.rawValue)", t.style(sev)),
                Table.Item(tr.value.map { Format.fixed($0, 3) } ?? "-"),
            ]
        }
        let selected = min(s.scroll[.alerts] ?? 0, max(0, trows.count - 1))
        Table.draw(&grid, Rect(x: history.x + 1, y: history.y, width: history.width - 1, height: history.height),
                   columns: tcols, rows: trows, scroll: 0, selected: trows.isEmpty ? nil : selected, theme: t,
                   emptyText: "No state changes yet.")
    }
}
