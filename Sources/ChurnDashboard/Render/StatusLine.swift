import ChurnMonitor
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
        // Facts give way in StatusText's order (short forms, a squeezed source, dropped facts) before any is cut.
        let every = Format.interval(s.poll.interval)
        var parts = [StatusText.Part(s.config.sourceName, squeeze: true),
                     StatusText.Part("every \(every)", short: every, shortenRank: 1, dropRank: 0)]
        if let last = s.poll.lastSuccess { parts.append(StatusText.Part("updated \(clock(last))", short: clock(last), dropRank: 1)) }
        if let m = s.snapshot?.model { parts.append(StatusText.Part("model \(m.version)", short: m.version, shortenRank: 2)) }
        let text = " " + StatusText.fit(parts, separator: sep, width: rect.maxX - x - 1, ellipsis: t.glyphs.ellipsis)
        grid.put(text, x: x, y: rect.y, style: t.label, maxWidth: rect.maxX - x)
    }
}
