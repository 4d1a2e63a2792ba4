/// Renders the whole console for a state: tab bar, the current panel, status line, key bar, overlays.
/// A pure function of the state; the same renderer serves the terminal and `churn snapshot`.
public enum DashboardView {
    public static func render(_ s: DashboardState) -> CellGrid {
        var grid = CellGrid(width: s.width, height: s.height, asciiOnly: s.theme.isASCII)
        if s.isTooSmall {
            TooSmallScreen.draw(&grid, s)
            return grid
        }
        let (top, rest) = grid.bounds.splitTop(1)
        let (body, bottom) = rest.splitBottom(2)
        TabBar.draw(&grid, top, s)
        grid.clipped(to: body) { g in
            switch s.panel {
            case .overview: OverviewPanel.draw(&g, body, s)
            case .drift: DriftPanel.draw(&g, body, s)
            case .model: ModelPanel.draw(&g, body, s)
            case .alerts: AlertsPanel.draw(&g, body, s)
            case .batch: BatchPanel.draw(&g, body, s)
            }
        }
        // Old numbers must never pass for live ones: the monitoring panels go dim while the data is stale.
        if s.freshness.isStale && s.panel != .batch { grid.addAttributes(.dim, in: body) }
        let (status, keys) = bottom.splitTop(1)
        StatusLine.draw(&grid, status, s)
        KeyBar.draw(&grid, keys, s)
        switch s.overlay {
        case .help: HelpOverlay.draw(&grid, body, s)
        case .confirmQuit(let reason): ConfirmOverlay.draw(&grid, body, reason: reason, s)
        case .confirmModel(let action):
            ConfirmOverlay.draw(&grid, body, title: action.verb == "promote" ? "Promote?" : "Roll back?", question: action.question,
                                answers: "y \(action.verb)   n cancel", s)
        case nil: break
        }
        return grid
    }
}
