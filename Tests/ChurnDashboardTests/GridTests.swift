import ChurnDashboard
import Testing

@Suite("Cell grid")
struct GridTests {
    @Test("text past the edge is cut with an ellipsis, never wrapped")
    func truncation() {
        var g = CellGrid(width: 10, height: 2)
        g.put("abcdefghijklmnop", x: 2, y: 0)
        #expect(g.row(0) == "  abcdefg…")
        #expect(g.row(1) == "          ")
    }

    @Test("control characters (ESC) and wide characters become '?', so outside text cannot steer the terminal")
    func sanitising() {
        var g = CellGrid(width: 20, height: 1)
        g.put("a\u{1b}[2Jb\u{7}c漢d", x: 0, y: 0)
        #expect(g.row(0).hasPrefix("a?[2Jb?c?d"))
        #expect(!g.cells.contains { $0.scalar.value < 0x20 })
    }

    @Test("ASCII grids hold only ASCII, whatever is written")
    func asciiOnly() {
        var g = CellGrid(width: 10, height: 1, asciiOnly: true)
        g.put("é█✓", x: 0, y: 0)
        g.set(5, 0, "┊")
        #expect(!g.hasNonASCII)
        #expect(g.row(0).hasPrefix("???  ?"))
    }

    @Test("writes outside the clip rectangle are dropped")
    func clipping() {
        var g = CellGrid(width: 10, height: 3)
        g.clipped(to: Rect(x: 2, y: 1, width: 3, height: 1)) { $0.put("XXXXXXX", x: 0, y: 1); $0.put("Y", x: 3, y: 0) }
        #expect(g.lines == ["", "  XXX", ""])
    }

    @Test("the diff lists exactly the cells that changed")
    func diff() {
        var a = CellGrid(width: 8, height: 2)
        a.put("12:00:00", x: 0, y: 0)
        var b = a
        b.put("12:00:01", x: 0, y: 0)
        b.restyle(0, 1, .bold)
        let changes = GridDiff.changes(from: a, to: b)
        #expect(changes.map { "\($0.x),\($0.y)" } == ["7,0", "0,1"])
        #expect(GridDiff.changes(from: b, to: b).isEmpty)
        #expect(GridDiff.changes(from: nil, to: b).count == 16)
        #expect(GridDiff.changes(from: CellGrid(width: 4, height: 2), to: b).count == 16)
    }

    @Test("bars fill in eighths in UTF-8 and whole cells in ASCII; marks stay visible")
    func bars() {
        var g = CellGrid(width: 10, height: 2)
        let utf = Theme(charset: .utf8, color: .mono)
        Bar.draw(&g, x: 0, y: 0, width: 10, fraction: 0.55, style: .plain, theme: utf, marks: [0.8])
        #expect(g.row(0) == "█████▌··┊·")
        var a = CellGrid(width: 10, height: 1, asciiOnly: true)
        Bar.draw(&a, x: 0, y: 0, width: 10, fraction: 0.55, style: .plain, theme: Theme(charset: .ascii, color: .mono), marks: [0.2])
        #expect(a.row(0) == "##|###....")
        #expect(a[2, 0].style.isReverse)
    }

    @Test("sparklines put the newest sample on the right and scale to the largest")
    func sparkline() {
        var g = CellGrid(width: 4, height: 1)
        Sparkline.draw(&g, Rect(x: 0, y: 0, width: 4, height: 1), values: [0, 1, 2, 4], theme: Theme(charset: .ascii, color: .mono))
        let ramp = Glyphs.ascii.sparkLevels
        #expect(g.row(0).unicodeScalars.last == ramp.last)
        #expect(g.row(0).unicodeScalars.first == ramp.first)
        var b = CellGrid(width: 2, height: 1)
        Sparkline.draw(&b, Rect(x: 0, y: 0, width: 2, height: 1), values: [4, 4, 0, 4], theme: Theme(charset: .utf8, color: .mono))
        // Braille: two samples per cell; the full pair is ⣿, the (0, 4) pair fills the right column only.
        #expect(b.row(0) == "⣿⢸")
    }

    @Test("big numbers are three rows tall in both character sets")
    func bigNumbers() {
        for charset in [Charset.utf8, .ascii] {
            let t = Theme(charset: charset, color: .mono)
            var g = CellGrid(width: 20, height: 3, asciiOnly: charset == .ascii)
            BigNumber.draw(&g, "1,794", x: 0, y: 0, style: .bold, theme: t)
            #expect(BigNumber.width("1,794", theme: t) <= 16)
            #expect(g.lines.allSatisfy { !$0.isEmpty })
        }
    }
}
