/// The rows and features one tree is grown on, drawn without replacement from a seeded generator.
struct RowSample: Sendable {
    /// Rows the tree sees, ascending (ascending rows keep the histogram loops' reads in order).
    var rows: [Int32]
    /// Rows left out, ascending; their margins are updated by routing them through the finished tree.
    var outOfSample: [Int32]
    /// Features the tree may split on, ascending.
    var features: [Int]

    /// Draws `share` of `rowCount` rows and `featureShare` of `candidates` (at least one of each).
    init(rowCount: Int, share: Double, candidates: [Int], featureShare: Double, using rng: inout SplitMix64) {
        if share >= 1 {
            rows = (0..<rowCount).map { Int32($0) }
            outOfSample = []
        } else {
            let k = min(rowCount, max(1, Int((Double(rowCount) * share).rounded())))
            (rows, outOfSample) = RowSample.split(k, of: rowCount, using: &rng)
        }
        if featureShare >= 1 || candidates.count <= 1 {
            features = candidates
        } else {
            let k = min(candidates.count, max(1, Int((Double(candidates.count) * featureShare).rounded())))
            // Partial Fisher–Yates: the first k slots end up a uniform sample.
            var pool = candidates
            for i in 0..<k {
                let j = i + Int(rng.next(upperBound: UInt64(pool.count - i)))
                pool.swapAt(i, j)
            }
            features = pool[0..<k].sorted()
        }
    }

    /// `k` of `0..<n` chosen uniformly without replacement, ascending (Knuth's selection sampling, one pass).
    static func select(_ k: Int, of n: Int, using rng: inout SplitMix64) -> [Int32] {
        split(k, of: n, using: &rng).chosen
    }

    /// Selection sampling that also returns the rows not chosen.
    static func split(_ k: Int, of n: Int, using rng: inout SplitMix64) -> (chosen: [Int32], rest: [Int32]) {
        // One spare slot on each side takes the write that the loop makes on the side a row does not join, so
        // the loop needs no branch (a coin flip per row would be mispredicted half the time).
        var chosen = [Int32](repeating: 0, count: k + 1)
        var rest = [Int32](repeating: 0, count: n - k + 1)
        var taken = 0
        chosen.withUnsafeMutableBufferPointer { chosen in
            rest.withUnsafeMutableBufferPointer { rest in
                for i in 0..<n {
                    // Row i is taken with probability (rows still needed) / (rows still to look at): exactly k in all.
                    // (The first test makes that certain when every remaining row is needed, whatever rounding does.)
                    let needed = k - taken
                    let take = needed >= n - i || Double(n - i) * rng.nextUnit() < Double(needed) ? 1 : 0
                    chosen[taken] = Int32(i)
                    rest[i - taken] = Int32(i)
                    taken += take
                }
            }
        }
        chosen.removeLast()
        rest.removeLast()
        return (chosen, rest)
    }
}
