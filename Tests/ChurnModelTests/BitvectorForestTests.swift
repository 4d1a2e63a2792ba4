import Foundation
import Testing
@testable import ChurnModel

@Suite("Bitvector tree predictor")
struct BitvectorForestTests {
    static func margins(_ forest: BitvectorForest, _ rows: [Double], width: Int) -> (perRow: [Double], block: [Double]) {
        let n = rows.count / width
        var block = [Double](repeating: 0, count: n)
        let perRow = rows.withUnsafeBufferPointer { b in
            block.withUnsafeMutableBufferPointer { forest.margins(rows: b.baseAddress!, stride: width, count: n, into: $0.baseAddress!) }
            return (0..<n).map { forest.margin(b.baseAddress! + $0 * width) }
        }
        return (perRow, block)
    }

    @Test("per-row and block margins equal the reference traversal bit for bit, every tree shape up to 64 leaves",
          arguments: [SplitComparison.lessOrEqual, .lessThanFloat32])
    func bitIdentical(comparison: SplitComparison) throws {
        var random = RandomForest(seed: comparison == .lessOrEqual ? 21 : 22, features: 9)
        // A lone leaf, stumps, balanced-ish and lopsided trees, and the largest allowed (63 splits = 64 leaves).
        let trees = (0..<41).map { k in random.tree(splits: [0, 1, 2, 7, 14, 31, 50, 63][k % 8], comparison: comparison) }
        let ensemble = TreeEnsemble(baseMargin: 0.3, comparison: comparison, trees: trees)
        // 1,003 rows: full blocks of 16 and a partial one; values on, beside and between thresholds, and NaN.
        let rows = random.rows(1003, comparison: comparison)
        let forest = try #require(BitvectorForest(ensemble))
        let reference = FlatForestTests.referenceMargins(ensemble, rows, width: 9)
        let fast = Self.margins(forest, rows, width: 9)
        #expect(bits(fast.perRow) == bits(reference))
        #expect(bits(fast.block) == bits(reference))
    }

