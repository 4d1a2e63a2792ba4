import ChurnMonitor

/// A firing alert marks its Overview tile so it reads from across a room without colour: the tile's top border
/// (title and badge) in inverse video, and its bottom border an inverse bar saying FIRING and the alert's name.
public enum FiringMark {
    /// The alert names (matched by keyword, as `TileSeverity` does) that fire for each Overview tile.
    public static func firing(_ snap: MonitorSnapshot, _ keywords: [String]) -> [String] {
        snap.alerts.filter { a in a.state == .firing && keywords.contains { a.name.lowercased().contains($0) } }.map(\.name)
    }

    public static func draw(_ grid: inout CellGrid, _ rect: Rect, alerts: [String], _ t: Theme) {
        guard !alerts.isEmpty, rect.width >= 6, rect.height >= 3 else { return }
        let style = t.style(.crit).adding([.bold, .reverse])
        grid.addAttributes([.bold, .reverse], in: Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        let bottom = Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1)
        grid.fill(bottom, " ", style)
        // The alert's name when it fits; FIRING alone otherwise (the Alerts panel names it).
        let full = "\(t.glyphs.crit) FIRING \(alerts.joined(separator: ", "))"
        let text = DisplayText.width(full) <= rect.width - 2 ? full : "\(t.glyphs.crit) FIRING"
        grid.put(text, x: rect.x + 1, y: bottom.y, style: style, maxWidth: rect.width - 2)
    }
}
