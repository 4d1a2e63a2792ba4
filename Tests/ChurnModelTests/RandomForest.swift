@testable import ChurnModel

/// Random trees over a small grid of thresholds, so that rows often land exactly on a threshold.
struct RandomForest {
    var rng: SplitMix64
    let features: Int
    let grid: [Double]

    init(seed: UInt64, features: Int) {
        rng = SplitMix64(seed: seed)
        self.features = features
        grid = (0..<12).map { Double($0) * 0.25 - 1 }
    }

    mutating func unit() -> Double { rng.nextUnit() }

    mutating func int(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }

    /// A random binary tree of `splits` splits, laid out in the order the nodes are created (children after parents).
    mutating func tree(splits: Int, comparison: SplitComparison) -> DecisionTree {
        var t = DecisionTree(feature: [-1], threshold: [0], left: [-1], right: [-1], defaultLeft: [true], value: [0], cover: [1])
        var leaves = [0]
        for _ in 0..<splits {
            let k = int(leaves.count)
            let n = leaves.remove(at: k)
            t.feature[n] = Int32(int(features))
            t.threshold[n] = comparison == .lessThanFloat32 ? grid[int(grid.count)] + (unit() - 0.5) * 1e-7 : grid[int(grid.count)]
            t.defaultLeft[n] = unit() < 0.5
            for side in 0..<2 {
                let child = Int32(t.feature.count)
                t.feature.append(-1); t.threshold.append(0); t.left.append(-1); t.right.append(-1)
                t.defaultLeft.append(true); t.value.append((unit() - 0.5) * 0.2); t.cover.append(1)
                if side == 0 { t.left[n] = child } else { t.right[n] = child }
                leaves.append(Int(child))
            }
        }
        return t
    }

    /// Rows whose values sit on, just beside, or between the thresholds, with some NaN.
    mutating func rows(_ count: Int, comparison: SplitComparison) -> [Double] {
        (0..<(count * features)).map { _ in
            let g = grid[int(grid.count)]
            switch int(6) {
            case 0: return .nan
            case 1: return g
            case 2: return comparison == .lessThanFloat32 ? Double(Float(g).nextUp) : g.nextUp
            case 3: return comparison == .lessThanFloat32 ? Double(Float(g).nextDown) : g.nextDown
            case 4: return g + (unit() - 0.5) * 2e-7
            default: return (unit() - 0.5) * 4
            }
        }
    }
}
