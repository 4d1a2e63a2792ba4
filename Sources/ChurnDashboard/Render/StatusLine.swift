/// The line above the key bar: source, model, refresh interval, last update, and the freshness mark
/// (`STALE since hh:mm:ss`, `PAUSED`, `waiting for data`).
public enum StatusLine {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        let t = s.theme, sep = t.glyphs.separator
        let clock = { Format.clock($0, timeZone: s.config.timeZone) }
        var x = rect.x
        switch s.freshness {
        case .stale(let since, let error):
            x += grid.put(" STALE since \(clock(since)) ", x: x, y: rect.y, style: t.style(.crit).adding([.bold, .reverse]))
            let retry = Format.interval(PollState.backoff(interval: s.poll.interval, failures: s.poll.failures + 1,
                                                          cap: s.config.maxBackoff))
            let why = error.map { " \($0); retrying every \(retry)" } ?? " the source sends no new data"
            x += grid.put(why, x: x, y: rect.y, style: t.style(.crit), maxWidth: rect.maxX - x)
        case .paused(let since):
            x += grid.put(" PAUSED since \(clock(since)) ", x: x, y: rect.y, style: t.style(.warn).adding(.reverse))
            x += grid.put(" p resumes", x: x, y: rect.y, style: t.muted)
        case .waiting(let error):
            let text = error.map { " waiting for data: \($0)" } ?? " waiting for the first snapshot from \(s.config.sourceName)"
            x += grid.put(text, x: x, y: rect.y, style: error == nil ? t.muted : t.style(.warn), maxWidth: rect.width)
        case .live:
            x += grid.put(" LIVE ", x: x, y: rect.y, style: t.style(.ok).adding(.bold))
        }
        guard x < rect.maxX - 8 else { return }
        // Most useful first: whatever does not fit is cut from the end.
        var parts: [String] = [s.config.sourceName, "every \(Format.interval(s.poll.interval))"]
        if let last = s.poll.lastSuccess { parts.append("updated \(clock(last))") }
        if let m = s.snapshot?.model { parts.append("model \(m.version)") }
        let text = " " + parts.joined(separator: sep)
        grid.put(text, x: x, y: rect.y, style: t.label, maxWidth: rect.maxX - x)
    }
}
