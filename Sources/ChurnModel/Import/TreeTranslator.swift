/// Rewrites a foreign ensemble into this project's `TreeEnsemble` over a feature layout, deciding every row the
/// way the library does.
///
/// - A split on a numeric column or a one-hot indicator becomes one node on that encoded feature, with the
///   library's threshold and comparison. LightGBM's missing rules are folded in: type None (NaN read as 0)
///   becomes a default direction chosen by where 0 goes; type Zero (NaN and |x| ≤ 1e-35 take the default side)
///   needs no extra node unless the zero band lies on the other side of the threshold, in which case three nodes
///   on the same feature carve out the band.
/// - A split on category codes (XGBoost `enable_categorical`, LightGBM categorical features, or a code column
///   split by threshold) is decided per category of the column: our encoding is one-hot, so it becomes a chain of
///   indicator tests — "is the category one of those that go the other way than a missing value?" — ending in
///   the missing value's side. Both sides are shared by every link of the chain (the tree becomes a DAG; children
///   still come after parents), so nothing is copied. A category the library never saw goes where a missing
///   value goes.
///
/// Internal nodes get the cover-weighted mean of the leaves below as `value`, as this project's trainer writes.
struct TreeTranslator {
    /// LightGBM's `kZeroThreshold` (1e-35f) as the double it compares with.
    static let zeroBand = Double(Float(1e-35))

    /// What a library feature reads in the layout.
    enum Source {
        case slot(Int)
        /// The indicator slot of each of our categories, with the library's code for it (nil: unknown to it).
        case categories([(slot: Int, code: Int?)])
    }

    let forest: ForeignForest
    let sources: [Source]
    let layout: FeatureLayout
    /// The model file, for error messages.
    let file: String

    init(forest: ForeignForest, mapping: FeatureMapping, file: String) {
        self.forest = forest
        self.file = file
        let layout = FeatureLayout(schema: mapping.schema)
        self.layout = layout
        let columnIndex = Dictionary(uniqueKeysWithValues: mapping.schema.features.enumerated().map { ($1.name, $0) })
        sources = mapping.bindings.map { binding in
            let c = columnIndex[binding.column]!
            let column = mapping.schema.features[c]
            switch binding {
            case .numeric:
                return .slot(layout.offsets[c])
            case .indicator(_, let category):
                return .slot(layout.offsets[c] + column.categories.firstIndex(of: category)!)
            case .codes(_, let codes):
                return .categories(column.categories.enumerated().map { (layout.offsets[c] + $0, codes[$1]) })
            }
        }
    }

    /// The translated ensemble, and the total split gain per encoded feature (for importance).
    func translate() throws(ModelImportError) -> (ensemble: TreeEnsemble, gain: [Double]) {
        var gain = [Double](repeating: 0, count: layout.count)
        var trees: [DecisionTree] = []
        trees.reserveCapacity(forest.trees.count)
        for tree in forest.trees {
            trees.append(try translate(tree, gain: &gain))
        }
        return (TreeEnsemble(baseMargin: forest.baseMargin, comparison: forest.comparison, trees: trees), gain)
    }

    func fail(_ tree: ForeignTree, _ reason: String) -> ModelImportError {
        ModelImportError(file: file, field: tree.location, reason: reason)
    }

    /// Nodes being written: parallel arrays as `DecisionTree` holds them.
    struct Output {
        var feature: [Int32] = []
        var threshold: [Double] = []
        var left: [Int32] = []
        var right: [Int32] = []
        var defaultLeft: [Bool] = []
        var value: [Double] = []
        var cover: [Double] = []

        mutating func add(feature: Int, threshold: Double, defaultLeft: Bool, value: Double, cover: Double) -> Int {
            self.feature.append(Int32(feature))
            self.threshold.append(threshold)
            left.append(-1)
            right.append(-1)
            self.defaultLeft.append(defaultLeft)
            self.value.append(value)
            self.cover.append(cover)
            return self.feature.count - 1
        }
    }

    /// A pointer still to be set: node `node`'s left or right child is the entry of foreign node `target`.
    struct Link {
        var node: Int
        var isLeft: Bool
        var target: Int
    }

