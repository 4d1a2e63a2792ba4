/// A number drawn three rows tall, for tiles with room to spare and kiosk screens read from across a room:
/// half-block digits in UTF-8, seven-segment digits in ASCII.
public enum BigNumber {
    public static let height = 3

    /// Columns `text` takes when drawn big.
    public static func width(_ text: String, theme: Theme) -> Int {
        offsets(text, theme: theme).last.map { $0.x + $0.rows[0].count } ?? 0
    }

    public static func draw(_ grid: inout CellGrid, _ text: String, x: Int, y: Int, style: CellStyle, theme: Theme) {
        for (dx, rows) in offsets(text, theme: theme) {
            for (r, line) in rows.enumerated() {
                for (i, s) in line.unicodeScalars.enumerated() where s != " " { grid.set(x + dx + i, y + r, s, style) }
            }
        }
    }

    /// Each glyph with its column offset: one blank column between glyphs (so a decimal point never merges
    /// with the digits' bottom strokes), none before a thousands comma, so "1,794" stays narrow.
    static func offsets(_ text: String, theme: Theme) -> [(x: Int, rows: [String])] {
        var out: [(x: Int, rows: [String])] = []
        var x = 0
        for (i, ch) in text.enumerated() {
            let rows = glyph(ch, theme: theme)
            if i > 0 && ch != "," { x += 1 }
            out.append((x, rows))
            x += rows[0].count
        }
        return out
    }

    static func glyph(_ ch: Character, theme: Theme) -> [String] {
        theme.isASCII ? ascii(ch) : blocks(ch)
    }

    /// 3x5 pixel digits folded into three rows of half blocks.
    static let pixels: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 7, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 1, 1], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        "%": [5, 1, 2, 4, 5], "-": [0, 0, 7, 0, 0],
    ]

    static func blocks(_ ch: Character) -> [String] {
        if ch == "." { return [" ", " ", "▀"] }
        if ch == "," { return [" ", " ", "▄"] }
        if ch == " " { return [" ", " ", " "] }
        guard let p = pixels[ch] else { return [" ", String(ch), " "] }
        let rows = [p[0], p[1], p[2], p[3], p[4], 0]
        return (0..<3).map { r in
            let upper = rows[r * 2], lower = rows[r * 2 + 1]
            return String((0..<3).map { c -> Character in
                let bit = UInt8(4 >> c)
                switch (upper & bit != 0, lower & bit != 0) {
                case (true, true): return "█"
                case (true, false): return "▀"
                case (false, true): return "▄"
                case (false, false): return " "
                }
            })
        }
    }

    static let segments: [Character: [String]] = [
        "0": [" _ ", "| |", "|_|"], "1": ["   ", "  |", "  |"], "2": [" _ ", " _|", "|_ "], "3": [" _ ", " _|", " _|"],
        "4": ["   ", "|_|", "  |"], "5": [" _ ", "|_ ", " _|"], "6": [" _ ", "|_ ", "|_|"], "7": [" _ ", "  |", "  |"],
        "8": [" _ ", "|_|", "|_|"], "9": [" _ ", "|_|", " _|"], "%": ["   ", "o/ ", "/o "], "-": ["   ", " _ ", "   "],
        ".": [" ", " ", "."], ",": [" ", " ", ","], " ": [" ", " ", " "],
    ]

    static func ascii(_ ch: Character) -> [String] {
        segments[ch] ?? [" ", String(ch), " "]
    }
}
