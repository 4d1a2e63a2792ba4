import ChurnBase
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a LightGBM model in its text format (`Booster.save_model("model.txt")` or `model_to_string()`).
///
/// Prediction follows LightGBM's `Tree::Decision`: `decision_type` bit 0 marks a categorical split, bit 1 sends
/// missing values left, bits 2–3 give the missing type (0 none: NaN is read as 0; 1 zero: NaN and values within
/// ±1e-35 take the default side; 2 NaN: NaN takes the default side). A numeric split goes left when
/// `x <= threshold` in double precision. A categorical split goes left when the category code's bit is set in the
/// node's slice of `cat_threshold` (`cat_boundaries[threshold] ..< cat_boundaries[threshold + 1]`), right
/// otherwise and for a missing category. Tree outputs are summed in order and `binary sigmoid:s` gives
/// p = 1 / (1 + exp(-s · sum)).
enum LightGBMReader {
    /// One `key=value` line with where it was.
    struct Line {
        var value: Substring
        var number: Int
    }

    /// The key=value lines before the first tree, the bare flags among them, and the index of the first tree line.
    struct Header {
        var fields: [String: Line] = [:]
        var flags: Set<String> = []
        var end = 1
    }

    static func read(_ data: Data, file: String) throws(ModelImportError) -> ForeignForest {
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard lines.first?.trimmingWhitespace(newlines: false) == "tree" else {
            throw ModelImportError(file: file, field: "line 1", reason: "not a LightGBM text model (those begin with a line \"tree\"); save the model with booster.save_model(\"model.txt\")")
        }
        let header = readHeader(lines)
        let format = header.fields["version"].map { String($0.value) } ?? "unknown"
        let (objectiveLine, sigmoid) = try objective(header, file: file)
        let names = try featureNames(header, file: file)
        let read = try readTrees(lines, from: header.end, features: names.count, file: file)
        var trees = read.0
        let (categorical, categoryNotes) = try categoricalFeatures(lines[read.end...], header: header, featureCount: names.count, file: file)
        let notes = categoryNotes + scaleLeaves(&trees, sigmoid: sigmoid, average: header.flags.contains("average_output"))
        return ForeignForest(
            library: "lightgbm", libraryVersion: "text format \(format) (LightGBM does not record its version)",
            objective: String(objectiveLine.value), featureNames: names, categoricalFeatures: categorical,
            baseMargin: 0, comparison: .lessOrEqual, trees: trees, notes: notes,
            parameters: ["library": "lightgbm", "libraryVersion": "text-\(format)", "objective": String(objectiveLine.value),
                         "trees": String(trees.count)])
    }

    static func fail(_ file: String, _ line: Int, _ reason: String) -> ModelImportError {
        ModelImportError(file: file, field: "line \(line)", reason: reason)
    }

    /// Header: key=value lines up to the first tree.
    static func readHeader(_ lines: [Substring]) -> Header {
        var header = Header()
        var i = 1
        while i < lines.count, !lines[i].hasPrefix("Tree="), lines[i] != "end of trees" {
            let line = lines[i]
            if let eq = line.firstIndex(of: "=") {
                header.fields[String(line[..<eq])] = Line(value: line[line.index(after: eq)...], number: i + 1)
            } else if !line.isEmpty {
                header.flags.insert(String(line))
            }
            i += 1
        }
        header.end = i
        return header
    }

    static func required(_ key: String, _ header: Header, file: String) throws(ModelImportError) -> Line {
        guard let line = header.fields[key] else { throw ModelImportError(file: file, reason: "the header has no '\(key)=' line; is this a complete LightGBM model?") }
        return line
    }

