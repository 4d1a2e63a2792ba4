/// A horizontal bar: `fraction` of the width filled, finer than one cell in UTF-8 (eighths), with optional
/// marks (e.g. thresholds) that stay visible over the filled part.
public enum Bar {
    public static func draw(_ grid: inout CellGrid, x: Int, y: Int, width: Int, fraction: Double, style: CellStyle,
                            theme: Theme, marks: [Double] = [], track: Bool = true) {
        guard width > 0 else { return }
        let g = theme.glyphs
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let eighths = Int((f * Double(width) * 8).rounded())
        let full = eighths / 8, rest = eighths % 8
        for i in 0..<width {
            if i < full {
                grid.set(x + i, y, g.barFull, style)
            } else if i == full && rest > 0 && !g.barPartials.isEmpty {
                grid.set(x + i, y, g.barPartials[rest - 1], style)
            } else if i == full && rest >= 4 && g.barPartials.isEmpty {
                grid.set(x + i, y, g.barFull, style)
            } else {
                grid.set(x + i, y, track ? g.barTrack : " ", theme.muted)
            }
        }
        for m in marks where m.isFinite && m >= 0 && m <= 1 {
            let mx = x + min(width - 1, Int((m * Double(width)).rounded(.down)))
            let covered = mx - x < full
            grid.set(mx, y, g.mark, covered ? style.adding(.reverse) : theme.label)
        }
    }

    /// The cell column a mark at `fraction` lands on (for tests and labels).
    public static func markColumn(x: Int, width: Int, fraction: Double) -> Int {
        x + min(width - 1, Int((fraction * Double(width)).rounded(.down)))
    }
}
