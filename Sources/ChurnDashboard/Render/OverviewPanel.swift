import ChurnMonitor
import ChurnModel

/// Panel 1: the eight tiles of the seed's Grafana board in a 4 x 2 grid, each with a severity badge.
public enum OverviewPanel {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        guard let snap = s.snapshot else {
            NoData.draw(&grid, rect, s)
            return
        }
        let rows = rect.rows(2)
        let top = rows[0].columns(4), bottom = rows[1].columns(4)
        let t = s.theme
        let big = s.config.kiosk || rect.width >= 120
        tile(&grid, top[0], "Requests", TileSeverity.traffic(snap), t) { g, r in requests(&g, r, snap, t, big) }
        tile(&grid, top[1], "Latency", TileSeverity.latency(snap), t) { g, r in latency(&g, r, snap, t, big) }
        tile(&grid, top[2], "Predictions", .ok, t) { g, r in predictions(&g, r, snap, t) }
        tile(&grid, top[3], "High risk", .ok, t) { g, r in highRisk(&g, r, snap, t) }
        tile(&grid, bottom[0], "Model F1", TileSeverity.f1(snap), t) { g, r in f1(&g, r, snap, t, big) }
        tile(&grid, bottom[1], "Data drift", TileSeverity.drift(snap), t) { g, r in drift(&g, r, snap, t, big) }
        tile(&grid, bottom[2], "Errors 5xx", TileSeverity.errors(snap), t) { g, r in errors(&g, r, snap, t, big) }
        tile(&grid, bottom[3], "Memory", TileSeverity.memory(snap), t) { g, r in memory(&g, r, snap, t, big) }
        let marks: [(Rect, [String])] = [(top[0], ["traffic", "request"]), (top[1], ["latency"]), (bottom[0], ["f1"]),
                                         (bottom[1], ["drift"]), (bottom[2], ["error"]), (bottom[3], ["memory"])]
        for (r, keywords) in marks { FiringMark.draw(&grid, r, alerts: FiringMark.firing(snap, keywords), t) }
    }

    static func tile(_ grid: inout CellGrid, _ rect: Rect, _ title: String, _ severity: Severity, _ t: Theme,
                     _ body: (inout CellGrid, Rect) -> Void) {
        let symbol = String(t.glyphs.symbol(severity))
        let badge = rect.width >= 26 ? "\(symbol) \(severity.word)" : symbol
        let inner = Box.draw(&grid, rect, title: title, theme: t, badge: (badge, t.style(severity)))
        guard !inner.isEmpty else { return }
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        grid.clipped(to: content) { g in body(&g, content) }
    }

    /// Writes the tile's headline value: three rows tall when there is room, else one bold line.
    /// Returns the rows used.
    @discardableResult
    static func headline(_ g: inout CellGrid, _ r: Rect, _ value: String, unit: String, style: CellStyle, _ t: Theme,
                         big: Bool) -> Int {
        if big && r.height >= 8 && BigNumber.width(value, theme: t) + DisplayText.width(unit) + 1 <= r.width {
            BigNumber.draw(&g, value, x: r.x, y: r.y, style: style, theme: t)
            g.put(unit, x: r.x + BigNumber.width(value, theme: t) + 1, y: r.y + 2, style: t.label)
            return BigNumber.height
        }
        let w = g.put(value, x: r.x, y: r.y, style: style.adding(.bold))
        g.put(" " + unit, x: r.x + w, y: r.y, style: t.label)
        return 1
    }

    /// The rest of the tile below row `used` (for a sparkline), at the bottom of the tile: at most 8 rows, more on a
    /// kiosk-sized tile (taller than 16 rows), where the history takes what the text leaves.
    static func below(_ r: Rect, _ used: Int) -> Rect {
        let h = min(r.height > 16 ? r.height : 8, r.height - used - (r.height - used > 4 ? 1 : 0))
        return Rect(x: r.x, y: r.maxY - h, width: r.width, height: h)
    }

    static func requests(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme, _ big: Bool) {
        let rate = snap.window(60)?.requestRate ?? 0
        var y = headline(&g, r, Format.rate(rate), unit: "req/s", style: t.value, t, big: big)
        let w5 = snap.window(300).map { Format.rate($0.requestRate) } ?? "-"
        let w15 = snap.window(900).map { Format.rate($0.requestRate) } ?? "-"
        g.put("5m \(w5) 15m \(w15)", x: r.x, y: r.y + y, style: t.label)
        y += 1
        g.put("total \(Format.compact(snap.totals.requests))", x: r.x, y: r.y + y, style: t.label)
        y += 1
        HistoryChart.draw(&g, below(r, y), values: snap.history.requestRate.map { $0 }, range: snap.history.historyRange, theme: t,
                          format: Format.rate)
    }

    static func latency(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme, _ big: Bool) {
        let w = snap.window(60)
        let ascii = t.isASCII
        var y = 0
        if big && r.height >= 10 {
            y = headline(&g, r, Format.latency(w?.p99, ascii: ascii).split(separator: " ").first.map(String.init) ?? "-",
                         unit: "p99 " + (Format.latency(w?.p99, ascii: ascii).split(separator: " ").last.map(String.init) ?? ""),
                         style: t.style(TileSeverity.latency(snap)), t, big: big)
        } else {
            g.put("p99", x: r.x, y: r.y, style: t.label)
            g.put(Format.latency(w?.p99, ascii: ascii), x: r.x + 4, y: r.y, style: t.style(TileSeverity.latency(snap)).adding(.bold))
            y = 1
        }
        g.put("p95", x: r.x, y: r.y + y, style: t.label)
        g.put(Format.latency(w?.p95, ascii: ascii), x: r.x + 4, y: r.y + y, style: .bold)
        y += 1
        g.put("p50 \(Format.latency(w?.p50, ascii: ascii))", x: r.x, y: r.y + y, style: t.label)
        y += 1
        HistoryChart.draw(&g, below(r, y), values: snap.history.p99, range: snap.history.historyRange, theme: t, merge: .max,
                          format: { Format.latency($0, ascii: ascii) })
    }

    static func predictions(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme) {
        let total = snap.totals.predictions
        g.put(Format.count(total), x: r.x, y: r.y, style: t.value)
        g.put(" total", x: r.x + DisplayText.width(Format.count(total)), y: r.y, style: t.label)
        let levels: [(String, Severity)] = [("high", .crit), ("medium", .warn), ("low", .ok)]
        let labelW = r.width >= 24 ? 7 : 5
        for (i, (level, sev)) in levels.enumerated() {
            let y = r.y + 2 + i * (r.height >= 9 ? 2 : 1)
            let n = snap.totals.byRisk[level] ?? 0
            let share = total > 0 ? Double(n) / Double(total) : 0
            g.put(labelW == 7 ? level : (level == "medium" ? "med" : level), x: r.x, y: y, style: t.label)
            let num = Format.compact(n)
            g.putRight(num, right: r.maxX, y: y, style: .bold)
            let barW = r.width - labelW - DisplayText.width(num) - 1
            Bar.draw(&g, x: r.x + labelW, y: y, width: barW, fraction: share, style: t.bar(sev), theme: t, track: false)
        }
        if let w = snap.window(60), r.height >= 6 {
            g.put("last 1m \(Format.count(w.predictions))", x: r.x, y: r.maxY - 1, style: t.label)
        }
    }

    static func highRisk(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme) {
        let n = snap.totals.highRisk
        let text = Format.count(n)
        var y = 0
        // The number people read across the room: big whenever it fits.
        if r.height >= 5 && BigNumber.width(text, theme: t) <= r.width {
            BigNumber.draw(&g, text, x: r.x, y: r.y, style: t.value.with(role: t.color == .color ? .crit : .plain), theme: t)
            y = BigNumber.height
        } else {
            g.put(text, x: r.x, y: r.y, style: t.value)
            y = 1
        }
        let total = snap.totals.predictions
        g.put(r.width >= 22 ? "customers at high risk" : "at high risk", x: r.x, y: r.y + y, style: t.label)
        y += 1
        if total > 0 {
            g.put("\(Format.percent(Double(n) / Double(total))) of total", x: r.x, y: r.y + y, style: t.label)
        }
        y += 1
        if let share = snap.history.highRiskShare, r.height - y >= 3 {
            HistoryChart.draw(&g, below(r, y), values: share, range: snap.history.historyRange, theme: t,
                              format: { Format.percent($0, digits: 0) })
        }
    }

    static func f1(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme, _ big: Bool) {
        let f = snap.f1
        let sev = TileSeverity.f1(snap)
        guard let value = f.value else {
            g.put("F1 -", x: r.x, y: r.y, style: t.value)
            let lines = TextWrap.lines("waiting for outcomes (\(Format.count(f.labelled)) labelled)", width: r.width)
            for (i, l) in lines.enumerated() { g.put(l, x: r.x, y: r.y + 1 + i, style: t.muted) }
            return
        }
        var y = headline(&g, r, Format.fixed(value, 2), unit: "F1", style: t.style(sev), t, big: big)
        Bar.draw(&g, x: r.x, y: r.y + y, width: r.width, fraction: value, style: t.style(sev), theme: t, marks: [f.threshold])
        y += 1
        g.put("alert below \(Format.fixed(f.threshold, 2))", x: r.x, y: r.y + y, style: t.label)
        y += 1
        g.put("P \(Format.fixed(f.precision, 2))  R \(Format.fixed(f.recall, 2))", x: r.x, y: r.y + y, style: t.label)
        y += 1
        g.put("\(Format.count(f.labelled)) labelled", x: r.x, y: r.y + y, style: t.label)
    }

    static func drift(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme, _ big: Bool) {
        let d = snap.drift
        let sev = TileSeverity.drift(snap)
        if !d.isWarm {
            // Below the minimum the score is 0 by definition; showing "0.00 ✓" would claim no drift.
            g.put("warming up", x: r.x, y: r.y, style: t.value)
            g.put("\(Format.count(d.rows)) of \(Format.count(d.minimumRows)) rows", x: r.x, y: r.y + 1, style: t.label)
            g.put("before a score", x: r.x, y: r.y + 2, style: t.label)
            return
        }
        var y = headline(&g, r, Format.fixed(d.score, 2), unit: "score", style: t.style(sev), t, big: big)
        Bar.draw(&g, x: r.x, y: r.y + y, width: r.width, fraction: d.score, style: t.style(sev), theme: t,
                 marks: [d.alertThreshold])
        y += 1
        g.put("alert above \(Format.fixed(d.alertThreshold, 2))", x: r.x, y: r.y + y, style: t.label)
        y += 1
        let drifted = d.features.filter { $0.psi >= d.threshold }.count
        g.put("\(drifted) of \(d.features.count) drifted", x: r.x, y: r.y + y, style: t.label)
        y += 1
        if let worst = d.features.max(by: { $0.psi < $1.psi }), worst.psi > 0 {
            g.put("\(worst.name) \(Format.fixed(worst.psi, 2))", x: r.x, y: r.y + y, style: t.label)
            y += 1
        }
        HistoryChart.draw(&g, below(r, y), values: d.features.isEmpty ? [] : snap.history.driftScore.map { $0 },
                          range: snap.history.historyRange, theme: t, ceiling: d.alertThreshold, format: { Format.fixed($0, 2) })
    }

    static func errors(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme, _ big: Bool) {
        let sev = TileSeverity.errors(snap)
        let w = snap.window(60)
        var y = headline(&g, r, Format.percent(w?.errorRate ?? 0), unit: "1m", style: t.style(sev), t, big: big)
        let e5 = snap.window(300).map { Format.percent($0.errorRate) } ?? "-"
        g.put("5m \(e5)", x: r.x, y: r.y + y, style: t.label)
        y += 1
        g.put("\(Format.compact(snap.totals.errors)) errors total", x: r.x, y: r.y + y, style: t.label)
        y += 1
        // Scaled to at least the 5% alert level, so a steady trickle of errors does not look like a wall.
        HistoryChart.draw(&g, below(r, y), values: snap.history.errorRate.map { $0 }, range: snap.history.historyRange, theme: t,
                          style: t.bar(sev), ceiling: 0.05, format: { Format.percent($0) })
    }

    static func memory(_ g: inout CellGrid, _ r: Rect, _ snap: MonitorSnapshot, _ t: Theme, _ big: Bool) {
        let rss = snap.resources.residentBytes
        let parts = Format.bytes(rss).split(separator: " ")
        // For a fleet the tile shows the largest replica: the one closest to its memory limit.
        let unit = snap.replicas.isEmpty ? "RSS" : "RSS max"
        var y = headline(&g, r, parts.first.map(String.init) ?? "-", unit: parts.count > 1 ? "\(parts[1]) \(unit)" : unit,
                         style: t.value, t, big: big)
        g.put("CPU \(snap.resources.cpuSeconds.map { Format.duration($0) } ?? "-")", x: r.x, y: r.y + y, style: t.label)
        y += 1
        if let up = snap.uptimeSeconds {
            g.put("up \(Format.duration(up))", x: r.x, y: r.y + y, style: t.label)
            y += 1
        }
        if !snap.replicas.isEmpty {
            let upCount = snap.replicas.filter(\.up).count
            g.put("\(upCount)/\(snap.replicas.count) replicas up", x: r.x, y: r.y + y,
                  style: upCount == snap.replicas.count ? t.label : t.style(.crit))
        }
    }
}