    func translate(_ tree: ForeignTree, gain: inout [Double]) throws(ModelImportError) -> DecisionTree {
        let values = try subtreeValues(tree)
        var out = Output()
        var entry = [Int?](repeating: nil, count: tree.nodes.count)
        var pending: [Link] = []

        // Writes the nodes that decide foreign node `n` (not its children) and returns the first of them.
        func place(_ n: Int, depth: Int) throws(ModelImportError) -> Int {
            if let e = entry[n] { return e }
            guard depth <= tree.nodes.count else { throw fail(tree, "node \(n) is part of a cycle") }
            let node = tree.nodes[n]
            let value = values[n]
            guard let split = node.split else {
                let e = out.add(feature: -1, threshold: 0, defaultLeft: true, value: node.value, cover: node.cover)
                entry[n] = e
                return e
            }
            func link(_ at: Int, left: Bool, to target: Int) { pending.append(Link(node: at, isLeft: left, target: target)) }
            switch (split, sources[split.feature]) {
            case (.numeric(_, let t, let missing), .slot(let slot)):
                gain[slot] += node.gain
                let nodes = numericNodes(threshold: t, missing: missing)
                var first = -1
                for (k, spec) in nodes.enumerated() {
                    let i = out.add(feature: slot, threshold: spec.threshold, defaultLeft: spec.defaultLeft, value: value, cover: node.cover)
                    if k == 0 { first = i }
                    for (isLeft, goal) in [(true, spec.left), (false, spec.right)] {
                        switch goal {
                        case .next: break // set below, once the next node exists
                        case .leftChild: link(i, left: isLeft, to: node.left)
                        case .rightChild: link(i, left: isLeft, to: node.right)
                        }
                    }
                    if k > 0 {
                        // The previous node's `.next` pointer(s) lead here.
                        let previous = i - 1
                        if nodes[k - 1].left == .next { out.left[previous] = Int32(i) }
                        if nodes[k - 1].right == .next { out.right[previous] = Int32(i) }
                    }
                }
                entry[n] = first
                return first
            case (.categorical(let f, _, _, _), .slot):
                throw fail(tree, "node \(n) splits feature '\(forest.featureNames[f])' by category, but it is mapped to a single number; map it to a categorical column (\"codes\" in --mapping)")
            case (_, .categories(let categories)):
                let (goesLeft, missingLeft) = categoryDirections(split, categories.map(\.code))
                for (slot, _) in categories { gain[slot] += node.gain / Double(categories.count) }
                let other = categories.indices.filter { goesLeft[$0] != missingLeft }
                let (otherSide, missingSide) = missingLeft ? (node.right, node.left) : (node.left, node.right)
                if other.isEmpty {
                    // Every category goes where a missing value goes: the split decides nothing.
                    let e = try place(missingSide, depth: depth + 1)
                    entry[n] = e
                    return e
                }
                var first = -1
                for (k, index) in other.enumerated() {
                    // Indicator 1 (x > 0.5) sends the row to the other side; 0 moves on down the chain.
                    let i = out.add(feature: categories[index].slot, threshold: 0.5, defaultLeft: true, value: value, cover: node.cover)
                    if k == 0 { first = i } else { out.left[i - 1] = Int32(i) }
                    link(i, left: false, to: otherSide)
                    if k == other.count - 1 { link(i, left: true, to: missingSide) }
                }
                entry[n] = first
                return first
            }
        }

        _ = try place(0, depth: 0)
        var cursor = 0
        while cursor < pending.count {
            let l = pending[cursor]
            cursor += 1
            let target = try place(l.target, depth: 0)
            guard target > l.node else {
                throw fail(tree, "node \(l.target) is reached twice or from below (the tree has a cycle)")
            }
            if l.isLeft { out.left[l.node] = Int32(target) } else { out.right[l.node] = Int32(target) }
        }
        return DecisionTree(feature: out.feature, threshold: out.threshold, left: out.left, right: out.right,
                            defaultLeft: out.defaultLeft, value: out.value, cover: out.cover)
    }

    /// Where a node's pointer leads within a numeric split's nodes.
    enum Goal: Equatable { case next, leftChild, rightChild }

    struct NodeSpec {
        var threshold: Double
        var defaultLeft: Bool
        var left: Goal
        var right: Goal
    }

