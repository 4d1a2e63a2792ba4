/// Fits a series to a chart's width: many points are merged into each column (by mean, or by max so a short
/// spike stays visible), few points are stretched over several columns. Nil points (no data) stay gaps.
public enum Resample {
    public enum Merge: Sendable { case mean, max }

    /// `values` as exactly `count` points, oldest first (empty when either is empty).
    public static func fit(_ values: [Double?], to count: Int, merge: Merge = .mean) -> [Double?] {
        let m = values.count
        guard m > 0, count > 0 else { return [] }
        guard m != count else { return values }
        return (0..<count).map { i in
            let lo = i * m / count
            let hi = max(lo + 1, (i + 1) * m / count)
            var sum = 0.0, top = -Double.infinity, n = 0
            for v in values[lo..<min(hi, m)] {
                guard let v, v.isFinite else { continue }
                sum += v
                top = Swift.max(top, v)
                n += 1
            }
            guard n > 0 else { return nil }
            return merge == .mean ? sum / Double(n) : top
        }
    }
}
