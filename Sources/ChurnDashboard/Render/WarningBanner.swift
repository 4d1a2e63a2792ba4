/// One line above a monitoring panel with the source's first warning (e.g. a model mismatch), marked by symbol
/// and reverse video so it reads without colour.
public enum WarningBanner {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ warning: String, more: Int, _ s: DashboardState) {
        let t = s.theme
        let style = t.style(.warn).adding(.bold)
        var x = rect.x
        x += grid.put(" \(t.glyphs.symbol(.warn)) ", x: x, y: rect.y, style: style.adding(.reverse))
        let tail = more > 0 ? " (+\(more) more, panel 6)" : ""
        let room = rect.maxX - x - DisplayText.width(tail) - 1
        x += grid.put(" " + warning, x: x, y: rect.y, style: style, maxWidth: max(0, room))
        if !tail.isEmpty { grid.put(tail, x: x, y: rect.y, style: t.label, maxWidth: rect.maxX - x) }
    }
}
