import ChurnMonitor
/// The bottom line: the keys that work right here, each key highlighted next to what it does.
public enum KeyBar {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, _ s: DashboardState) {
        let t = s.theme
        if s.editingFilter {
            var x = rect.x
            x += grid.put(" Filter: ", x: x, y: rect.y, style: t.accent)
            x += grid.put(s.filter, x: x, y: rect.y, style: .bold.adding(.underline), maxWidth: rect.width / 2)
            grid.set(x, rect.y, "_", .reverse)
            x += 2
            draw(&grid, x: x, rect: rect, [("Enter", "keep"), ("Esc", "clear")], theme: t)
            return
        }
        draw(&grid, x: rect.x, rect: rect, keys(s), theme: t)
    }

    /// The (key, action) pairs for the current panel, overlay and batch phase, most specific first.
    public static func keys(_ s: DashboardState) -> [(String, String)] {
        switch s.overlay {
        case .help: return [("Esc", "close help")]
        case .confirmQuit: return [("y", "quit"), ("n", "stay")]
        case .confirmModel(let action): return [("y", action.verb), ("n", "cancel")]
        case nil: break
        }
        if s.config.kiosk {
            return [("kiosk", "rotating every \(Format.interval(s.config.rotateEvery))"), ("?", "help"), ("q", "quit")]
        }
        var k: [(String, String)] = []
        let filter = s.filter.isEmpty ? ("/", "filter") : ("Esc", "clear filter")
        switch s.panel {
        case .overview: break
        case .model where s.config.modelControl != nil:
            if s.snapshot?.models?.contains(where: { $0.role == .canary }) == true { k.append(("P", "promote canary")) }
            k += [("B", "roll back"), ("j/k", "scroll"), filter]
        case .drift, .model, .alerts: k += [("j/k", "scroll"), filter]
        case .fleet: k += [("j/k", "scroll")]
        case .batch where s.config.batchUnavailable != nil: break
        case .batch:
            switch s.batch.phase {
            case .browsing:
                k += [("Enter", "open"), ("Bksp", "up"), s.filter.isEmpty ? ("/", "filter") : ("Esc", "clear filter")]
            case .checking: k += [("Esc", "back")]
            case .ready: k += [("Enter", "score"), ("Esc", "back")]
            case .running: k += [("Esc", "cancel")]
            case .cancelling: break
            case .finished: k += finishedKeys(s, filter: filter)
            case .rejected, .failed, .cancelled: k += [("Esc", "back")]
            }
        }
        k += [(s.config.fleet ? "1-6" : "1-5", "panels"), ("?", "help"), ("q", "quit"), ("t", "range \(s.range.label)"),
              ("p", s.poll.paused ? "resume" : "pause"), ("r", "refresh"), ("+/-", "interval")]
        return k
    }

    static func draw(_ grid: inout CellGrid, x startX: Int, rect: Rect, _ keys: [(String, String)], theme t: Theme) {
        var x = startX
        for (key, action) in keys {
            let w = DisplayText.width(key) + DisplayText.width(action) + 3
            guard x + w <= rect.maxX else { break }
            x += grid.put(" \(key)", x: x, y: rect.y, style: t.accent.adding(.reverse))
            x += grid.put(" \(action) ", x: x, y: rect.y, style: t.label)
        }
    }
}
