/// A bordered box with a title on its top edge; returns the rectangle inside the border.
public enum Box {
    @discardableResult
    public static func draw(_ grid: inout CellGrid, _ rect: Rect, title: String, theme: Theme,
                            titleStyle: CellStyle? = nil, badge: (text: String, style: CellStyle)? = nil) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let g = theme.glyphs, b = theme.border
        for x in rect.x + 1..<rect.maxX - 1 {
            grid.set(x, rect.y, g.horizontal, b)
            grid.set(x, rect.maxY - 1, g.horizontal, b)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            grid.set(rect.x, y, g.vertical, b)
            grid.set(rect.maxX - 1, y, g.vertical, b)
        }
        grid.set(rect.x, rect.y, g.topLeft, b)
        grid.set(rect.maxX - 1, rect.y, g.topRight, b)
        grid.set(rect.x, rect.maxY - 1, g.bottomLeft, b)
        grid.set(rect.maxX - 1, rect.maxY - 1, g.bottomRight, b)
        var used = 0
        if let badge, rect.width > 6 {
            let w = DisplayText.width(badge.text) + 2
            let bx = rect.maxX - 1 - w
            grid.put(" " + badge.text + " ", x: bx, y: rect.y, style: badge.style, maxWidth: rect.width - 4)
            used = w
        }
        if !title.isEmpty, rect.width > 4 {
            grid.put(" " + title + " ", x: rect.x + 1, y: rect.y, style: titleStyle ?? theme.title,
                     maxWidth: max(0, rect.width - 3 - used))
        }
        return rect.inset()
    }
}
