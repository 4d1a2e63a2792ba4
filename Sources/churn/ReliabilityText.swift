import ChurnBase
import ChurnModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A reliability table as text: one row per probability bin with rows in it.
struct ReliabilityText {
    var bins: [ReliabilityBin]
    init(_ bins: [ReliabilityBin]) { self.bins = bins }

    var text: String {
        var t = TextTable(["probability", "rows", "predicted", "observed"], rightAligned: [1, 2, 3])
        for b in bins {
            t.add([String(cFormat: "%.1f-%.1f", b.lower, b.upper), String(b.rows), fixed(b.meanPredicted, 3), fixed(b.observedRate, 3)])
        }
        return t.text
    }
}
