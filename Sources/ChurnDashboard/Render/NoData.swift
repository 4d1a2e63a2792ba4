/// What a monitoring panel shows before the first snapshot arrives.
public enum NoData {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        let t = s.theme
        var lines = ["No data yet from \(s.config.sourceName)."]
        if case .waiting(let error?) = s.freshness { lines.append("Last attempt failed: \(error)") }
        lines.append("The console keeps trying; r retries now.")
        var y = rect.y + rect.height / 2 - lines.count / 2
        for line in lines {
            for l in TextWrap.lines(line, width: rect.width - 4) {
                grid.put(l, x: rect.x + 2, y: y, style: y == rect.y + rect.height / 2 - lines.count / 2 ? t.value : t.muted)
                y += 1
            }
        }
    }
}
