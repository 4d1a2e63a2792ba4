import Foundation
import Testing
@testable import ChurnModel

/// TreeSHAP against the definition: Shapley values by enumerating every subset of features, with a subset's
/// value the path-dependent conditional expectation (known features follow the row, unknown ones split by cover).
@Suite("TreeSHAP equals brute-force Shapley values")
struct TreeSHAPTests {
    /// A small deterministic generator, so a failure names a seed that reproduces it.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func uniform() -> Double { Double(next() % 1_000_000) / 1_000_000 }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// A random tree on `features` features (repeats on a path allowed) with leaf covers drawn at random and
    /// internal covers their sums, or, with `consistentCovers` false, every cover drawn independently.
    static func randomTree(_ g: inout Generator, features: Int, maxDepth: Int, consistentCovers: Bool) -> DecisionTree {
        var t = DecisionTree(feature: [], threshold: [], left: [], right: [], defaultLeft: [], value: [], cover: [])
        func add(depth: Int) -> Int {
            let i = t.feature.count
            let isLeaf = depth == maxDepth || (depth > 0 && g.uniform() < 0.25)
            t.feature.append(isLeaf ? -1 : Int32(g.int(features)))
            t.threshold.append(g.uniform())
            t.left.append(-1)
            t.right.append(-1)
            t.defaultLeft.append(g.uniform() < 0.5)
            t.value.append(g.uniform() * 2 - 1)
            t.cover.append(1 + g.uniform() * 20)
            if !isLeaf {
                let l = add(depth: depth + 1)
                let r = add(depth: depth + 1)
                t.left[i] = Int32(l)
                t.right[i] = Int32(r)
                if consistentCovers { t.cover[i] = t.cover[l] + t.cover[r] }
            }
            return i
        }
        _ = add(depth: 0)
        return t
    }

    /// E[tree | features in `known` as in x], unknown features' branches weighed by their share of the cover.
    static func conditional(_ t: DecisionTree, _ node: Int, _ x: [Double], known: Set<Int>, _ comparison: SplitComparison) -> Double {
        let f = Int(t.feature[node])
        if f < 0 { return t.value[node] }
        let l = Int(t.left[node]), r = Int(t.right[node])
        if known.contains(f) {
            let goesLeft = x[f].isNaN ? t.defaultLeft[node] : TreeEnsemble.goesLeft(x[f], t.threshold[node], comparison)
            return conditional(t, goesLeft ? l : r, x, known: known, comparison)
        }
        let c = t.cover[node], cl = t.cover[l], cr = t.cover[r]
        let total = abs(cl + cr - c) <= 1e-3 * c ? c : cl + cr
        return cl / total * conditional(t, l, x, known: known, comparison) + cr / total * conditional(t, r, x, known: known, comparison)
    }

    static func factorial(_ n: Int) -> Double { n <= 1 ? 1 : Double(n) * factorial(n - 1) }

    /// Shapley value of every feature by enumerating all 2^m subsets.
    static func bruteForce(_ e: TreeEnsemble, _ x: [Double], features m: Int) -> [Double] {
        func value(_ s: Set<Int>) -> Double { e.trees.reduce(0) { $0 + conditional($1, 0, x, known: s, e.comparison) } }
        var phi = [Double](repeating: 0, count: m)
        for i in 0..<m {
            let others = (0..<m).filter { $0 != i }
            for mask in 0..<(1 << others.count) {
                let s = Set(others.indices.filter { mask & (1 << $0) != 0 }.map { others[$0] })
                let weight = factorial(s.count) * factorial(m - s.count - 1) / factorial(m)
                phi[i] += weight * (value(s.union([i])) - value(s))
            }
        }
        return phi
    }

    static func randomRow(_ g: inout Generator, features m: Int) -> [Double] {
        (0..<m).map { _ in g.uniform() < 0.15 ? .nan : g.uniform() }
    }

