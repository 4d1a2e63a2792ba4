import Testing
@testable import ChurnModel

@Suite("Drift tally")
struct DriftTallyTests {
    @Test("numeric bins match the profile's binary search: few sorted edges (counted), many, and out-of-order ones from a hand-edited model")
    func numericBinsMatchTheProfile() {
        let shapes: [[Double]] = [
            [1, 2, 3.5, 10, 72],
            (0..<40).map { Double($0) * 2.5 },
            [5, 1, 9, 3],
            [],
            [-0.0, 0],
        ]
        let schema = Schema(idColumn: nil, targetColumn: "y", positiveLabel: "1", negativeLabel: "0",
                            features: shapes.indices.map { ColumnSchema(name: "x\($0)", kind: .numeric) })
        let profiles = shapes.enumerated().map { c, edges in
            ColumnProfile(name: "x\(c)", kind: .numeric, edges: edges, proportions: [Double](repeating: 0, count: edges.count + 2))
        }
        let layout = FeatureLayout(schema: schema)
        let tally = DriftTally(profile: ReferenceProfile(rows: 1, columns: profiles), layout: layout)
        #expect(tally.columns.map(\.countEdges) == [true, false, false, true, false])
        var row = EncodedRow(layout: layout, columns: shapes.count)
        var firstBins: [Int] = []
        var bins = 0
        for p in profiles { firstBins.append(bins); bins += p.binCount }
        // Every edge exactly, just either side of it, beyond both ends, signed zeros, infinities and NaN.
        var values: [Double] = [.nan, .infinity, -.infinity, 0, -0.0, -1e300, 1e300]
        for edges in shapes { for e in edges { values += [e, e.nextDown, e.nextUp] } }
        for x in values {
            for c in shapes.indices { row.values[layout.offsets[c]] = x }
            let got = tally.binIndexes(row)
            for c in shapes.indices {
                #expect(got[c] == firstBins[c] + profiles[c].bin(ofNumber: x), "column \(c), value \(x)")
            }
        }
    }
}
