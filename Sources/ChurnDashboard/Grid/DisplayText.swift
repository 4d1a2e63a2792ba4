/// Makes arbitrary text safe to place in single-width cells.
///
/// Text on screen comes partly from outside: customer ids, file names, error messages from a remote server.
/// Control characters (including ESC, which could steer the terminal) become `?`, combining marks are dropped,
/// and wide characters (CJK, emoji) become `?` so that one scalar is always one column. In ASCII mode every
/// non-ASCII scalar becomes `?`.
public enum DisplayText {
    public static func scalars(_ text: String, ascii: Bool) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.unicodeScalars.count)
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x20 || (v >= 0x7f && v < 0xa0) {
                out.append("?")
            } else if v < 0x7f {
                out.append(s)
            } else if ascii {
                out.append("?")
            } else if isZeroWidth(s) {
                continue
            } else if isWide(v) {
                out.append("?")
            } else {
                out.append(s)
            }
        }
        return out
    }

    /// Columns the text takes once sanitised.
    public static func width(_ text: String, ascii: Bool = false) -> Int { scalars(text, ascii: ascii).count }

    static func isZeroWidth(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return true
        default: return s.value == 0x200b
        }
    }

    /// East Asian wide and fullwidth ranges, and emoji: characters terminals draw two columns wide.
    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115f).contains(v) || (0x2e80...0x303e).contains(v) || (0x3041...0x33ff).contains(v)
            || (0x3400...0x4dbf).contains(v) || (0x4e00...0x9fff).contains(v) || (0xa000...0xa4cf).contains(v)
            || (0xac00...0xd7a3).contains(v) || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v)
            || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v) || (0x1f300...0x1faff).contains(v)
            || (0x20000...0x3fffd).contains(v) || (0xd800...0xdfff).contains(v) || v > 0x10ffff
    }
}
