/// A scrolling table with a header row, fixed and flexible columns, an optional selected row and a scroll
/// indicator. The caller keeps the scroll offset in state; `visibleRows` tells it how many rows fit.
public enum Table {
    /// A column: a title, a width (0 = share the remaining width) and an alignment.
    public struct Column: Sendable {
        public var title: String
        public var width: Int
        public var alignRight: Bool

        public init(_ title: String, width: Int = 0, alignRight: Bool = false) {
            self.title = title
            self.width = width
            self.alignRight = alignRight
        }
    }

    /// One cell's text and style.
    public struct Item: Sendable {
        public var text: String
        public var style: CellStyle?

        public init(_ text: String, _ style: CellStyle? = nil) {
            self.text = text
            self.style = style
        }
    }

    /// Data rows that fit in `rect` below the header.
    public static func visibleRows(_ rect: Rect) -> Int { max(0, rect.height - 1) }

    /// Scroll offset that keeps `selected` visible and never scrolls past the end.
    public static func clampScroll(_ scroll: Int, rows: Int, visible: Int, selected: Int? = nil) -> Int {
        var s = max(0, min(scroll, rows - visible))
        if let selected {
            if selected < s { s = selected }
            if selected >= s + visible { s = selected - visible + 1 }
        }
        return max(0, s)
    }

    public static func draw(_ grid: inout CellGrid, _ rect: Rect, columns: [Column], rows: [[Item]], scroll: Int,
                            selected: Int? = nil, theme: Theme, emptyText: String = "no rows") {
        guard rect.height >= 1, rect.width >= 4 else { return }
        let widths = layout(columns, width: rect.width)
        var x = rect.x
        for (c, col) in columns.enumerated() where widths[c] > 0 {
            let text = col.alignRight ? Format.padLeft(col.title, widths[c] - 1) : col.title
            grid.put(text, x: x, y: rect.y, style: theme.title.adding(.underline), maxWidth: widths[c] - 1)
            x += widths[c]
        }
        let visible = visibleRows(rect)
        if rows.isEmpty {
            if visible > 0 { grid.put(emptyText, x: rect.x, y: rect.y + 1, style: theme.muted, maxWidth: rect.width) }
            return
        }
        let start = clampScroll(scroll, rows: rows.count, visible: visible, selected: selected)
        for (i, row) in rows[start..<min(rows.count, start + visible)].enumerated() {
            let y = rect.y + 1 + i
            let isSelected = selected == start + i
            if isSelected { grid.fill(Rect(x: rect.x, y: y, width: rect.width, height: 1), " ", theme.selection) }
            var x = rect.x
            for (c, item) in row.enumerated() where c < columns.count && widths[c] > 0 {
                var style = item.style ?? .plain
                if isSelected { style = style.adding(.reverse) }
                let w = widths[c] - 1
                let text = columns[c].alignRight ? Format.padLeft(item.text, w) : item.text
                grid.put(text, x: x, y: y, style: style, maxWidth: w)
                x += widths[c]
            }
        }
        // Say that there is more, so a cut-off list never looks complete. The marks go on the lines just above
        // and below the table (a box's borders), where they hide no data.
        let below = rows.count - start - visible
        if start > 0 {
            grid.putRight(" \(theme.glyphs.upArrow)\(start) more ", right: rect.maxX - 1, y: rect.y - 1, style: theme.accent)
        }
        if below > 0 {
            grid.putRight(" \(theme.glyphs.downArrow)\(below) more ", right: rect.maxX - 1, y: rect.maxY, style: theme.accent)
        }
    }

    /// Column widths (including one separating space each) that fill `width`.
    static func layout(_ columns: [Column], width: Int) -> [Int] {
        let fixed = columns.reduce(0) { $0 + ($1.width > 0 ? $1.width + 1 : 0) }
        let flex = columns.filter { $0.width == 0 }.count
        let share = flex > 0 ? max(4, (width - fixed) / flex) : 0
        var widths = columns.map { $0.width > 0 ? $0.width + 1 : share }
        // Drop columns from the right that do not fit at all.
        var total = 0
        for i in widths.indices {
            if total >= width { widths[i] = 0 } else { widths[i] = min(widths[i], width - total) }
            total += widths[i]
        }
        return widths
    }
}
