import ChurnMonitor
/// The top line: product name, the panels with their keys (the current one marked), freshness and clock.
public enum TabBar {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        let t = s.theme
        let bar = CellStyle.reverse.with(role: t.color == .color ? .title : .plain)
        grid.fill(rect, " ", bar)
        var x = rect.x
        let fleetTab = s.config.fleet || s.panel == .fleet
        // The product name goes first when space runs short; the Fleet tab needs 9 columns of it.
        if rect.width >= (fleetTab ? 93 : 84) || (rect.width >= (fleetTab ? 85 : 76) && s.config.kiosk == false) {
            x += grid.put(" ChurnOps ", x: x, y: rect.y, style: bar.adding(.bold))
        }
        for p in Panel.allCases {
            if s.config.kiosk && p == .batch { continue }
            if p == .fleet && !fleetTab { continue }
            let label = "\(p.rawValue) \(p.title)"
            if p == s.panel {
                // Marked by brackets and by dropping the reverse video, so it shows in monochrome too.
                x += grid.put("[\(label)]", x: x, y: rect.y, style: t.accent)
            } else {
                x += grid.put(" \(label) ", x: x, y: rect.y, style: bar)
            }
        }
        var right = Format.clock(s.now, timeZone: s.config.timeZone) + " "
        let badge: (String, CellStyle)?
        switch s.freshness {
        case .live: badge = nil
        case .waiting: badge = (" WAITING ", t.style(.warn).adding(.reverse))
        case .paused: badge = (" PAUSED ", t.style(.warn).adding(.reverse))
        case .stale: badge = (" STALE ", t.style(.crit).adding(.reverse))
        }
        if s.config.kiosk { right = "kiosk " + right }
        // The time range the histories cover, when it fits without hiding a tab or the freshness badge.
        let range = "range \(s.range.label) "
        if rect.maxX - DisplayText.width(right) - DisplayText.width(range) - (badge.map { DisplayText.width($0.0) + 1 } ?? 0) > x + 1 {
            right = range + right
        }
        let rx = rect.maxX - DisplayText.width(right)
        grid.put(right, x: rx, y: rect.y, style: bar)
        if let badge {
            let bx = rx - DisplayText.width(badge.0) - 1
            if bx > x { grid.put(badge.0, x: bx, y: rect.y, style: badge.1) }
        }
    }
}
