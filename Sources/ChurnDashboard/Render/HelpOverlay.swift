/// `?`: every key of the console in a box over the current panel.
public enum HelpOverlay {
    static let entries: [(String, String)] = [
        ("1-6, Tab, S-Tab", "switch panel (6: fleet)"),
        ("j/k, arrows", "scroll, move selection"),
        ("PgUp/PgDn, g/G", "page, first/last"),
        ("/", "filter the table (Enter keep, Esc clear)"),
        ("Enter", "open, select, start scoring"),
        ("Esc", "back, cancel a running batch"),
        ("s, e", "batch results: sort, rejects (Enter: customer)"),
        ("P / B", "Model panel: promote the canary / roll back"),
        ("p", "pause/resume polling"),
        ("r", "refresh now"),
        ("t / T", "time range: live 15m 1h 6h 24h 7d / back"),
        ("+ / -", "slower / faster refresh"),
        ("?", "this help"),
        ("q", "quit (asks while a batch runs)"),
    ]

    public static func draw(_ grid: inout CellGrid, _ area: Rect, _ s: DashboardState) {
        let t = s.theme
        let rect = area.centered(width: 58, height: entries.count + 4)
        grid.fill(rect)
        let inner = Box.draw(&grid, rect, title: "Keys", theme: t)
        for (i, (key, what)) in entries.enumerated() where i < inner.height {
            grid.put(key, x: inner.x + 1, y: inner.y + i, style: t.accent, maxWidth: 17)
            grid.put(what, x: inner.x + 19, y: inner.y + i, maxWidth: inner.width - 20)
        }
        if inner.height > entries.count {
            grid.put("Colour is never the only signal: \(t.glyphs.ok) ok  \(t.glyphs.warn) warn  \(t.glyphs.crit) crit",
                     x: inner.x + 1, y: inner.y + entries.count, style: t.muted, maxWidth: inner.width - 2)
        }
    }
}
