/// A yes/no question in a box over the current panel (quitting while a batch runs, leaving a kiosk).
public enum ConfirmOverlay {
    public static func draw(_ grid: inout CellGrid, _ area: Rect, reason: String, _ s: DashboardState) {
        draw(&grid, area, title: "Quit?", question: reason, answers: "y quit   n stay", s)
    }

    /// The same box for any question: `answers` names the keys, e.g. "y promote   n cancel".
    public static func draw(_ grid: inout CellGrid, _ area: Rect, title: String, question: String, answers: String, _ s: DashboardState) {
        let t = s.theme
        let lines = TextWrap.lines(question, width: 44)
        let rect = area.centered(width: 50, height: lines.count + 4)
        grid.fill(rect)
        let inner = Box.draw(&grid, rect, title: title, theme: t, titleStyle: t.style(.warn))
        for (i, line) in lines.enumerated() { grid.put(line, x: inner.x + 1, y: inner.y + i, style: .bold, maxWidth: inner.width - 2) }
        grid.put(answers, x: inner.x + 1, y: inner.maxY - 1, style: t.accent)
    }
}
