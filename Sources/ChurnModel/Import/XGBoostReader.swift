import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an XGBoost model saved as JSON (`Booster.save_model("model.json")`, or `XGBClassifier.save_model`),
/// as XGBoost 1.x to 3.x write it.
///
/// Prediction follows XGBoost: a split sends a row left when `Float(x) < Float(split_condition)`, a missing value
/// follows `default_left`, a categorical split sends the categories it lists right and every other category
/// left; the margin starts at logit(`base_score`) (computed in float, as XGBoost does) and each tree adds its leaf
/// (`split_conditions` of a leaf holds the leaf value); `binary:logistic` turns the margin into a probability with
/// the logistic function.
enum XGBoostReader {
    static func read(_ data: Data, file: String) throws(ModelImportError) -> ForeignForest {
        let root = try JSONNode.parse(data, file: file)
        guard let learner = root.optionalField("learner") else {
            throw ModelImportError(file: file, reason: "not an XGBoost model file: no 'learner' object. Save the model with booster.save_model(\"model.json\") (a get_dump/dump_model text or JSON dump lacks base_score and cannot be imported)")
        }
        let version = (try? root.field("version").ints())?.map(String.init).joined(separator: ".") ?? "unknown"

        let objective = try learner.field("objective").field("name").string()
        guard objective == "binary:logistic" else {
            throw try learner.field("objective").field("name").error("objective '\(objective)' is not supported: churn models are binary classifiers; import models trained with objective=\"binary:logistic\" (XGBClassifier's default for two classes)")
        }
        let params = try learner.field("learner_model_param")
        if let numClass = params.optionalField("num_class"), try numClass.int() > 1 {
            throw numClass.error("a model with \(try numClass.int()) classes cannot score churn (two classes)")
        }
        if let targets = params.optionalField("num_target"), try targets.int() > 1 {
            throw targets.error("a model with \(try targets.int()) targets cannot score churn (one)")
        }
        let baseScoreNode = try params.field("base_score")
        let baseScore = try parseBaseScore(baseScoreNode)
        guard baseScore > 0 && baseScore < 1 else {
            throw baseScoreNode.error("base_score \(baseScore) is not a probability in (0, 1), as binary:logistic needs")
        }
        // XGBoost turns the base score into a margin in float: -log(1/p - 1).
        let baseMargin = Double(-logf(1 / baseScore - 1))

        let booster = try learner.field("gradient_booster")
        let boosterName = try booster.field("name").string()
        guard boosterName == "gbtree" else {
            throw try booster.field("name").error("booster '\(boosterName)' is not supported; import gbtree models (dart and gblinear are not)")
        }
        let model = try booster.field("model")
        let numFeature = try params.field("num_feature").int()
        var names = try learner.optionalField("feature_names")?.strings() ?? []
        if names.isEmpty { names = (0..<numFeature).map { "f\($0)" } }
        guard names.count >= numFeature else {
            throw try learner.field("feature_names").error("lists \(names.count) names for \(numFeature) features")
        }
        let types = try learner.optionalField("feature_types")?.strings() ?? []
        let recorded = try recordedCategories(model, features: names.count)
        var categorical: [Int: [String]?] = [:]
        for (j, type) in types.enumerated() where type == "c" { categorical[j] = recorded[j] }

        if let info = model.optionalField("tree_info") {
            if let k = try info.ints().firstIndex(where: { $0 != 0 }) {
                throw ModelImportError(file: file, field: info.path + "[\(k)]", reason: "tree \(k) belongs to output group \(try info.ints()[k]); only single-output models can be imported")
            }
        }
        let treeNodes = try model.field("trees").array()
        var trees: [ForeignTree] = []
        trees.reserveCapacity(treeNodes.count)
        for node in treeNodes { trees.append(try readTree(node, features: names.count)) }

        let parallel = try model.optionalField("gbtree_model_param")?.optionalField("num_parallel_tree")?.int() ?? 1
        guard parallel >= 1 else { throw try model.field("gbtree_model_param").error("num_parallel_tree must be at least 1") }
        var notes: [String] = []
        if let best = learner.optionalField("attributes")?.optionalField("best_iteration"),
           let round = try? best.int(), (round + 1) * parallel < trees.count {
            notes.append("the model records best_iteration=\(round) (early stopping): XGBoost's Booster.predict uses all \(trees.count / parallel) rounds, the scikit-learn wrapper only the first \(round + 1); pass --rounds \(round + 1) to import what predict_proba used")
        }
        var forest = ForeignForest(
            library: "xgboost", libraryVersion: version, objective: objective, featureNames: names,
            categoricalFeatures: categorical, baseMargin: baseMargin, comparison: .lessThanFloat32, trees: trees,
            notes: notes,
            parameters: ["library": "xgboost", "libraryVersion": version, "objective": objective,
                         "baseScore": String(baseScore), "trees": String(trees.count)])
        forest.treesPerRound = parallel
        return forest
    }

