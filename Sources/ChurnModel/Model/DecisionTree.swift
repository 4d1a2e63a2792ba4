/// One regression tree of a boosted ensemble, stored as parallel node arrays (node 0 is the root).
///
/// A node is a leaf when `feature[i] < 0`; its `value` is added to the margin. An internal node sends a row
/// left when its feature value passes the ensemble's comparison against `threshold`, right otherwise, and
/// follows `defaultLeft` when the value is missing (NaN). `value` on internal nodes is the cover-weighted
/// mean of the leaves below, which path-based explanations use; `cover` is the training weight (hessian sum).
public struct DecisionTree: Codable, Sendable, Equatable {
    public var feature: [Int32]
    public var threshold: [Double]
    public var left: [Int32]
    public var right: [Int32]
    public var defaultLeft: [Bool]
    public var value: [Double]
    public var cover: [Double]

    public init(feature: [Int32], threshold: [Double], left: [Int32], right: [Int32], defaultLeft: [Bool], value: [Double], cover: [Double]) {
        self.feature = feature
        self.threshold = threshold
        self.left = left
        self.right = right
        self.defaultLeft = defaultLeft
        self.value = value
        self.cover = cover
    }

    public var nodeCount: Int { feature.count }

    enum CodingKeys: String, CodingKey { case feature, threshold, left, right, defaultLeft, value, cover }

    /// An artifact written without `cover` still loads: its covers read as zeros, so it is explained path-based.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        feature = try c.decodeList(.feature, as: Int32.self)
        threshold = try c.decodeList(.threshold, as: Double.self)
        left = try c.decodeList(.left, as: Int32.self)
        right = try c.decodeList(.right, as: Int32.self)
        defaultLeft = try c.decodeList(.defaultLeft, as: Bool.self)
        value = try c.decodeList(.value, as: Double.self)
        cover = try c.contains(.cover) && !c.decodeNil(forKey: .cover)
            ? c.decodeList(.cover, as: Double.self) : [Double](repeating: 0, count: feature.count)
    }

    /// A tree of a single leaf.
    public static func leaf(_ value: Double, cover: Double = 0) -> DecisionTree {
        DecisionTree(feature: [-1], threshold: [0], left: [-1], right: [-1], defaultLeft: [true], value: [value], cover: [cover])
    }

    /// Checks that the arrays agree and every child index points inside the tree, below its parent.
    func validate(featureCount: Int) -> String? {
        let n = feature.count
        guard n > 0 else { return "tree has no nodes" }
        guard threshold.count == n, left.count == n, right.count == n, defaultLeft.count == n, value.count == n, cover.count == n else {
            return "node arrays have different lengths"
        }
        for i in 0..<n where feature[i] >= 0 {
            guard Int(feature[i]) < featureCount else { return "node \(i) splits on feature \(feature[i]) but the model has \(featureCount)" }
            for child in [left[i], right[i]] where child <= Int32(i) || Int(child) >= n {
                return "node \(i) has child \(child) outside the tree (children must come after their parent)"
            }
            guard !threshold[i].isNaN else { return "node \(i) has a NaN threshold" }
        }
        return nil
    }
}

/// How a split compares a feature value with its threshold (fixed per ensemble, after the library that trained it).
public enum SplitComparison: String, Codable, Sendable {
    /// Go left when `Float(x) < Float(threshold)` (XGBoost).
    case lessThanFloat32 = "lt_f32"
    /// Go left when `x <= threshold` in double precision (LightGBM, and this project's trainer).
    case lessOrEqual = "le"
}

/// A sum of regression trees on the logit scale: p = σ(baseMargin + Σ tree(x)).
public struct TreeEnsemble: Codable, Sendable, Equatable {
    public var baseMargin: Double
    public var comparison: SplitComparison
    public var trees: [DecisionTree]

    public init(baseMargin: Double, comparison: SplitComparison, trees: [DecisionTree]) {
        self.baseMargin = baseMargin
        self.comparison = comparison
        self.trees = trees
    }

    @inline(__always)
    static func goesLeft(_ x: Double, _ threshold: Double, _ comparison: SplitComparison) -> Bool {
        switch comparison {
        case .lessOrEqual: return x <= threshold
        case .lessThanFloat32: return Float(x) < Float(threshold)
        }
    }

    /// Index of the leaf `x` reaches in tree `t`, and the path of nodes visited.
    @inline(__always)
    func leaf(_ tree: DecisionTree, _ x: UnsafePointer<Double>) -> Int {
        var i = 0
        while tree.feature[i] >= 0 {
            let v = x[Int(tree.feature[i])]
            let left = v.isNaN ? tree.defaultLeft[i] : TreeEnsemble.goesLeft(v, tree.threshold[i], comparison)
            i = Int(left ? tree.left[i] : tree.right[i])
        }
        return i
    }

    public func margin(_ x: UnsafePointer<Double>) -> Double {
        var z = baseMargin
        for tree in trees { z += tree.value[leaf(tree, x)] }
        return z
    }

    /// Path-based contributions (Saabas): each split credits its feature with the change in node value along
    /// the path the row takes. They sum, with the roots' values, to the margin.
    public func contributions(_ x: UnsafePointer<Double>, featureCount: Int) -> [Double] {
        var out = [Double](repeating: 0, count: featureCount)
        for tree in trees {
            var i = 0
            while tree.feature[i] >= 0 {
                let f = Int(tree.feature[i])
                let v = x[f]
                let left = v.isNaN ? tree.defaultLeft[i] : TreeEnsemble.goesLeft(v, tree.threshold[i], comparison)
                let next = Int(left ? tree.left[i] : tree.right[i])
                out[f] += tree.value[next] - tree.value[i]
                i = next
            }
        }
        return out
    }
}

/// Element types a tree's node arrays hold, each decoded through the unkeyed container's own method for that
/// type rather than the generic one `Array`'s conformance calls for every element (a 300-tree model has 40,000
/// numbers, and the generic path was most of the time `churn score` took to start).
protocol NodeListElement {
    static func decodeNext(_ c: inout any UnkeyedDecodingContainer) throws -> Self
}

extension Double: NodeListElement {
    static func decodeNext(_ c: inout any UnkeyedDecodingContainer) throws -> Double { try c.decode(Double.self) }
}

extension Int32: NodeListElement {
    static func decodeNext(_ c: inout any UnkeyedDecodingContainer) throws -> Int32 { try c.decode(Int32.self) }
}

extension Bool: NodeListElement {
    static func decodeNext(_ c: inout any UnkeyedDecodingContainer) throws -> Bool { try c.decode(Bool.self) }
}

extension KeyedDecodingContainer {
    /// The array under `key`, element by element.
    func decodeList<T: NodeListElement>(_ key: Key, as type: T.Type) throws -> [T] {
        var list: any UnkeyedDecodingContainer = try nestedUnkeyedContainer(forKey: key)
        var out: [T] = []
        out.reserveCapacity(list.count ?? 0)
        while !list.isAtEnd { out.append(try T.decodeNext(&list)) }
        return out
    }
}
