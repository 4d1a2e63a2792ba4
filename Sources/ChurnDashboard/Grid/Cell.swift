/// One character cell of the screen: a single-width character and its style.
///
/// Text is sanitised before it reaches a cell (see `CellGrid.put`), so every cell holds exactly one printable,
/// single-column scalar: the grid's geometry is the terminal's geometry.
public struct Cell: Sendable, Equatable, Hashable {
    public var scalar: Unicode.Scalar
    public var style: CellStyle

    public init(_ scalar: Unicode.Scalar = " ", _ style: CellStyle = .plain) {
        self.scalar = scalar
        self.style = style
    }

    public static let blank = Cell()
}
