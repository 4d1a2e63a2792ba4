import Foundation
import Testing
@testable import ChurnModel

/// LightGBM's own rule (`Tree::NumericalDecision`), written out from its definition: true when the row goes left.
private func lightGBMGoesLeft(_ x: Double, threshold: Double, decisionType: Int) -> Bool {
    let missingType = (decisionType >> 2) & 3
    let defaultLeft = decisionType & 2 != 0
    let zero = Double(Float(1e-35))
    var v = x
    if v.isNaN && missingType != 2 { v = 0 }
    if (missingType == 1 && v >= -zero && v <= zero) || (missingType == 2 && v.isNaN) { return defaultLeft }
    return v <= threshold
}

/// A one-split LightGBM model on feature `x`: leaf -1 on the left, +1 on the right.
private func stump(threshold: Double, decisionType: Int) -> String {
    """
    tree
    version=v4
    num_class=1
    num_tree_per_iteration=1
    label_index=0
    max_feature_idx=0
    objective=binary sigmoid:1
    feature_names=x
    feature_infos=[-1:1]
    tree_sizes=1

    Tree=0
    num_leaves=2
    num_cat=0
    split_feature=0
    split_gain=1
    threshold=\(threshold)
    decision_type=\(decisionType)
    left_child=-1
    right_child=-2
    leaf_value=-1 1
    leaf_weight=1 1
    leaf_count=1 1
    internal_value=0
    internal_weight=2
    internal_count=2
    is_linear=0
    shrinkage=1


    end of trees
    """
}

private func translate(_ text: String, schema: [ColumnSchema]) throws -> TreeEnsemble {
    let forest = try LightGBMReader.read(Data(text.utf8), file: "stump.txt")
    let mapping = try FeatureMapping.resolve(
        forest, schema: Schema(idColumn: nil, targetColumn: "y", positiveLabel: "1", negativeLabel: "0", features: schema),
        explicit: [:], modelFile: "stump.txt", mappingFile: nil)
    return try TreeTranslator(forest: forest, mapping: mapping, file: "stump.txt").translate().ensemble
}

@Suite("Translating library trees onto our encoding")
struct TreeTranslatorTests {
    @Test("LightGBM missing types none, zero and NaN decide as LightGBM does, around the zero band too")
    func missingTypes() throws {
        let k = Double(Float(1e-35))
        let thresholds = [-1, -2e-35, (-k).nextDown, -k, -5e-36, 0, 5e-36, k, k.nextUp, 2e-35, 0.5]
        let probes: [Double] = [-1, -2e-35, (-k).nextDown, -k, (-k).nextUp, -5e-36, -0.0, 0, 5e-36, k.nextDown, k, k.nextUp,
                                2e-35, 0.25, 0.5, 1, .nan]
        for t in thresholds {
            for type in [0, 2, 4, 6, 8, 10] {
                let ensemble = try translate(stump(threshold: t, decisionType: type), schema: [ColumnSchema(name: "x", kind: .numeric)])
                for x in probes {
                    let left = [x].withUnsafeBufferPointer { ensemble.margin($0.baseAddress!) } < 0
                    #expect(left == lightGBMGoesLeft(x, threshold: t, decisionType: type),
                            "threshold \(t) decision_type \(type) x \(x)")
                }
                // Extra nodes only where the zero band sits across the threshold from the default side.
                #expect(ensemble.trees[0].nodeCount <= 2 + 2 + 2)
            }
        }
    }

    @Test("a categorical split becomes a chain of indicator tests ending on the missing side")
    func categoricalChain() throws {
        // Codes 0 and 2 go left; 1, 3 and a missing category go right. Our schema orders the categories
        // differently from the library's codes, and has one (e) the library never saw.
        var text = stump(threshold: 0, decisionType: 1)
        text = text.replacingOccurrences(of: "num_cat=0", with: "num_cat=1\ncat_boundaries=0 1\ncat_threshold=5")
        text = text.replacingOccurrences(of: "feature_infos=[-1:1]", with: "feature_infos=0:1:2:3")
        text = text.replacingOccurrences(of: "end of trees", with: "end of trees\n\n[categorical_feature: 0]\n\npandas_categorical:[[\"a\", \"b\", \"c\", \"d\"]]")
        let plan = ColumnSchema(name: "x", kind: .categorical, categories: ["d", "c", "b", "a", "e"])
        let ensemble = try translate(text, schema: [plan])
        let tree = ensemble.trees[0]
        // a and c go left, the missing side is right: two indicator tests, both leading to the same left leaf.
        #expect(tree.nodeCount == 4)
        #expect(Set([tree.right[0], tree.right[1]]).count == 1)
        for (k, category) in plan.categories.enumerated() {
            var row = [Double](repeating: 0, count: 5)
            row[k] = 1
            let left = row.withUnsafeBufferPointer { ensemble.margin($0.baseAddress!) } < 0
            #expect(left == (category == "a" || category == "c"), "category \(category)")
        }
        let none = [Double](repeating: 0, count: 5).withUnsafeBufferPointer { ensemble.margin($0.baseAddress!) }
        #expect(none > 0, "a missing category goes right")
    }

    @Test("LightGBM's sigmoid scale and average_output (random forest) fold into the leaf values")
    func sigmoidAndAverage() throws {
        var text = stump(threshold: 0.5, decisionType: 2)
        let tree = text[text.range(of: "Tree=0")!.lowerBound..<text.range(of: "end of trees")!.lowerBound]
        text = text.replacingOccurrences(of: "end of trees", with: tree.replacingOccurrences(of: "Tree=0", with: "Tree=1") + "end of trees")
        text = text.replacingOccurrences(of: "objective=binary sigmoid:1", with: "objective=binary sigmoid:2\naverage_output")
        let ensemble = try translate(text, schema: [ColumnSchema(name: "x", kind: .numeric)])
        #expect(ensemble.trees.count == 2)
        // Both trees send x = 0 left (-1): LightGBM's score is the mean, -1, and p = 1 / (1 + exp(-2 · -1)).
        let margin = [0.0].withUnsafeBufferPointer { ensemble.margin($0.baseAddress!) }
        #expect(margin == -2)
        #expect(abs(sigmoid(margin) - 1 / (1 + exp(2))) < 1e-15)
    }
}
