/// Indicator features that are never 1 on the same row — the one-hot slots of one categorical column — coded
/// together as one column, so a single histogram pass serves all of them.
///
/// A bundle's code says which member is 1 on the row, or `members.count` when none is (a category not kept, or
/// missing). A member's histogram follows: its bin 1 is the bundle's slot for it, its bin 0 the rest of the node.
/// This is LightGBM's exclusive feature bundling, in the one case where exclusivity is known in advance.
struct FeatureBundle: Sendable {
    /// Member features, ascending.
    let members: [Int]
    /// `codes[i]`: the position in `members` of the member that is 1 on row i, or `members.count`. The matrix
    /// moves these into its `bundleCodes` once the bundles are found.
    let codes: [UInt8]

    /// Bundles the binary indicator features of each categorical column of `layout`, keeping only groups whose
    /// members really are exclusive on these rows.
    static func find(in matrix: BinnedMatrix, layout: FeatureLayout, work: ParallelWork) -> [FeatureBundle] {
        guard layout.count == matrix.featureCount else { return [] }
        var groups: [Int: [Int]] = [:]
        for (f, feature) in layout.features.enumerated() where feature.isIndicator && matrix.isBinary[f] {
            groups[feature.column, default: []].append(f)
        }
        let candidates = groups.values.filter { $0.count >= 2 && $0.count < 255 }.sorted { $0[0] < $1[0] }
        var found = [FeatureBundle?](repeating: nil, count: candidates.count)
        found.withUnsafeMutableBufferPointer { out in
            let out = UncheckedBox(out)
            work.forEach(candidates.count) { g in
                out.value[g] = FeatureBundle(members: candidates[g], matrix: matrix)
            }
        }
        return found.compactMap { $0 }
    }

    /// A bundle whose codes are kept by the matrix.
    init(members: [Int]) {
        self.members = members
        self.codes = []
    }

    /// The bundle of `members`, or nil if two of them are 1 on some row.
    init?(members: [Int], matrix: BinnedMatrix) {
        let n = matrix.rows
        let none = UInt8(members.count)
        var codes = [UInt8](repeating: none, count: n)
        var exclusive = true
        matrix.codes.withUnsafeBufferPointer { all in
            codes.withUnsafeMutableBufferPointer { codes in
                for (j, f) in members.enumerated() {
                    let column = all.baseAddress! + f * n
                    for i in 0..<n where column[i] == 1 {
                        if codes[i] != none { exclusive = false; return }
                        codes[i] = UInt8(j)
                    }
                }
            }
        }
        guard exclusive else { return nil }
        self.members = members
        self.codes = codes
    }
}
