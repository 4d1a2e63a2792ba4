/// File names in the order a file manager lists them: case ignored, and runs of digits compared as numbers, so
/// "day2.csv" comes before "day10.csv" (what Foundation's `localizedStandardCompare` gave, without ICU). Names
/// equal under that rule fall back to plain comparison, so the order is total and stable.
enum NaturalOrder {
    static func less(_ a: String, _ b: String) -> Bool {
        let x = Array(a.lowercased().unicodeScalars), y = Array(b.lowercased().unicodeScalars)
        var i = 0, j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                let (ei, ej) = (digitsEnd(x, i), digitsEnd(y, j))
                let (nx, ny) = (trimmedZeros(x[i..<ei]), trimmedZeros(y[j..<ej]))
                if nx.count != ny.count { return nx.count < ny.count }
                if !nx.elementsEqual(ny) { return nx.lexicographicallyPrecedes(ny) { $0.value < $1.value } }
                (i, j) = (ei, ej)
            } else {
                if x[i] != y[j] { return x[i].value < y[j].value }
                i += 1
                j += 1
            }
        }
        if x.count - i != y.count - j { return x.count - i < y.count - j }
        return a < b
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s >= "0" && s <= "9" }

    private static func digitsEnd(_ s: [Unicode.Scalar], _ from: Int) -> Int {
        var e = from
        while e < s.count && isDigit(s[e]) { e += 1 }
        return e
    }

    private static func trimmedZeros(_ run: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        var r = run
        while r.count > 1 && r.first == "0" { r = r.dropFirst() }
        return r
    }
}