    /// The nodes (in order, each `.next` pointing at the following one) that decide a numeric split exactly as
    /// the library does, under `x <= threshold` (LightGBM) or the ensemble's own comparison (XGBoost: NaN only).
    func numericNodes(threshold t: Double, missing: MissingRule) -> [NodeSpec] {
        switch missing {
        case .nan(let defaultLeft):
            return [NodeSpec(threshold: t, defaultLeft: defaultLeft, left: .leftChild, right: .rightChild)]
        case .asZero:
            return [NodeSpec(threshold: t, defaultLeft: 0 <= t, left: .leftChild, right: .rightChild)]
        case .zero(let defaultLeft):
            let k = TreeTranslator.zeroBand
            let belowBand = (-k).nextDown   // x <= belowBand  ⟺  x < -k
            if defaultLeft {
                if t >= k { return [NodeSpec(threshold: t, defaultLeft: true, left: .leftChild, right: .rightChild)] }
                if t >= -k { return [NodeSpec(threshold: k, defaultLeft: true, left: .leftChild, right: .rightChild)] }
                // (-∞, t] left, (t, -k) right, [-k, k] left, (k, ∞) right; NaN left.
                return [NodeSpec(threshold: t, defaultLeft: true, left: .leftChild, right: .next),
                        NodeSpec(threshold: belowBand, defaultLeft: false, left: .rightChild, right: .next),
                        NodeSpec(threshold: k, defaultLeft: false, left: .leftChild, right: .rightChild)]
            }
            if t < -k { return [NodeSpec(threshold: t, defaultLeft: false, left: .leftChild, right: .rightChild)] }
            if t <= k { return [NodeSpec(threshold: belowBand, defaultLeft: false, left: .leftChild, right: .rightChild)] }
            // (-∞, -k) left, [-k, k] right, (k, t] left, (t, ∞) right; NaN right.
            return [NodeSpec(threshold: belowBand, defaultLeft: false, left: .leftChild, right: .next),
                    NodeSpec(threshold: k, defaultLeft: false, left: .rightChild, right: .next),
                    NodeSpec(threshold: t, defaultLeft: false, left: .leftChild, right: .rightChild)]
        }
    }

    /// For a split on category codes: whether each of our categories (by its library code; nil = unknown to the
    /// library, treated as missing) goes left, and where a missing category goes.
    func categoryDirections(_ split: ForeignSplit, _ codes: [Int?]) -> (goesLeft: [Bool], missingLeft: Bool) {
        switch split {
        case .categorical(_, let set, let codesGoLeft, let missingLeft):
            return (codes.map { code in code.map { set.contains($0) == codesGoLeft } ?? missingLeft }, missingLeft)
        case .numeric(_, let t, let missing):
            let passes: (Double) -> Bool = forest.comparison == .lessThanFloat32
                ? { Float($0) < Float(t) } : { $0 <= t }
            let missingLeft: Bool
            switch missing {
            case .nan(let d), .zero(let d): missingLeft = d
            case .asZero: missingLeft = passes(0)
            }
            return (codes.map { code in
                guard let code else { return missingLeft }
                if case .zero = missing, code == 0 { return missingLeft }
                return passes(Double(code))
            }, missingLeft)
        }
    }

    /// Each node's value: the leaf value, or the cover-weighted mean of the leaves below (plain mean when the
    /// covers are all zero). Also checks that every child index is inside the tree and nothing loops.
    func subtreeValues(_ tree: ForeignTree) throws(ModelImportError) -> [Double] {
        let n = tree.nodes.count
        guard n > 0 else { throw fail(tree, "the tree has no nodes") }
        var value = [Double](repeating: 0, count: n)
        var weight = [Double](repeating: 0, count: n)
        var state = [UInt8](repeating: 0, count: n)   // 0 new, 1 open, 2 done
        var stack = [0]
        while let i = stack.last {
            let node = tree.nodes[i]
            guard node.split != nil else {
                guard node.value.isFinite else { throw fail(tree, "leaf \(i) has value \(node.value); leaf values must be finite numbers") }
                value[i] = node.value
                weight[i] = node.cover
                state[i] = 2
                stack.removeLast()
                continue
            }
            for child in [node.left, node.right] where !(0..<n).contains(child) {
                throw fail(tree, "node \(i) has child \(child), outside the tree's \(n) nodes")
            }
            if state[i] == 0 {
                state[i] = 1
                for child in [node.left, node.right] {
                    if state[child] == 1 { throw fail(tree, "node \(child) is its own ancestor (the tree has a cycle)") }
                    if state[child] == 0 { stack.append(child) }
                }
                continue
            }
            let (l, r) = (node.left, node.right)
            let w = weight[l] + weight[r]
            value[i] = w > 0 ? (weight[l] * value[l] + weight[r] * value[r]) / w : (value[l] + value[r]) / 2
            weight[i] = w
            state[i] = 2
            stack.removeLast()
        }
        return value
    }
}
