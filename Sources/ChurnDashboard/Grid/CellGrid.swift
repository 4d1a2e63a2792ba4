#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
/// The screen as a plain value: `width` x `height` cells. Every frame is rendered in full into a fresh grid;
/// the terminal backend then sends only the cells that differ from the previous frame.
///
/// Writes outside the grid (or outside the current clip rectangle) are dropped, so widgets never have to
/// check bounds and a small terminal cannot crash a panel.
public struct CellGrid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// Replace every non-ASCII scalar written by `?` (ASCII mode).
    public let asciiOnly: Bool
    public private(set) var cells: [Cell]
    /// Writes are limited to this rectangle (the whole grid by default).
    public var clip: Rect

    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank, count: self.width * self.height)
        clip = Rect(x: 0, y: 0, width: self.width, height: self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
    }

    private func writable(_ x: Int, _ y: Int) -> Bool {
        x >= clip.x && x < clip.maxX && y >= clip.y && y < clip.maxY && x >= 0 && y >= 0 && x < width && y < height
    }

    /// Sets one cell (dropped when outside the clip rectangle).
    public mutating func set(_ x: Int, _ y: Int, _ scalar: Unicode.Scalar, _ style: CellStyle = .plain) {
        guard writable(x, y) else { return }
        let s: Unicode.Scalar = asciiOnly && scalar.value > 0x7e ? "?" : scalar
        cells[y * width + x] = Cell(s, style)
    }

    /// Changes the style of one cell, keeping its character.
    public mutating func restyle(_ x: Int, _ y: Int, _ style: CellStyle) {
        guard writable(x, y) else { return }
        cells[y * width + x].style = style
    }

    /// Writes `text` from (x, y) rightwards, at most `maxWidth` columns; returns the columns used.
    /// Text is sanitised (see `DisplayText`); a string that does not fit ends in `…` (or `~` in ASCII mode).
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        var scalars = DisplayText.scalars(text, ascii: asciiOnly)
        let limit = maxWidth ?? (width - x)
        guard limit > 0 else { return 0 }
        if scalars.count > limit {
            scalars = Array(scalars.prefix(limit))
            scalars[limit - 1] = asciiOnly ? "~" : "…"
        }
        for (i, s) in scalars.enumerated() { set(x + i, y, s, style) }
        return scalars.count
    }

    /// Writes `text` right-aligned so that it ends just before column `right`.
    @discardableResult
    public mutating func putRight(_ text: String, right: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        let w = min(DisplayText.width(text, ascii: asciiOnly), maxWidth ?? Int.max)
        return put(text, x: right - w, y: y, style: style, maxWidth: w)
    }

    /// Fills a rectangle with one character and style.
    public mutating func fill(_ rect: Rect, _ scalar: Unicode.Scalar = " ", _ style: CellStyle = .plain) {
        for yy in rect.y..<max(rect.y, rect.maxY) {
            for xx in rect.x..<max(rect.x, rect.maxX) { set(xx, yy, scalar, style) }
        }
    }

    /// Adds attributes to every cell of a rectangle (e.g. dims stale numbers).
    public mutating func addAttributes(_ attributes: CellStyle.Attributes, in rect: Rect) {
        for yy in rect.y..<max(rect.y, rect.maxY) {
            for xx in rect.x..<max(rect.x, rect.maxX) where writable(xx, yy) {
                cells[yy * width + xx].style.attributes.formUnion(attributes)
            }
        }
    }

    /// Runs `body` with writes limited to `rect` (inside the current clip), then restores the clip.
    public mutating func clipped(to rect: Rect, _ body: (inout CellGrid) -> Void) {
        let saved = clip
        let x0 = max(rect.x, saved.x), y0 = max(rect.y, saved.y)
        let x1 = min(rect.maxX, saved.maxX), y1 = min(rect.maxY, saved.maxY)
        clip = Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        body(&self)
        clip = saved
    }

    // MARK: Reading back (tests, `churn snapshot`)

    /// Row `y` as text, trailing spaces kept.
    public func row(_ y: Int) -> String {
        var s = String.UnicodeScalarView()
        for x in 0..<width { s.append(self[x, y].scalar) }
        return String(s)
    }

    /// Every row, trailing spaces removed.
    public var lines: [String] {
        (0..<height).map { y in
            var line = row(y)
            while line.last == " " { line.removeLast() }
            return line
        }
    }

    /// The whole grid as text, one line per row.
    public var text: String { lines.joined(separator: "\n") }

    /// The first position (column, row) where `needle` appears on one row.
    public func find(_ needle: String) -> (x: Int, y: Int)? {
        for y in 0..<height {
            let r = row(y)
            if let range = r.firstRange(of: needle) {
                return (r.unicodeScalars.distance(from: r.unicodeScalars.startIndex, to: range.lowerBound), y)
            }
        }
        return nil
    }

    public func contains(_ needle: String) -> Bool { find(needle) != nil }

    /// Every distinct colour role used anywhere on the grid.
    public var rolesUsed: Set<ColorRole> { Set(cells.map(\.style.role)) }

    /// Whether any cell holds a scalar outside printable ASCII.
    public var hasNonASCII: Bool { cells.contains { $0.scalar.value > 0x7e || $0.scalar.value < 0x20 } }
}