    @Test("trees of at most 16 leaves take the packed 16-bit form, with the same margins bit for bit",
          arguments: [SplitComparison.lessOrEqual, .lessThanFloat32])
    func packedSixteenLeaves(comparison: SplitComparison) throws {
        var random = RandomForest(seed: comparison == .lessOrEqual ? 31 : 32, features: 6)
        let trees = (0..<37).map { k in random.tree(splits: [0, 1, 4, 9, 15][k % 5], comparison: comparison) }
        let ensemble = TreeEnsemble(baseMargin: -1.1, comparison: comparison, trees: trees)
        let rows = random.rows(517, comparison: comparison)
        let forest = try #require(BitvectorForest(ensemble))
        #expect(forest.packedSplits != nil)
        let reference = FlatForestTests.referenceMargins(ensemble, rows, width: 6)
        let fast = Self.margins(forest, rows, width: 6)
        #expect(bits(fast.perRow) == bits(reference))
        #expect(bits(fast.block) == bits(reference))
        // One tree of 17 leaves keeps the whole forest on 64-bit words.
        let wide = try #require(BitvectorForest(TreeEnsemble(baseMargin: 0, comparison: comparison,
                                                              trees: trees + [random.tree(splits: 16, comparison: comparison)])))
        #expect(wide.packedSplits == nil)
    }

    @Test("missing values follow each node's default direction, feature by feature")
    func missingValues() throws {
        // Every value missing, then each feature missing alone: the default directions alone pick the leaves.
        var random = RandomForest(seed: 5, features: 4)
        let trees = (0..<12).map { _ in random.tree(splits: 20, comparison: .lessOrEqual) }
        let ensemble = TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: trees)
        var rows = [Double](repeating: .nan, count: 4)
        for f in 0..<4 {
            var row = random.rows(1, comparison: .lessOrEqual).map { $0.isNaN ? 0.25 : $0 }
            row[f] = .nan
            rows += row
        }
        let forest = try #require(BitvectorForest(ensemble))
        let reference = FlatForestTests.referenceMargins(ensemble, rows, width: 4)
        let fast = Self.margins(forest, rows, width: 4)
        #expect(bits(fast.perRow) == bits(reference))
        #expect(bits(fast.block) == bits(reference))
        // The all-missing row reaches different leaves than a row of zeros would in some tree, or the check is idle.
        let zeros = FlatForestTests.referenceMargins(ensemble, [0, 0, 0, 0], width: 4)
        #expect(zeros[0] != reference[0])
    }

    @Test("a tree of more than 64 leaves makes the bitvector form decline, and the predictor walks instead")
    func largeTreesFallBack() throws {
        var random = RandomForest(seed: 8, features: 5)
        let small = (0..<3).map { _ in random.tree(splits: 63, comparison: .lessOrEqual) }
        let big = random.tree(splits: 64, comparison: .lessOrEqual)
        #expect(BitvectorForest(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: small)) != nil)
        let ensemble = TreeEnsemble(baseMargin: -0.2, comparison: .lessOrEqual, trees: small + [big])
        #expect(BitvectorForest(ensemble) == nil)
        let predictor = CompiledPredictor(.trees(ensemble))
        guard case .forest = predictor.form else { Issue.record("expected the walking kernel"); return }
        let rows = random.rows(200, comparison: .lessOrEqual)
        let reference = rows.withUnsafeBufferPointer { b in (0..<200).map { Predictor.trees(ensemble).probability(b.baseAddress! + $0 * 5) } }
        let fast = rows.withUnsafeBufferPointer { predictor.probabilities(matrix: $0.baseAddress!, count: 200, stride: 5, threads: 2, sliceRows: 64) }
        #expect(bits(fast) == bits(reference))
    }

    @Test("auto takes bitvectors for blocks (lone rows through trees no deeper than 4 walk); bitvector and walk force their kernel")
    func kernelChoice() throws {
        let (artifact, _) = try TrainedTrees.train(rows: 2000, seed: 6)
        guard case .trees(let shallow) = artifact.predictor else { Issue.record("not trees"); return }
        #expect(shallow.trees.allSatisfy { FlatForest.depth($0) <= 4 }, "churn train grows depth-4 trees")
        func form(_ e: TreeEnsemble, _ k: CompiledPredictor.TreeKernel) -> String {
            switch CompiledPredictor(.trees(e), trees: k).form {
            case .bitvector: "bitvector"
            case .forest: "walk"
            case .linear: "linear"
            }
        }
        #expect(form(shallow, .automatic) == "bitvector")
        #expect(CompiledPredictor(.trees(shallow), trees: .automatic).singleRow != nil, "a lone row walks depth-4 trees")
        #expect(CompiledPredictor(.trees(shallow), trees: .bitvector).singleRow == nil)
        #expect(form(shallow, .bitvector) == "bitvector")
        #expect(form(shallow, .walk) == "walk")
        var random = RandomForest(seed: 9, features: 5)
        let deep = TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: (0..<4).map { _ in random.tree(splits: 30, comparison: .lessOrEqual) })
        #expect(deep.trees.contains { FlatForest.depth($0) > 4 }, "30 random splits make a tree deeper than 4")
        #expect(form(deep, .automatic) == "bitvector")
        #expect(CompiledPredictor(.trees(deep), trees: .automatic).singleRow == nil)
        #expect(form(deep, .walk) == "walk")
    }

    @Test("shared subtrees (imported categorical chains) are copied per parent; copies count towards 64 leaves")
    func sharedSubtrees() throws {
        // Nodes 0 and 1 both send their right branch to node 2; node 1's left goes to leaf 3.
        let dag = DecisionTree(feature: [0, 1, 2, -1, -1, -1], threshold: [0.5, 0.5, 1.5, 0, 0, 0],
                               left: [1, 3, 4, -1, -1, -1], right: [2, 2, 5, -1, -1, -1],
                               defaultLeft: [true, false, true, true, true, true],
                               value: [0, 0, 0, 0.25, -0.5, 1.0], cover: [1, 1, 1, 1, 1, 1])
        let ensemble = TreeEnsemble(baseMargin: 0.1, comparison: .lessOrEqual, trees: [dag, dag])
        var rows: [Double] = []
        for a in [0.0, 1.0, .nan] { for b in [0.0, 1.0, .nan] { for c in [1.0, 2.0, .nan] { rows += [a, b, c] } } }
        let forest = try #require(BitvectorForest(ensemble))
        let reference = FlatForestTests.referenceMargins(ensemble, rows, width: 3)
        let fast = Self.margins(forest, rows, width: 3)
        #expect(bits(fast.perRow) == bits(reference))
        #expect(bits(fast.block) == bits(reference))

        // A chain of 7 nodes each sending both branches to the next has 2^7 = 128 root-to-leaf paths: too many.
        let n = 7
        let next: [Int32] = (1...n).map { Int32($0) } + [-1]
        let chain = DecisionTree(feature: [Int32](repeating: 0, count: n) + [-1], threshold: (0..<n).map { Double($0) } + [0],
                                 left: next, right: next,
                                 defaultLeft: [Bool](repeating: true, count: n + 1), value: [Double](repeating: 0.5, count: n + 1),
                                 cover: [Double](repeating: 1, count: n + 1))
        #expect(chain.validate(featureCount: 1) == nil)
        #expect(BitvectorForest(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [chain])) == nil)
    }

    @Test("a model trained by churn train: every kernel and the reference agree bit for bit")
    func trainedModel() throws {
        let (artifact, table) = try TrainedTrees.train(rows: 3000, seed: 4)
        guard case .trees(let ensemble) = artifact.predictor else { Issue.record("not trees"); return }
        #expect(BitvectorForest(ensemble) != nil)
        let matrix = FeatureMatrix(table: table)
        let width = matrix.columns.count
        let rows = (0..<matrix.rows).flatMap { matrix.row($0) }
        let reference = rows.withUnsafeBufferPointer { b in (0..<matrix.rows).map { artifact.predictor.probability(b.baseAddress! + $0 * width) } }
        for kernel in CompiledPredictor.TreeKernel.allCases {
            let compiled = CompiledPredictor(artifact.predictor, trees: kernel)
            let single = rows.withUnsafeBufferPointer { b in (0..<matrix.rows).map { compiled.probability(b.baseAddress! + $0 * width) } }
            let parallel = rows.withUnsafeBufferPointer {
                compiled.probabilities(matrix: $0.baseAddress!, count: matrix.rows, stride: width, threads: 2, sliceRows: 300)
            }
            #expect(bits(single) == bits(reference), "\(kernel)")
            #expect(bits(parallel) == bits(reference), "\(kernel)")
        }
    }
}