    @Test("random trees: repeated features on a path, missing values, both split rules, covers that add up or not",
          arguments: 0..<40)
    func matchesBruteForce(seed: Int) throws {
        var g = Generator(state: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        let m = 2 + g.int(4)
        let trees = (0..<(1 + g.int(3))).map { _ in
            Self.randomTree(&g, features: m, maxDepth: 1 + g.int(5), consistentCovers: seed % 4 != 3)
        }
        let ensemble = TreeEnsemble(baseMargin: g.uniform() - 0.5, comparison: seed % 2 == 0 ? .lessOrEqual : .lessThanFloat32, trees: trees)
        // Both ways of computing: per-leaf tables (the default) and the recursion (no table budget).
        let tables = try #require(TreeExplainer(ensemble))
        let recursion = try #require(TreeExplainer(ensemble, tableBudget: 0))
        #expect(tables.tables.allSatisfy { $0 != nil } && recursion.tables.allSatisfy { $0 == nil })
        for _ in 0..<8 {
            let x = Self.randomRow(&g, features: m)
            let expected = Self.bruteForce(ensemble, x, features: m)
            let margin = x.withUnsafeBufferPointer { ensemble.margin($0.baseAddress!) }
            for explainer in [tables, recursion] {
                let ours = x.withUnsafeBufferPointer { explainer.contributions($0.baseAddress!, featureCount: m) }
                for j in 0..<m {
                    #expect(abs(ours[j] - expected[j]) <= 1e-9, "seed \(seed) feature \(j): \(ours[j]) vs \(expected[j])")
                }
                // Efficiency: the base value (nothing known) plus the contributions is the margin (everything known).
                #expect(abs(explainer.baseValue + ours.reduce(0, +) - margin) <= 1e-9)
            }
        }
    }

    @Test("a feature the row's path never reaches can still matter, and one no tree splits on gets exactly 0")
    func unusedFeatures() throws {
        // x0 <= 0.5 ? (x1 <= 0.5 ? 1 : 3) : 10, covers 4 = (2 = 1 + 1) + 2; feature 2 is never used.
        let tree = DecisionTree(feature: [0, 1, -1, -1, -1], threshold: [0.5, 0.5, 0, 0, 0], left: [1, 2, -1, -1, -1],
                                right: [4, 3, -1, -1, -1], defaultLeft: [true, true, true, true, true],
                                value: [0, 0, 1, 3, 10], cover: [4, 2, 1, 1, 2])
        let explainer = try #require(TreeExplainer(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [tree]), tableBudget: 0))
        // E = (1 + 3)/4 + 10/2 = 6. Row (1, 0, 7) reaches 10: x0 alone moves 6 → 10; x1 only matters with x0 unknown.
        let phi = [1.0, 0, 7].withUnsafeBufferPointer { explainer.contributions($0.baseAddress!, featureCount: 3) }
        #expect(abs(explainer.baseValue - 6) < 1e-12)
        // v({}) = 6, v({0}) = 10, v({1}) = 0.5·1 + 0.5·10 = 5.5, v({0,1}) = 10.
        // φ0 = ½(10 − 6) + ½(10 − 5.5) = 4.25, φ1 = ½(5.5 − 6) + ½(10 − 10) = −0.25.
        #expect(abs(phi[0] - 4.25) < 1e-12)
        #expect(abs(phi[1] + 0.25) < 1e-12)
        #expect(phi[2] == 0)
    }

    @Test("a table budget too small for the next tree leaves it (and only it) to the recursion")
    func tableBudget() throws {
        var g = Generator(state: 99)
        let trees = (0..<3).map { _ in Self.randomTree(&g, features: 4, maxDepth: 3, consistentCovers: true) }
        let ensemble = TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: trees)
        let full = try #require(TreeExplainer(ensemble))
        let first = try #require(full.tables[0]).values.count
        let partial = try #require(TreeExplainer(ensemble, tableBudget: first))
        #expect(partial.tables[0] != nil && partial.tables[1] == nil && partial.tables[2] == nil)
        let x = Self.randomRow(&g, features: 4)
        let a = x.withUnsafeBufferPointer { full.contributions($0.baseAddress!, featureCount: 4) }
        let b = x.withUnsafeBufferPointer { partial.contributions($0.baseAddress!, featureCount: 4) }
        for j in 0..<4 { #expect(abs(a[j] - b[j]) <= 1e-12) }
    }

    @Test("trees without usable covers have no TreeSHAP; single-leaf trees need none")
    func coversRequired() {
        var tree = DecisionTree(feature: [0, -1, -1], threshold: [0.5, 0, 0], left: [1, -1, -1], right: [2, -1, -1],
                                defaultLeft: [true, true, true], value: [0, 1, 2], cover: [0, 0, 0])
        #expect(TreeExplainer(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [tree])) == nil)
        tree.cover = [2, 1, .nan]
        #expect(TreeExplainer(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [tree])) == nil)
        let stump = TreeExplainer(TreeEnsemble(baseMargin: 0.25, comparison: .lessOrEqual, trees: [.leaf(0.5)]))
        #expect(stump?.baseValue == 0.75)
        // A chain of 40 splits whose two children are the same next node has 2^40 paths: not walked.
        let n = 41
        let chain = DecisionTree(feature: (0..<n).map { $0 < n - 1 ? 0 : -1 }, threshold: [Double](repeating: 0.5, count: n),
                                 left: (0..<n).map { $0 < n - 1 ? Int32($0 + 1) : -1 }, right: (0..<n).map { $0 < n - 1 ? Int32($0 + 1) : -1 },
                                 defaultLeft: [Bool](repeating: true, count: n), value: [Double](repeating: 1, count: n),
                                 cover: [Double](repeating: 1, count: n))
        #expect(chain.validate(featureCount: 1) == nil)
        #expect(TreeExplainer(TreeEnsemble(baseMargin: 0, comparison: .lessOrEqual, trees: [chain])) == nil)
    }
}
