/// A small column chart of recent samples, newest on the right: braille (two samples per cell, four dots per
/// row) or eighth blocks in UTF-8, a coarse ASCII ramp otherwise. Missing samples (nil) leave a gap.
public enum Sparkline {
    /// Samples that fit a chart `width` cells wide.
    public static func capacity(width: Int, theme: Theme) -> Int { theme.glyphs.braille ? width * 2 : width }

    public static func draw(_ grid: inout CellGrid, _ rect: Rect, values: [Double?], theme: Theme,
                            style: CellStyle? = nil, ceiling: Double? = nil) {
        guard !rect.isEmpty else { return }
        let style = style ?? theme.chart
        let n = capacity(width: rect.width, theme: theme)
        let samples = Array(values.suffix(n))
        let top = max(ceiling ?? 0, samples.compactMap { $0 }.filter(\.isFinite).max() ?? 0)
        // Right-align: the newest sample sits in the last column.
        let offset = n - samples.count
        func level(_ i: Int, steps: Int) -> Int? {
            let j = i - offset
            guard j >= 0, j < samples.count, let v = samples[j], v.isFinite else { return nil }
            guard top > 0, v > 0 else { return 0 }
            // Any activity shows at least one step.
            return max(1, min(steps, Int((v / top * Double(steps)).rounded())))
        }
        if theme.glyphs.braille {
            let steps = rect.height * 4
            for cx in 0..<rect.width {
                let left = level(cx * 2, steps: steps), right = level(cx * 2 + 1, steps: steps)
                for r in 0..<rect.height {
                    let rowFromBottom = rect.height - 1 - r
                    var bits: UInt32 = 0
                    if let left { bits |= dots(min(4, max(0, left - rowFromBottom * 4)), column: 0) }
                    if let right { bits |= dots(min(4, max(0, right - rowFromBottom * 4)), column: 1) }
                    let scalar = bits == 0 ? " " : Unicode.Scalar(0x2800 + bits)!
                    grid.set(rect.x + cx, rect.y + r, scalar, style)
                }
            }
        } else {
            let ramp = theme.glyphs.sparkLevels
            let perRow = ramp.count - 1
            let steps = rect.height * perRow
            for cx in 0..<rect.width {
                let lv = level(cx, steps: steps)
                for r in 0..<rect.height {
                    let rowFromBottom = rect.height - 1 - r
                    let k = lv.map { min(perRow, max(0, $0 - rowFromBottom * perRow)) } ?? 0
                    grid.set(rect.x + cx, rect.y + r, ramp[k], style)
                }
            }
        }
    }

    /// Braille bits for `count` dots filled from the bottom of the left (0) or right (1) dot column.
    static func dots(_ count: Int, column: Int) -> UInt32 {
        let order: [UInt32] = column == 0 ? [0x40, 0x04, 0x02, 0x01] : [0x80, 0x20, 0x10, 0x08]
        return order.prefix(count).reduce(0, |)
    }
}
