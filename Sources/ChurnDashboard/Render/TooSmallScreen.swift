/// Shown instead of the panels when the terminal is below the minimum size: what is needed and what to do.
public enum TooSmallScreen {
    public static func draw(_ grid: inout CellGrid, _ s: DashboardState) {
        let need = "\(DashboardConfig.minimumWidth)x\(DashboardConfig.minimumHeight)"
        let lines = TextWrap.lines("Terminal too small: \(s.width)x\(s.height).", width: s.width)
            + TextWrap.lines("ChurnOps needs at least \(need).", width: s.width)
            + TextWrap.lines("Enlarge the window, or q to quit.", width: s.width)
        let y0 = max(0, (s.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            let x = max(0, (s.width - DisplayText.width(line)) / 2)
            grid.put(line, x: x, y: y0 + i, style: i == 0 ? s.theme.style(.warn) : .plain)
        }
    }
}
