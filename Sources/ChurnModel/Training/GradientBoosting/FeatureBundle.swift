/// Indicator features that are never 1 on the same row — the one-hot slots of one categorical column — coded
/// together as one column, so a single histogram pass serves all of them.
///
/// A bundle's code says which member is 1 on the row, or `members.count` when none is (a category not kept, or
/// missing). A member's histogram follows: its bin 1 is the bundle's slot for it, its bin 0 the rest of the node.
/// This is LightGBM's exclusive feature bundling, in the one case where exclusivity is known in advance.
struct FeatureBundle: Sendable {
    /// Member features, ascending.
    let members: [Int]

    /// Bundles the binary indicator features of each categorical column of `layout`, keeping only groups whose
    /// members really are exclusive on these rows; with each, its code column (`codes[i]`: the position in
    /// `members` of the member that is 1 on row i, or `members.count`).
    static func find(in matrix: BinnedMatrix, layout: FeatureLayout, work: ParallelWork) -> [(bundle: FeatureBundle, codes: [UInt8])] {
        guard layout.count == matrix.featureCount else { return [] }
        var groups: [Int: [Int]] = [:]
        for (f, feature) in layout.features.enumerated() where feature.isIndicator && matrix.isBinary[f] {
            groups[feature.column, default: []].append(f)
        }
        let candidates = groups.values.filter { $0.count >= 2 && $0.count < 255 }.sorted { $0[0] < $1[0] }
        var found = [[UInt8]?](repeating: nil, count: candidates.count)
        found.withUnsafeMutableBufferPointer { out in
            let out = UncheckedBox(out)
            work.forEach(candidates.count) { g in
                out.value[g] = codes(members: candidates[g], matrix: matrix)
            }
        }
        return zip(candidates, found).compactMap { members, codes in codes.map { (FeatureBundle(members: members), $0) } }
    }

    /// The code column of a bundle of `members`, or nil if two of them are 1 on some row.
    static func codes(members: [Int], matrix: BinnedMatrix) -> [UInt8]? {
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
        return exclusive ? codes : nil
    }
}
