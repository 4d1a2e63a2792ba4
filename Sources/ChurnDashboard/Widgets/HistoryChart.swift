import ChurnMonitor

/// A history across a tile's whole width: the series resampled to as many samples as the chart has columns
/// (two per cell in braille), and, when there is a row and room for it, an axis line under the chart with the
/// range's start on the left ("-24h"), "now" on the right, and the series' min and max between them.
public enum HistoryChart {
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, values: [Double?], range: HistoryRange?, theme: Theme,
                            style: CellStyle? = nil, ceiling: Double? = nil, merge: Resample.Merge = .mean,
                            format: (Double) -> String) {
        guard !rect.isEmpty, !values.isEmpty else { return }
        var chart = rect
        if rect.height >= 3 && rect.width >= 12 {
            chart = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - 1)
            axis(&grid, Rect(x: rect.x, y: rect.maxY - 1, width: rect.width, height: 1), values: values,
                 range: range ?? .live, theme: theme, format: format)
        }
        let samples = Resample.fit(values, to: Sparkline.capacity(width: chart.width, theme: theme), merge: merge)
        Sparkline.draw(&grid, chart, values: samples, theme: theme, style: style, ceiling: ceiling)
    }

    /// "-24h  min 1.2 max 30  now", dropping the min, then the max, when the row is too narrow.
    static func axis(_ grid: inout CellGrid, _ row: Rect, values: [Double?], range: HistoryRange, theme t: Theme,
                     format: (Double) -> String) {
        let start = range.startLabel, end = "now"
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        var middle = ""
        if let lo = finite.min(), let hi = finite.max() {
            let room = row.width - DisplayText.width(start) - DisplayText.width(end) - 2
            let both = "min \(format(lo)) max \(format(hi))", top = "max \(format(hi))"
            if DisplayText.width(both) <= room { middle = both } else if DisplayText.width(top) <= room { middle = top }
        }
        grid.put(start, x: row.x, y: row.y, style: t.muted)
        grid.putRight(end, right: row.maxX, y: row.y, style: t.muted)
        if !middle.isEmpty {
            let free = row.width - DisplayText.width(start) - DisplayText.width(end)
            let x = row.x + DisplayText.width(start) + (free - DisplayText.width(middle)) / 2
            grid.put(middle, x: x, y: row.y, style: t.label)
        }
    }
}