    /// The objective line and its sigmoid scale; refuses models that are not single-output binary classifiers.
    static func objective(_ header: Header, file: String) throws(ModelImportError) -> (Line, sigmoid: Double) {
        if let classes = header.fields["num_class"], Int(classes.value) != 1 {
            throw fail(file, classes.number, "num_class=\(classes.value): a multi-class model cannot score churn (two classes)")
        }
        if let perIteration = header.fields["num_tree_per_iteration"], Int(perIteration.value) != 1 {
            throw fail(file, perIteration.number, "num_tree_per_iteration=\(perIteration.value): only single-output models can be imported")
        }
        let objectiveLine = try required("objective", header, file: file)
        let objectiveParts = objectiveLine.value.split(separator: " ")
        var sigmoid = 1.0
        switch String(objectiveParts.first ?? "") {
        case "binary":
            for part in objectiveParts.dropFirst() where part.hasPrefix("sigmoid:") {
                guard let s = Double(part.dropFirst("sigmoid:".count)), s > 0, s.isFinite else {
                    throw fail(file, objectiveLine.number, "'\(part)' is not a positive sigmoid scale")
                }
                sigmoid = s
            }
        case "cross_entropy", "xentropy":
            break
        default:
            throw fail(file, objectiveLine.number, "objective '\(objectiveLine.value)' is not supported: churn models are binary classifiers; import models trained with objective=\"binary\" (LGBMClassifier's default for two classes)")
        }
        return (objectiveLine, sigmoid)
    }

    /// One name per feature (`max_feature_idx` + 1): `feature_names`, or LightGBM's Column_N when absent.
    static func featureNames(_ header: Header, file: String) throws(ModelImportError) -> [String] {
        let maxFeatureLine = try required("max_feature_idx", header, file: file)
        guard let maxFeature = Int(maxFeatureLine.value), maxFeature >= 0 else {
            throw fail(file, maxFeatureLine.number, "max_feature_idx '\(maxFeatureLine.value)' is not a feature index")
        }
        let featureCount = maxFeature + 1
        var names = header.fields["feature_names"].map { $0.value.split(separator: " ").map(String.init) } ?? []
        if names.isEmpty { names = (0..<featureCount).map { "Column_\($0)" } }
        guard names.count == featureCount else {
            throw fail(file, header.fields["feature_names"]!.number, "lists \(names.count) names for \(featureCount) features")
        }
        return names
    }

    /// The `Tree=` blocks from line index `i` on, up to "end of trees"; returns the trees and that line's index.
    static func readTrees(_ lines: [Substring], from start: Int, features: Int, file: String) throws(ModelImportError) -> ([ForeignTree], end: Int) {
        var trees: [ForeignTree] = []
        var i = start
        while i < lines.count, lines[i].hasPrefix("Tree=") {
            let title = String(lines[i])
            let first = i + 1
            var fields: [String: Line] = [:]
            i += 1
            while i < lines.count, !lines[i].isEmpty, !lines[i].hasPrefix("Tree="), lines[i] != "end of trees" {
                if let eq = lines[i].firstIndex(of: "=") {
                    fields[String(lines[i][..<eq])] = Line(value: lines[i][lines[i].index(after: eq)...], number: i + 1)
                }
                i += 1
            }
            trees.append(try readTree(title: title, line: first, fields: fields, features: features, file: file))
            while i < lines.count, lines[i].isEmpty { i += 1 }
        }
        guard i < lines.count, lines[i] == "end of trees" else {
            throw ModelImportError(file: file, field: "line \(min(i + 1, lines.count))", reason: "expected \"Tree=…\" or \"end of trees\"; the file may be cut short")
        }
        guard !trees.isEmpty else { throw ModelImportError(file: file, reason: "the model has no trees") }
        return (trees, i)
    }

    /// Categorical features and, for pandas input, the category of each code (from the lines after the trees).
    static func categoricalFeatures(_ tail: ArraySlice<Substring>, header: Header, featureCount: Int,
                                    file: String) throws(ModelImportError) -> ([Int: [String]?], notes: [String]) {
        var categoricalIndexes: [Int] = []
        var pandas: [[String]]?
        for line in tail {
            if line.hasPrefix("[categorical_feature: ") {
                let list = line.dropFirst("[categorical_feature: ".count).dropLast()
                categoricalIndexes = list.split(separator: ",").compactMap { Int($0.trimmingWhitespace(newlines: false)) }
            } else if line.hasPrefix("pandas_categorical:") {
                pandas = try pandasCategories(String(line.dropFirst("pandas_categorical:".count)), file: file)
            }
        }
        if categoricalIndexes.isEmpty, let infos = header.fields["feature_infos"] {
            // Older files without the parameters block: categorical features list their categories ("-1:0:2:1").
            for (j, info) in infos.value.split(separator: " ").enumerated() where !info.hasPrefix("[") && info != "none" {
                if info.split(separator: ":").allSatisfy({ Int($0) != nil }) { categoricalIndexes.append(j) }
            }
        }
        var categorical: [Int: [String]?] = [:]
        var notes: [String] = []
        let named = pandas.flatMap { $0.count == categoricalIndexes.count ? $0 : nil }
        if let pandas, !pandas.isEmpty, named == nil {
            notes.append("pandas_categorical lists \(pandas.count) columns for \(categoricalIndexes.count) categorical features; their category names are not used")
        }
        for (k, j) in categoricalIndexes.enumerated() where j < featureCount { categorical[j] = named?[k] }
        return (categorical, notes)
    }