    /// `base_score` as XGBoost writes it: a number, a number in a string ("5E-1"), or, from 3.0, a one-element
    /// array in a string ("[5E-1]").
    static func parseBaseScore(_ node: JSONNode) throws(ModelImportError) -> Float {
        var text: String
        if case .string(let s) = node.value {
            text = s.trimmingWhitespace(newlines: false)
        } else {
            return Float(try node.number())
        }
        if text.hasPrefix("[") && text.hasSuffix("]") {
            text = String(text.dropFirst().dropLast())
            let parts = text.split(separator: ",").map { $0.trimmingWhitespace(newlines: false) }
            guard parts.count == 1 else {
                throw node.error("holds \(parts.count) base scores; only single-output models can be imported")
            }
            text = parts[0]
        }
        guard let v = Float(text), v.isFinite else { throw node.error("'\(text)' is not a number") }
        return v
    }

    /// The category names XGBoost ≥ 3.1 keeps per feature in `cats.enc` (strings as UTF-8 bytes cut at
    /// `offsets`, or numbers in `values`), by feature index; nil where none are recorded.
    static func recordedCategories(_ model: JSONNode, features: Int) throws(ModelImportError) -> [Int: [String]] {
        guard let enc = model.optionalField("cats")?.optionalField("enc") else { return [:] }
        var out: [Int: [String]] = [:]
        for (j, entry) in try enc.array().enumerated() where j < features {
            guard let valuesNode = entry.optionalField("values") else { continue }
            if let offsetsNode = entry.optionalField("offsets") {
                let offsets = try offsetsNode.ints()
                let bytes = try valuesNode.ints()
                guard offsets.count >= 2 else { continue }
                var names: [String] = []
                for k in 0..<(offsets.count - 1) {
                    let (lo, hi) = (offsets[k], offsets[k + 1])
                    guard lo >= 0, lo <= hi, hi <= bytes.count else { throw offsetsNode.error("offsets fall outside 'values'") }
                    guard bytes[lo..<hi].allSatisfy({ (0...255).contains($0) }) else { throw valuesNode.error("values are not bytes") }
                    names.append(String(decoding: bytes[lo..<hi].map { UInt8($0) }, as: UTF8.self))
                }
                out[j] = names
            } else {
                let values = try valuesNode.doubles()
                if values.isEmpty { continue }
                out[j] = values.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int64($0)) : String($0) }
            }
        }
        return out
    }

    static func readTree(_ node: JSONNode, features: Int) throws(ModelImportError) -> ForeignTree {
        let param = try node.field("tree_param")
        let n = try param.field("num_nodes").int()
        if let leafVector = param.optionalField("size_leaf_vector"), try leafVector.int() > 1 {
            throw leafVector.error("vector leaves (multi-output trees) cannot be imported")
        }
        guard n >= 1 else { throw try param.field("num_nodes").error("a tree needs at least one node") }
        func checked<T>(_ field: JSONNode, _ values: [T]) throws(ModelImportError) -> [T] {
            guard values.count == n else { throw field.error("has \(values.count) entries for \(n) nodes") }
            return values
        }
        func ints(_ key: String) throws(ModelImportError) -> [Int] {
            let field = try node.field(key)
            return try checked(field, try field.ints())
        }
        func doubles(_ key: String) throws(ModelImportError) -> [Double] {
            let field = try node.field(key)
            return try checked(field, try field.doubles())
        }
        let left = try ints("left_children")
        let right = try ints("right_children")
        let feature = try ints("split_indices")
        let condition = try doubles("split_conditions")
        let defaultLeftField = try node.field("default_left")
        let defaultLeft = try checked(defaultLeftField, try defaultLeftField.flags())
        let hessian = node.optionalField("sum_hessian") == nil ? [Double](repeating: 0, count: n) : try doubles("sum_hessian")
        let gain = node.optionalField("loss_changes") == nil ? [Double](repeating: 0, count: n) : try doubles("loss_changes")
        let splitType = node.optionalField("split_type") == nil ? [Int](repeating: 0, count: n) : try ints("split_type")

        // Categorical splits: node categories_nodes[k] sends the categories in
        // categories[categories_segments[k] ..< + categories_sizes[k]] right.
        var categorySets: [Int: Set<Int>] = [:]
        if let nodesField = node.optionalField("categories_nodes") {
            let catNodes = try nodesField.ints()
            let segments = try node.field("categories_segments").ints()
            let sizes = try node.field("categories_sizes").ints()
            let categories = try node.field("categories").ints()
            guard segments.count == catNodes.count, sizes.count == catNodes.count else {
                throw nodesField.error("categories_nodes, categories_segments and categories_sizes differ in length")
            }
            for (k, owner) in catNodes.enumerated() {
                let (lo, size) = (segments[k], sizes[k])
                guard owner >= 0, owner < n, lo >= 0, size >= 0, lo + size <= categories.count else {
                    throw ModelImportError(file: node.file, field: node.path + ".categories_segments[\(k)]", reason: "points outside 'categories'")
                }
                categorySets[owner] = Set(categories[lo..<(lo + size)])
            }
        }

        var nodes: [ForeignTree.Node] = []
        nodes.reserveCapacity(n)
        for i in 0..<n {
            if left[i] == -1 {
                nodes.append(ForeignTree.Node(split: nil, left: -1, right: -1, value: condition[i], cover: hessian[i], gain: 0))
                continue
            }
            guard (0..<n).contains(left[i]), (0..<n).contains(right[i]) else {
                throw ModelImportError(file: node.file, field: node.path, reason: "node \(i) has children \(left[i]) and \(right[i]), outside the tree's \(n) nodes")
            }
            guard (0..<features).contains(feature[i]) else {
                throw ModelImportError(file: node.file, field: node.path + ".split_indices[\(i)]", reason: "feature \(feature[i]) is not one of the model's \(features)")
            }
            let split: ForeignSplit
            if splitType[i] == 1 {
                guard let set = categorySets[i] else {
                    throw ModelImportError(file: node.file, field: node.path + ".split_type[\(i)]", reason: "node \(i) is a categorical split but lists no categories")
                }
                split = .categorical(feature: feature[i], codes: set, codesGoLeft: false, missingLeft: defaultLeft[i])
            } else {
                guard !condition[i].isNaN else {
                    throw ModelImportError(file: node.file, field: node.path + ".split_conditions[\(i)]", reason: "NaN threshold")
                }
                split = .numeric(feature: feature[i], threshold: condition[i], missing: .nan(defaultLeft: defaultLeft[i]))
            }
            nodes.append(ForeignTree.Node(split: split, left: left[i], right: right[i], value: 0, cover: hessian[i], gain: gain[i]))
        }
        return ForeignTree(nodes: nodes, location: node.path)
    }
}
