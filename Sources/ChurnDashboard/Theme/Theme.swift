/// How the console looks on this terminal: the character set and whether colour is available.
///
/// Every piece of meaning has a colour-free carrier (a symbol, a word, bold or reverse); colour is added on
/// top when the terminal has it and `NO_COLOR` is not set.
public struct Theme: Sendable, Equatable {
    public var charset: Charset
    public var color: ColorMode
    public var glyphs: Glyphs

    public init(charset: Charset, color: ColorMode) {
        self.charset = charset
        self.color = color
        glyphs = Glyphs.of(charset)
    }

    public var isASCII: Bool { charset == .ascii }

    /// The style of a value or symbol at `severity`: coloured and bold in colour; bold (warn) or bold reverse
    /// (crit) in monochrome, so a critical value stands out without colour.
    public func style(_ severity: Severity) -> CellStyle {
        switch (color, severity) {
        case (.color, .ok): CellStyle(role: .ok)
        case (.color, .warn): CellStyle(.bold, role: .warn)
        case (.color, .crit): CellStyle(.bold, role: .crit)
        case (.color, .unknown): CellStyle(.dim, role: .muted)
        case (.mono, .ok): .plain
        case (.mono, .warn): .bold
        case (.mono, .crit): CellStyle([.bold, .reverse])
        case (.mono, .unknown): .dim
        }
    }

    /// Panel and box titles.
    public var title: CellStyle { color == .color ? CellStyle(.bold, role: .title) : .bold }
    /// Labels and units next to values.
    public var label: CellStyle { color == .color ? CellStyle(role: .muted) : .plain }
    /// Highlighted numbers.
    public var value: CellStyle { .bold }
    /// Secondary text.
    public var muted: CellStyle { color == .color ? CellStyle(.dim, role: .muted) : .dim }
    /// Accent (selected tab, key names).
    public var accent: CellStyle { color == .color ? CellStyle(.bold, role: .accent) : .bold }
    /// Box borders.
    public var border: CellStyle { color == .color ? CellStyle(role: .muted) : .plain }
    /// A selected table row.
    public var selection: CellStyle { .reverse }
    /// Bars and sparklines.
    public var chart: CellStyle { color == .color ? CellStyle(role: .accent) : .plain }

    /// Bars coloured by severity; plain in monochrome (the label next to the bar carries the meaning).
    public func bar(_ severity: Severity) -> CellStyle {
        guard color == .color else { return .plain }
        switch severity {
        case .ok: return CellStyle(role: .ok)
        case .warn: return CellStyle(role: .warn)
        case .crit: return CellStyle(role: .crit)
        case .unknown: return CellStyle(role: .muted)
        }
    }
}