    /// Folds the sigmoid scale (and random forests' averaging) into the leaf values; returns notes saying so.
    static func scaleLeaves(_ trees: inout [ForeignTree], sigmoid: Double, average: Bool) -> [String] {
        var notes: [String] = []
        if sigmoid != 1 { notes.append("sigmoid scale \(sigmoid) folded into the leaf values") }
        let scale = sigmoid / (average ? Double(trees.count) : 1)
        if average { notes.append("average_output (random forest): leaf values divided by the \(trees.count) trees") }
        if scale != 1 {
            for t in trees.indices {
                for n in trees[t].nodes.indices { trees[t].nodes[n].value *= scale }
            }
        }
        return notes
    }

    /// The `pandas_categorical:` JSON: null, or one list of categories (strings or numbers) per categorical column.
    static func pandasCategories(_ json: String, file: String) throws(ModelImportError) -> [[String]]? {
        let node = try JSONNode.parse(Data(json.utf8), file: file)
        if node.value.isNull { return nil }
        guard case .array(let lists) = node.value else {
            throw ModelImportError(file: file, field: "pandas_categorical", reason: "expected null or a list of category lists")
        }
        return try lists.enumerated().map { (k, list) throws(ModelImportError) -> [String] in
            guard case .array(let items) = list else {
                throw ModelImportError(file: file, field: "pandas_categorical[\(k)]", reason: "expected a list of categories")
            }
            return items.map { item in
                switch item {
                case .string(let s): return s
                case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v)
                // What JSONSerialization's values printed as: NSNumber 1/0 for booleans, "<null>" for null.
                case .bool(let b): return b ? "1" : "0"
                case .null: return "<null>"
                default: return (try? item.serialized()).map { String(decoding: $0, as: UTF8.self) } ?? "?"
                }
            }
        }
    }

    static func readTree(title: String, line: Int, fields: [String: Line], features: Int, file: String) throws(ModelImportError) -> ForeignTree {
        func fail(_ at: Int, _ reason: String) -> ModelImportError {
            ModelImportError(file: file, field: "line \(at) (\(title))", reason: reason)
        }
        func field(_ key: String) throws(ModelImportError) -> Line {
            guard let l = fields[key] else { throw fail(line, "no '\(key)=' line") }
            return l
        }
        /// The `count` space-separated values of `key=`, each read by `parse` (`what` names the kind in errors).
        func values<T>(_ key: String, count: Int, _ what: String, _ parse: (Substring) -> T?) throws(ModelImportError) -> [T] {
            let l = try field(key)
            let parts = l.value.split(separator: " ")
            guard parts.count == count else { throw fail(l.number, "'\(key)' has \(parts.count) values, expected \(count)") }
            var out: [T] = []
            out.reserveCapacity(count)
            for p in parts {
                guard let v = parse(p) else { throw fail(l.number, "'\(key)' holds '\(p)', not \(what)") }
                out.append(v)
            }
            return out
        }
        func numbers(_ key: String, count: Int) throws(ModelImportError) -> [Double] {
            try values(key, count: count, "a number") { Double($0) }
        }
        func integers(_ key: String, count: Int) throws(ModelImportError) -> [Int] {
            try values(key, count: count, "a whole number") { Int($0) }
        }
        func optionalNumbers(_ keys: [String], count: Int) throws(ModelImportError) -> [Double]? {
            for key in keys where fields[key] != nil { return try numbers(key, count: count) }
            return nil
        }

        let leavesLine = try field("num_leaves")
        guard let leaves = Int(leavesLine.value), leaves >= 1 else { throw fail(leavesLine.number, "num_leaves '\(leavesLine.value)' is not a positive count") }
        if let linear = fields["is_linear"], linear.value != "0" {
            throw fail(linear.number, "linear trees (linear_tree=true) cannot be imported")
        }
        let leafValue = try numbers("leaf_value", count: leaves)
        // Counts, not hessian weights: LightGBM's own pred_contrib and expected value weigh branches by data counts.
        let leafCover = try optionalNumbers(["leaf_count", "leaf_weight"], count: leaves) ?? [Double](repeating: 0, count: leaves)
        if leaves == 1 {
            return ForeignTree(nodes: [ForeignTree.Node(split: nil, left: -1, right: -1, value: leafValue[0], cover: leafCover[0], gain: 0)],
                               location: "line \(line) (\(title))")
        }
        let inner = leaves - 1
        let feature = try integers("split_feature", count: inner)
        let threshold = try numbers("threshold", count: inner)
        let decision = try integers("decision_type", count: inner)
        let left = try integers("left_child", count: inner)
        let right = try integers("right_child", count: inner)
        let gain = try optionalNumbers(["split_gain"], count: inner) ?? [Double](repeating: 0, count: inner)
        let cover = try optionalNumbers(["internal_count", "internal_weight"], count: inner) ?? [Double](repeating: 0, count: inner)
        let numCat = fields["num_cat"].flatMap { Int($0.value) } ?? 0
        var boundaries: [Int] = []
        var bits: [Int] = []
        if numCat > 0 {
            boundaries = try integers("cat_boundaries", count: numCat + 1)
            let thresholdLine = try field("cat_threshold")
            bits = thresholdLine.value.split(separator: " ").compactMap { Int($0) }
            guard bits.count == boundaries.last, boundaries.first == 0, zip(boundaries, boundaries.dropFirst()).allSatisfy({ $0 <= $1 }) else {
                throw fail(thresholdLine.number, "cat_threshold does not match cat_boundaries")
            }
        }

        // Internal nodes first (0 ..< leaves-1), then leaves; a negative child ~k is leaf k.
        func child(_ c: Int, at: Int) throws(ModelImportError) -> Int {
            if c >= 0 {
                guard c < inner else { throw fail(fields["left_child"]!.number, "node \(at) has child \(c), but the tree has \(inner) inner nodes") }
                return c
            }
            guard ~c < leaves else { throw fail(fields["left_child"]!.number, "node \(at) has leaf \(~c), but the tree has \(leaves) leaves") }
            return inner + ~c
        }
        var nodes: [ForeignTree.Node] = []
        nodes.reserveCapacity(inner + leaves)
        for n in 0..<inner {
            guard (0..<features).contains(feature[n]) else {
                throw fail(fields["split_feature"]!.number, "node \(n) splits feature \(feature[n]), but the model has \(features)")
            }
            let type = decision[n]
            let split: ForeignSplit
            if type & 1 != 0 {
                let index = Int(threshold[n])
                guard Double(index) == threshold[n], index >= 0, index < numCat else {
                    throw fail(fields["threshold"]!.number, "categorical node \(n) names category set \(threshold[n]), but the tree has \(numCat)")
                }
                var codes: Set<Int> = []
                for w in boundaries[index]..<boundaries[index + 1] {
                    let word = UInt32(truncatingIfNeeded: bits[w])
                    for b in 0..<32 where word >> UInt32(b) & 1 == 1 { codes.insert((w - boundaries[index]) * 32 + b) }
                }
                split = .categorical(feature: feature[n], codes: codes, codesGoLeft: true, missingLeft: false)
            } else {
                guard !threshold[n].isNaN else { throw fail(fields["threshold"]!.number, "node \(n) has a NaN threshold") }
                let defaultLeft = type & 2 != 0
                let missing: MissingRule
                switch (type >> 2) & 3 {
                case 0: missing = .asZero
                case 1: missing = .zero(defaultLeft: defaultLeft)
                case 2: missing = .nan(defaultLeft: defaultLeft)
                default: throw fail(fields["decision_type"]!.number, "node \(n) has decision_type \(type), an unknown missing type")
                }
                split = .numeric(feature: feature[n], threshold: threshold[n], missing: missing)
            }
            nodes.append(ForeignTree.Node(split: split, left: try child(left[n], at: n), right: try child(right[n], at: n),
                                          value: 0, cover: cover[n], gain: gain[n]))
        }
        for k in 0..<leaves {
            nodes.append(ForeignTree.Node(split: nil, left: -1, right: -1, value: leafValue[k], cover: leafCover[k], gain: 0))
        }
        return ForeignTree(nodes: nodes, location: "line \(line) (\(title))")
    }
}
