/// A rectangle of cells: column `x`, row `y`, `width` columns by `height` rows.
public struct Rect: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The rectangle shrunk by `by` cells on every side (a box's inside).
    public func inset(_ by: Int = 1) -> Rect {
        Rect(x: x + by, y: y + by, width: width - 2 * by, height: height - 2 * by)
    }

    /// The first `n` rows, and what is left below them.
    public func splitTop(_ n: Int) -> (Rect, Rect) {
        let n = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: n), Rect(x: x, y: y + n, width: width, height: height - n))
    }

    /// The last `n` rows, and what is left above them.
    public func splitBottom(_ n: Int) -> (rest: Rect, bottom: Rect) {
        let n = min(max(0, n), height)
        return (Rect(x: x, y: y, width: width, height: height - n), Rect(x: x, y: y + height - n, width: width, height: n))
    }

    /// The first `n` columns, and what is left to their right.
    public func splitLeft(_ n: Int) -> (Rect, Rect) {
        let n = min(max(0, n), width)
        return (Rect(x: x, y: y, width: n, height: height), Rect(x: x + n, y: y, width: width - n, height: height))
    }

    /// `count` columns of (nearly) equal width; leftover cells go to the first ones.
    public func columns(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        let base = width / count, extra = width % count
        var out: [Rect] = [], cx = x
        for i in 0..<count {
            let w = base + (i < extra ? 1 : 0)
            out.append(Rect(x: cx, y: y, width: w, height: height))
            cx += w
        }
        return out
    }

    /// `count` rows of (nearly) equal height; leftover rows go to the first ones.
    public func rows(_ count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        let base = height / count, extra = height % count
        var out: [Rect] = [], cy = y
        for i in 0..<count {
            let h = base + (i < extra ? 1 : 0)
            out.append(Rect(x: x, y: cy, width: width, height: h))
            cy += h
        }
        return out
    }

    /// A rectangle of at most `width` x `height` centred in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let w = min(w, width), h = min(h, height)
        return Rect(x: x + (width - w) / 2, y: y + (height - h) / 2, width: w, height: h)
    }
}
