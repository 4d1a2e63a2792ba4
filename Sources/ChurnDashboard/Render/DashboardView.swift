import ChurnMonitor
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
        var (body, bottom) = rest.splitBottom(2)
        TabBar.draw(&grid, top, s)
        // A warning that changes how the numbers read (a model mismatch) stays on every monitoring panel.
        if s.panel != .batch, let warnings = s.snapshot?.warnings, let first = warnings.first {
            let (banner, rest) = body.splitTop(1)
            WarningBanner.draw(&grid, banner, first, more: warnings.count - 1, s)
            body = rest
        }
        grid.clipped(to: body) { g in
            switch s.panel {
            case .overview: OverviewPanel.draw(&g, body, s)
            case .drift: DriftPanel.draw(&g, body, s)
            case .model: ModelPanel.draw(&g, body, s)
            case .alerts: AlertsPanel.draw(&g, body, s)
            case .batch: BatchPanel.draw(&g, body, s)
            case .fleet: FleetPanel.draw(&g, body, s)
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
