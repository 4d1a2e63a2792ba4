/// A seeded split of row indexes that keeps the churn rate equal on both sides.
public struct StratifiedSplit: Sendable {
    public var first: [Int]
    public var second: [Int]

    /// Puts `share` of each class into `second`, the rest into `first`, shuffled by `seed`.
    public init(labels: [UInt8], share: Double, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var first: [Int] = []
        var second: [Int] = []
        for cls in [UInt8(0), 1] {
            var idx = labels.indices.filter { labels[$0] == cls }
            idx.shuffle(using: &rng)
            let k = Int((Double(idx.count) * share).rounded())
            second += idx[0..<k]
            first += idx[k...]
        }
        self.first = first.sorted()
        self.second = second.sorted()
    }
}

/// A seeded assignment of rows to `folds` folds with the churn rate equal in each.
public struct StratifiedFolds: Sendable {
    /// Fold of each row.
    public var fold: [Int]

    public init(labels: [UInt8], folds: Int, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        for cls in [UInt8(0), 1] {
            var idx = labels.indices.filter { labels[$0] == cls }
            idx.shuffle(using: &rng)
            for (k, i) in idx.enumerated() { fold[i] = k % folds }
        }
        self.fold = fold
    }

    /// Rows whose fold satisfies `predicate`, ascending.
    public func indexes(where predicate: (Int) -> Bool) -> [Int] {
        fold.indices.filter { predicate(fold[$0]) }
    }
}

/// A small, fast, seedable generator (SplitMix64), so splits and samples repeat exactly for a seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1).
    @inline(__always)
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }
}
