/// The cells that differ between two frames: what a backend has to send to the terminal.
public enum GridDiff {
    /// One changed cell.
    public struct Change: Sendable, Equatable {
        public var x: Int
        public var y: Int
        public var cell: Cell
    }

    /// Changed cells in row-major order; every cell of `new` when the sizes differ or there is no previous frame.
    public static func changes(from old: CellGrid?, to new: CellGrid) -> [Change] {
        var out: [Change] = []
        let sameSize = old.map { $0.width == new.width && $0.height == new.height } ?? false
        for y in 0..<new.height {
            for x in 0..<new.width {
                let cell = new[x, y]
                if sameSize, let old, old[x, y] == cell { continue }
                out.append(Change(x: x, y: y, cell: cell))
            }
        }
        return out
    }
}
