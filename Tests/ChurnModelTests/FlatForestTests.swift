import Foundation
import Testing
@testable import ChurnModel

func bits(_ values: [Double]) -> [UInt64] { values.map(\.bitPattern) }

@Suite("Fast tree predictor")
struct FlatForestTests {
    static func referenceMargins(_ ensemble: TreeEnsemble, _ rows: [Double], width: Int) -> [Double] {
        rows.withUnsafeBufferPointer { b in (0..<(rows.count / width)).map { ensemble.margin(b.baseAddress! + $0 * width) } }
    }

    static func fastMargins(_ forest: FlatForest, _ rows: [Double], width: Int) -> (perRow: [Double], block: [Double]) {
        let n = rows.count / width
        var block = [Double](repeating: 0, count: n)
        let perRow = rows.withUnsafeBufferPointer { b in
            block.withUnsafeMutableBufferPointer { forest.margins(rows: b.baseAddress!, stride: width, count: n, into: $0.baseAddress!) }
            return (0..<n).map { forest.margin(b.baseAddress! + $0 * width) }
        }
        return (perRow, block)
    }

    @Test("block and per-row scoring give the reference traversal's margins bit for bit", arguments: [SplitComparison.lessOrEqual, .lessThanFloat32])
    func bitIdentical(comparison: SplitComparison) {
        var random = RandomForest(seed: comparison == .lessOrEqual ? 11 : 12, features: 7)
        // 29 trees: three groups of eight and a remainder; sizes from a lone leaf to deep, lopsided trees.
        let trees = (0..<29).map { k in random.tree(splits: [0, 1, 3, 15, 40][k % 5], comparison: comparison) }
        let ensemble = TreeEnsemble(baseMargin: -0.7, comparison: comparison, trees: trees)
        // 1,000 rows: blocks of 64 and a partial block.
        let rows = random.rows(1000, comparison: comparison)
        let reference = Self.referenceMargins(ensemble, rows, width: 7)
        let fast = Self.fastMargins(FlatForest(ensemble), rows, width: 7)
        #expect(bits(fast.perRow) == bits(reference))
        #expect(bits(fast.block) == bits(reference))
    }

    @Test("a node shared by several parents (imported categorical chains) is walked like the reference")
    func sharedChildren() {
        // Node 0 and node 1 both send their right branch to node 2; node 1's left goes to leaf 3.
        let dag = DecisionTree(feature: [0, 1, 2, -1, -1, -1], threshold: [0.5, 0.5, 1.5, 0, 0, 0],
                               left: [1, 3, 4, -1, -1, -1], right: [2, 2, 5, -1, -1, -1],
                               defaultLeft: [true, false, true, true, true, true],
                               value: [0, 0, 0, 0.25, -0.5, 1.0], cover: [1, 1, 1, 1, 1, 1])
        #expect(dag.validate(featureCount: 3) == nil)
        let ensemble = TreeEnsemble(baseMargin: 0.1, comparison: .lessOrEqual, trees: [dag, dag])
        var rows: [Double] = []
        for a in [0.0, 1.0, .nan] { for b in [0.0, 1.0, .nan] { for c in [1.0, 2.0, .nan] { rows += [a, b, c] } } }
        let reference = Self.referenceMargins(ensemble, rows, width: 3)
        let fast = Self.fastMargins(FlatForest(ensemble), rows, width: 3)
        #expect(bits(fast.perRow) == bits(reference))
        #expect(bits(fast.block) == bits(reference))
    }

    @Test("x <= float32Boundary(t) decides exactly as Float(x) < Float(t)")
    func float32Boundary() {
        var rng = SplitMix64(seed: 5)
        var thresholds: [Double] = [0, -0.0, 1, -1, 0.1, -0.1, 93.5, 1e-45, -1e-45, 1e-40, 3.4028234663852886e38,
                                    -3.4028234663852886e38, 3.5e38, 1e300, -1e300]
        for _ in 0..<2000 {
            let magnitude = pow(10, rng.nextUnit() * 20 - 10)
            thresholds.append((rng.nextUnit() < 0.5 ? -1 : 1) * magnitude)
            thresholds.append(Double(Float(thresholds.last!)))
        }
        for t in thresholds {
            let f = Float(t)
            let d = FlatForest.float32Boundary(t)
            var probes = [d, d.nextUp, d.nextDown, Double(f), Double(f).nextUp, Double(f).nextDown, t, t.nextUp, t.nextDown,
                          .infinity, -.infinity, 0, -0.0]
            if f.nextDown.isFinite { probes += [Double(f.nextDown), (Double(f.nextDown) + Double(f)) / 2] }
            // The one documented exception: when Float(t) is -∞, -∞ itself would pass (inputs are finite or NaN).
            for x in probes where !(f == -.infinity && x == -.infinity) {
                #expect((x <= d) == (Float(x) < f), "t \(t) x \(x) boundary \(d)")
            }
        }
    }

    @Test("a model trained by churn train scores identically through the compiled predictor")
    func trainedModel() throws {
        let (artifact, table) = try TrainedTrees.train(rows: 4000, seed: 9)
        let matrix = FeatureMatrix(table: table)
        let width = matrix.columns.count
        let rows = (0..<matrix.rows).flatMap { matrix.row($0) }
        let compiled = CompiledPredictor(artifact.predictor)
        let reference = rows.withUnsafeBufferPointer { b in (0..<matrix.rows).map { artifact.predictor.probability(b.baseAddress! + $0 * width) } }
        let single = rows.withUnsafeBufferPointer { b in (0..<matrix.rows).map { compiled.probability(b.baseAddress! + $0 * width) } }
        let parallel = rows.withUnsafeBufferPointer { compiled.probabilities(matrix: $0.baseAddress!, count: matrix.rows, stride: width, threads: 2, sliceRows: 300) }
        #expect(bits(single) == bits(reference))
        #expect(bits(parallel) == bits(reference))
    }
}
