/// The characters widgets draw with, in a UTF-8 and an ASCII variant.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Unicode.Scalar
    public var vertical: Unicode.Scalar
    public var topLeft: Unicode.Scalar
    public var topRight: Unicode.Scalar
    public var bottomLeft: Unicode.Scalar
    public var bottomRight: Unicode.Scalar
    /// A full bar cell and the partial cells 1/8 … 7/8 (empty in ASCII, which has no partial cells).
    public var barFull: Unicode.Scalar
    public var barPartials: [Unicode.Scalar]
    /// The unfilled part of a bar or gauge.
    public var barTrack: Unicode.Scalar
    /// A threshold mark drawn across a bar.
    public var mark: Unicode.Scalar
    /// Column-chart levels from empty to full, for one-row sparklines.
    public var sparkLevels: [Unicode.Scalar]
    /// Whether multi-row sparklines are drawn in braille (2 samples per cell, 4 dots high).
    public var braille: Bool
    public var ok: Unicode.Scalar
    public var warn: Unicode.Scalar
    public var crit: Unicode.Scalar
    public var unknown: Unicode.Scalar
    public var pending: Unicode.Scalar
    public var pointer: Unicode.Scalar
    public var separator: String
    public var arrow: String
    public var ellipsis: Unicode.Scalar
    public var upArrow: Unicode.Scalar
    public var downArrow: Unicode.Scalar

    public static let utf8 = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        barFull: "█", barPartials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], barTrack: "·", mark: "┊",
        sparkLevels: [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], braille: true,
        ok: "✓", warn: "▲", crit: "✖", unknown: "·", pending: "◔", pointer: "▶", separator: " · ", arrow: "→",
        ellipsis: "…", upArrow: "↑", downArrow: "↓")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        barFull: "#", barPartials: [], barTrack: ".", mark: "|",
        sparkLevels: [" ", "_", ".", "-", "=", "#"], braille: false,
        ok: "+", warn: "!", crit: "X", unknown: "?", pending: "~", pointer: ">", separator: " | ", arrow: "->",
        ellipsis: "~", upArrow: "^", downArrow: "v")

    public static func of(_ charset: Charset) -> Glyphs { charset == .utf8 ? .utf8 : .ascii }

    public func symbol(_ severity: Severity) -> Unicode.Scalar {
        switch severity {
        case .unknown: unknown
        case .ok: ok
        case .warn: warn
        case .crit: crit
        }
    }
}
